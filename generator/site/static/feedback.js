// Feedback panel: one form, the channel chosen in it. Nothing is sent by this site: e-mail opens
// the person's mail program with a composed mailto: link (never <form action="mailto:">), "copy"
// puts the same text on the clipboard, and "letter" prints an A4 letter for the postal channel.
// The web channel posts to the unit's own HTTPS endpoint, guarded by a honeypot and a minimum
// fill time.
(function () {
  "use strict";
  var MAX = 1000;
  // Mail programs on Windows drop mailto: links longer than about 2,000 characters; 76 Chinese
  // characters already make 1,600 once percent-encoded. Past this bound the form says so.
  var MAILTO_LIMIT = 1800;
  var MIN_FILL_MS = 3000;

  // namedItem, not elements[name]: elements["item"] is the collection's item() method.
  function field(form, name) { return form.elements.namedItem(name); }

  function showError(el, errorEl, message) {
    errorEl.textContent = message;
    errorEl.hidden = !message;
    if (message) el.setAttribute("aria-invalid", "true"); else el.removeAttribute("aria-invalid");
  }

  function validComment(form, errorId) {
    var el = field(form, "comment");
    var errorEl = document.getElementById(errorId);
    var text = el.value.trim();
    var message = !text ? "请填写意见建议。" : text.length > MAX ? "意见建议不能超过 " + MAX + " 字。" : "";
    showError(el, errorEl, message);
    if (message) el.focus();
    return !message;
  }

  // ---- one form; the channel is chosen in it ----
  var form = document.querySelector("[data-feedback-form]");
  if (form) {
    form.hidden = false;
    var status = form.querySelector("[data-feedback-status]");
    var comment = field(form, "comment");
    var count = document.getElementById("fb-count");
    var send = form.querySelector("[data-send]");
    var copyButton = form.querySelector("[data-action=copy]");
    var fallback = form.querySelector("[data-mailto-fallback]");
    var started = form.querySelector("[data-started]");
    var emails = (form.dataset.emails || "").split(",").filter(Boolean);
    var LABELS = { web: "提交", email: "用电子邮件发送", letter: "打印信件" };
    started.value = String(Date.now());

    var channel = function () {
      var checked = form.querySelector("input[name=channel]:checked");
      return checked ? checked.value : "";
    };
    var choice = form.querySelector("[data-channel-choice]");
    if (choice && choice.querySelectorAll("input").length > 1) choice.hidden = false;
    var syncChannel = function () {
      var c = channel();
      send.textContent = LABELS[c] || "提交";
      copyButton.hidden = c === "web";
      form.querySelectorAll("[data-channel-note]").forEach(function (note) {
        note.hidden = note.dataset.channelNote !== c;
      });
      fallback.hidden = true;
      status.textContent = "";
    };
    form.querySelectorAll("input[name=channel]").forEach(function (radio) {
      radio.addEventListener("change", syncChannel);
    });
    syncChannel();

    comment.addEventListener("input", function () {
      count.textContent = comment.value.length + " / " + MAX + " 字";
    });

    // The item is preselected wherever the form is opened from: an item's own link on this
    // page, or an address ending in #feedback-<item number> (links from other pages).
    var choose = function (number) {
      var select = field(form, "item");
      if (!select.querySelector("option[value='" + number + "']")) return false;
      select.value = number;
      setTimeout(function () { comment.focus(); }, 0);
      return true;
    };
    document.querySelectorAll("[data-feedback-item]").forEach(function (link) {
      link.addEventListener("click", function () { choose(link.dataset.feedbackItem); });
    });
    var fromAddress = function () {
      var m = /^#feedback-(\d+)$/.exec(window.location.hash);
      if (m && choose(m[1])) form.scrollIntoView();
    };
    window.addEventListener("hashchange", fromAddress);
    fromAddress();

    var selected = function () {
      var option = field(form, "item").selectedOptions[0];
      return option && option.value ? { number: option.value, label: option.dataset.label, problem: option.dataset.problem } : null;
    };

    var compose = function () {
      var item = selected();
      var title = form.dataset.noticeTitle;
      var subject = "对《" + title + "》" + (item ? "第" + item.label + "项" : "") + "的意见建议";
      var lines = [
        "通报：" + title,
        "链接：" + form.dataset.noticeUrl + (item ? "#item-" + item.number : ""),
        "涉及事项：" + (item ? "第" + item.label + "项 " + item.problem : "整份通报"),
        "",
        "意见建议：",
        comment.value.trim(),
        "",
        "姓名：" + (field(form, "name").value.trim() || "（未填写）"),
        "联系方式：" + (field(form, "contact").value.trim() || "（未填写）"),
      ];
      return { subject: subject, body: lines.join("\r\n") };
    };

    var mailto = function (m) {
      // RFC 6068: UTF-8, percent-encoded; line breaks as CRLF. The recipient is written as it
      // is (an address holds no character to encode but %): mail programs show it plainly.
      return "mailto:" + emails.map(function (a) { return a.replace(/%/g, "%25"); }).join(",") +
        "?subject=" + encodeURIComponent(m.subject) + "&body=" + encodeURIComponent(m.body);
    };

    var refuse = function () { status.textContent = "请检查填写内容。"; };

    var byEmail = function () {
      var url = mailto(compose());
      if (url.length > MAILTO_LIMIT) {  // the mail program might open with the text cut off
        fallback.hidden = true;
        status.textContent = "意见较长：邮件链接有 " + url.length + " 个字符，部分邮件程序只接收约 2000 个字符，" +
          "无法可靠地自动生成邮件。请点“复制意见文本”，粘贴到邮件中发送到 " + emails.join("、") +
          (form.querySelector("input[value=letter]") ? "；或选择“来信”打印后寄出" : "") + "。";
        return;
      }
      fallback.querySelector("[data-mailto]").href = url;
      fallback.hidden = false;
      status.textContent = "已生成邮件，请在邮件程序中确认后发送。";
      window.location.href = url;
    };

    form.addEventListener("submit", function (e) {
      var c = channel() || "web";
      if (!validComment(form, "fb-error-comment")) { e.preventDefault(); refuse(); return; }
      if (c === "web") {
        if (field(form, "website").value) { e.preventDefault(); return; } // honeypot: a bot filled it
        if (Date.now() - Number(started.value) < MIN_FILL_MS) {
          e.preventDefault();
          status.textContent = "提交过快，请稍候几秒再提交。";
        }
        return;  // a plain POST to the unit's endpoint
      }
      e.preventDefault();
      if (c === "email") byEmail(); else printLetter();
    });

    copyButton.addEventListener("click", function () {
      if (!validComment(form, "fb-error-comment")) { refuse(); return; }
      var m = compose();
      var to = channel() === "letter" ? "" : "收件人：" + emails.join("、") + "\n";
      var text = to + "主题：" + m.subject + "\n\n" + m.body.replace(/\r\n/g, "\n");
      var done = function () { status.textContent = "已复制意见文本，可粘贴到邮件或其他渠道发送。"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
      } else {
        fallbackCopy(text);
        done();
      }
    });

    var letter = document.querySelector("[data-letter]");
    var printLetter = function () {
      if (!letter) return;
      var item = selected();
      letter.querySelector("[data-letter-item]").textContent = "涉及事项：" + (item ? "第" + item.label + "项 " + item.problem : "整份通报");
      letter.querySelector("[data-letter-comment]").textContent = comment.value.trim();
      letter.querySelector("[data-letter-name]").textContent = "姓名：" + (field(form, "name").value.trim() || "（未填写）");
      letter.querySelector("[data-letter-contact]").textContent = "联系方式：" + (field(form, "contact").value.trim() || "（未填写）");
      var d = new Date();
      letter.querySelector("[data-letter-date]").textContent = d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
      letter.hidden = false;
      status.textContent = "信件已生成，正在打开打印窗口。";
      // Print a copy placed directly in <body>; the print stylesheet hides every other
      // top-level element, so the printout is the letter alone, from the top of page one.
      var old = document.querySelector(".portal-letter-print");
      if (old) old.remove();
      var copy = letter.cloneNode(true);
      copy.classList.add("portal-letter-print");
      copy.removeAttribute("data-letter");
      document.body.appendChild(copy);
      document.body.classList.add("portal-printing-letter");
      window.print();
    };
    window.addEventListener("afterprint", function () {
      document.body.classList.remove("portal-printing-letter");
      var copy = document.querySelector(".portal-letter-print");
      if (copy) copy.remove();
    });
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (err) { /* the text stays selectable */ }
    document.body.removeChild(area);
  }
})();
