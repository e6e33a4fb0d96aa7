// portal serve only (never in a built site): reload when a rebuild has finished, and show the
// content's errors while there are any. Asks the preview server once a second.
(function () {
  "use strict";
  var seen = null;
  var banner = null;

  function show(state) {
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "portal-preview-errors";
      banner.setAttribute("role", "alert");
      banner.dataset.previewErrors = "";
      document.body.insertBefore(banner, document.body.firstChild);
    }
    banner.textContent = "";
    var head = document.createElement("p");
    head.className = "portal-preview-errors__head";
    head.textContent = "预览未更新：内容有 " + state.errors.length + " 处错误，改正后本页自动刷新。" +
      "下面先列出刚修改的文件" + (state.warnings ? "；另有 " + state.warnings + " 条警告，运行 portal check 查看" : "") + "。";
    banner.appendChild(head);
    var list = document.createElement("ul");
    state.errors.slice(0, 20).forEach(function (line) {
      var li = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = line;
      li.appendChild(code);
      list.appendChild(li);
    });
    banner.appendChild(list);
    if (state.errors.length > 20) {
      var more = document.createElement("p");
      more.textContent = "……还有 " + (state.errors.length - 20) + " 处，见终端。";
      banner.appendChild(more);
    }
  }

  function poll() {
    fetch("/__portal/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        if (seen === null) {
          seen = state.generation;
          if (!state.ok) show(state);
        } else if (state.generation !== seen) {
          seen = state.generation;
          if (state.ok) window.location.reload(); else show(state);
        }
      })
      .catch(function () { /* the preview server is restarting: ask again */ })
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
