// Search page: Pagefind (extended, Chinese segmentation) through its JS API, with our own
// zh-CN result list. Excerpts come back as HTML with <mark>; we rebuild them from text nodes
// so nothing but the highlight reaches the page.
(function () {
  "use strict";
  var script = document.currentScript;
  var bundle = new URL(script.dataset.pagefind, location.href).href;
  var input = document.getElementById("portal-q");
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var pagefind = null;

  function excerpt(html) {
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var out = document.createElement("p");
    doc.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function render(query, results) {
    list.textContent = "";
    if (!results.length) {
      status.textContent = "没有找到与“" + query + "”相关的通报。";
      return;
    }
    status.textContent = "找到 " + results.length + " 条与“" + query + "”相关的结果。";
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.url;
      a.textContent = (r.meta && r.meta.title) || r.url;
      li.appendChild(a);
      li.appendChild(excerpt(r.excerpt || ""));
      list.appendChild(li);
    });
  }

  async function run(query) {
    if (!query) { status.textContent = ""; list.textContent = ""; return; }
    status.textContent = "正在搜索……";
    if (!pagefind) {
      pagefind = await import(bundle);
      await pagefind.options({ excerptLength: 40 });
    }
    var search = await pagefind.search(query);
    var data = await Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
    render(query, data);
  }

  var q = new URLSearchParams(location.search).get("q") || "";
  input.value = q;
  run(q).catch(function (err) {
    status.textContent = "搜索暂时不可用：" + err.message;
  });
})();
