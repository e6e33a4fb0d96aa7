// Search page: Pagefind (extended) through its JS API with our own zh-CN UI.
//
// The index holds every CJK character as its own token (generator/records.py explains why).
// Each query term is sent as an exact phrase of the same tokens: Pagefind's phrase matching
// keeps the characters adjacent, and the browser's own word segmenter cannot merge them again.
// Terms are ANDed; the unquoted character search supplies relevance scores.
(function () {
  "use strict";
  var script = document.currentScript;
  var bundle = new URL(script.dataset.pagefind, location.href).href;
  var siteRoot = new URL("../", bundle).href;
  var FILTERS = [
    ["issuer", "发布单位"], ["type", "巡视巡察"], ["team", "巡视巡察组"], ["year", "年度"],
    ["kind", "类别"], ["status", "状态"], ["overdue", "逾期"],
  ];
  var PAGE = 10;
  var HAN = /[\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var HAN_G = new RegExp("(" + HAN.source + ")", "g");
  var pagefind = null;

  function load() {
    if (!pagefind) {
      pagefind = import(bundle).then(function (pf) {
        return pf.options({ excerptLength: 60 }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function tokens(term) {
    return term.replace(HAN_G, " $1 ").replace(/\s+/g, " ").trim();
  }

  function terms(query) {
    return query.split(/\s+/).map(tokens).filter(Boolean);
  }

  // One Pagefind search per term (an exact phrase when it has CJK or several tokens), ANDed.
  async function matching(pf, query, filters, sort) {
    var parts = terms(query);
    var options = { filters: filters, sort: sort === "date" ? { date: "desc" } : undefined };
    if (!parts.length) return (await pf.search(null, options)).results;
    var sets = [];
    for (var i = 0; i < parts.length; i++) {
      var t = parts[i];
      var exact = HAN.test(t) || t.indexOf(" ") >= 0 ? '"' + t + '"' : t;
      sets.push((await pf.search(exact, options)).results);
    }
    var keep = sets.slice(1).map(function (s) { return new Set(s.map(function (r) { return r.id; })); });
    var results = sets[0].filter(function (r) { return keep.every(function (k) { return k.has(r.id); }); });
    if (sort !== "date") {
      var scores = new Map();
      (await pf.search(parts.join(" "), { filters: filters })).results.forEach(function (r) { scores.set(r.id, r.score); });
      results.sort(function (a, b) { return (scores.get(b.id) || 0) - (scores.get(a.id) || 0); });
    }
    return results;
  }

  // Group records by notice in result order; a notice's items become its sub-results.
  function group(records) {
    var groups = [];
    var byUrl = new Map();
    records.forEach(function (r) {
      var noticeUrl = r.meta.type === "item" ? r.meta.notice_url : r.url;
      var g = byUrl.get(noticeUrl);
      if (!g) {
        g = { url: noticeUrl, notice: null, items: [], meta: r.meta };
        byUrl.set(noticeUrl, g);
        groups.push(g);
      }
      if (r.meta.type === "item") g.items.push(r); else { g.notice = r; g.meta = r.meta; }
    });
    return groups;
  }

  async function search(query, filters, sort, limit) {
    var pf = await load();
    var results = await matching(pf, query, filters, sort);
    var records = [];
    var groups = [];
    for (var i = 0; i < results.length; i++) {
      var d = await results[i].data();
      d.url = d.url.replace(/^\//, "");
      records.push(d);
      groups = group(records);
      if (limit && groups.length > limit) { groups = groups.slice(0, limit); break; }
    }
    return { groups: groups, records: results.length, complete: !limit || groups.length <= limit };
  }

  // Expose the engine so the recall test measures exactly what the page shows.
  window.portalSearch = { search: search, tokens: tokens };

  // ---- page ----
  var form = document.querySelector("[data-search-form]");
  if (!form) return;
  var input = form.elements.q;
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var more = document.querySelector("[data-search-more]");
  var facets = document.querySelector("[data-facets]");
  var shown = PAGE;

  function excerpt(html) {
    // Rebuild text with \u0001/\u0002 for <mark> boundaries, drop the spaces indexing put
    // around CJK characters, join adjacent marks, then build DOM nodes (no HTML is trusted).
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var text = "";
    doc.body.firstChild.childNodes.forEach(function (n) {
      text += n.nodeName === "MARK" ? "\u0001" + n.textContent + "\u0002" : n.textContent;
    });
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (c === " ") {
        var j = out.length - 1;
        while (j >= 0 && (out[j] === "\u0001" || out[j] === "\u0002")) j--;
        var k = i + 1;
        while (k < text.length && (text[k] === "\u0001" || text[k] === "\u0002" || text[k] === " ")) k++;
        if ((j >= 0 && HAN.test(out[j])) || (k < text.length && HAN.test(text[k]))) continue;
      }
      out += c;
    }
    out = out.replace(/\u0002(\s*)\u0001/g, "$1");
    var p = document.createElement("p");
    p.className = "portal-result-excerpt";
    out.split(/(\u0001[^\u0002]*\u0002)/).forEach(function (part) {
      if (!part) return;
      if (part[0] === "\u0001") {
        var m = document.createElement("mark");
        m.textContent = part.slice(1, -1);
        p.appendChild(m);
      } else {
        p.appendChild(document.createTextNode(part.replace(/[\u0001\u0002]/g, "")));
      }
    });
    return p;
  }

  var STATUS_CLASS = { "已完成": "done", "基本完成": "mostly", "推进中": "ongoing", "长期坚持": "longterm" };

  function badge(text, cls) {
    var s = document.createElement("span");
    s.className = "portal-badge portal-badge--" + cls;
    s.textContent = text;
    return s;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function renderGroup(g, withExcerpts) {
    var li = el("li", "portal-result");
    var h = el("h2", "portal-result-title");
    var a = el("a", "", g.notice ? g.notice.meta.title : g.meta.notice);
    a.href = new URL(g.url, siteRoot).href;
    h.appendChild(a);
    li.appendChild(h);
    var m = g.meta;
    var meta = el("p", "portal-result-meta", [m.issuer, m.date, m.kind].filter(Boolean).join(" · "));
    li.appendChild(meta);
    if (g.notice && withExcerpts) li.appendChild(excerpt(g.notice.excerpt || ""));
    if (g.items.length) {
      var ul = el("ul", "portal-result-items");
      g.items.forEach(function (r) {
        var item = el("li", "portal-result-item");
        var ia = el("a", "", "第" + r.meta.label + "项 " + r.meta.title);
        ia.href = new URL(r.url, siteRoot).href;
        item.appendChild(ia);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(badge(r.meta.status, STATUS_CLASS[r.meta.status] || "done"));
        if (r.meta.overdue === "1") {
          item.appendChild(document.createTextNode(" "));
          item.appendChild(badge("逾期", "overdue"));
        }
        if (withExcerpts) item.appendChild(excerpt(r.excerpt || ""));
        ul.appendChild(item);
      });
      li.appendChild(ul);
    }
    return li;
  }

  function state() {
    var params = new URLSearchParams(location.search);
    var s = { q: params.get("q") || "", sort: params.get("sort") === "relevance" ? "relevance" : "date", filters: {} };
    FILTERS.forEach(function (f) { var v = params.get(f[0]); if (v) s.filters[f[1]] = v; });
    return s;
  }

  function formState() {
    var s = { q: input.value.trim(), sort: form.elements.sort.value, filters: {} };
    FILTERS.forEach(function (f) { var e = form.elements[f[0]]; if (e && e.value) s.filters[f[1]] = e.value; });
    return s;
  }

  function toUrl(s) {
    var params = new URLSearchParams();
    if (s.q) params.set("q", s.q);
    FILTERS.forEach(function (f) { if (s.filters[f[1]]) params.set(f[0], s.filters[f[1]]); });
    if (s.sort !== "date") params.set("sort", s.sort);
    var query = params.toString();
    return location.pathname + (query ? "?" + query : "");
  }

  async function buildFacets(s) {
    var pf = await load();
    var all = await pf.filters();
    facets.textContent = "";
    FILTERS.forEach(function (f) {
      var values = all[f[1]] || {};
      var names = Object.keys(values).sort(function (a, b) {
        return f[0] === "year" ? b.localeCompare(a) : a.localeCompare(b, "zh-CN");
      });
      if (!names.length) return;
      var label = el("label", "portal-facet");
      label.appendChild(document.createTextNode(f[1] + " "));
      var select = document.createElement("select");
      select.name = f[0];
      var any = el("option", "", "全部");
      any.value = "";
      select.appendChild(any);
      names.forEach(function (n) {
        var o = el("option", "", n);
        o.value = n;
        o.dataset.name = n;
        select.appendChild(o);
      });
      select.value = s.filters[f[1]] || "";
      label.appendChild(select);
      facets.appendChild(label);
    });
    facets.hidden = false;
  }

  function updateCounts(counts) {
    FILTERS.forEach(function (f) {
      var select = form.elements[f[0]];
      if (!select) return;
      Array.prototype.forEach.call(select.options, function (o) {
        if (!o.value) return;
        var n = (counts[f[1]] || {})[o.value] || 0;
        o.textContent = o.dataset.name + "（" + n + "）";
      });
    });
  }

  async function run(s) {
    input.value = s.q;
    form.elements.sort.value = s.sort;
    FILTERS.forEach(function (f) { var e = form.elements[f[0]]; if (e) e.value = s.filters[f[1]] || ""; });
    list.textContent = "";
    more.hidden = true;
    if (!s.q && !Object.keys(s.filters).length) {
      status.textContent = "请输入关键词，或选择筛选条件浏览通报和整改事项。";
      return;
    }
    status.textContent = "正在搜索……";
    var pf = await load();
    var found = await search(s.q, s.filters, s.sort, shown);
    var counted = await pf.search(null, { filters: s.filters });
    updateCounts(s.q ? await countsFor(pf, s) : counted.filters);
    var what = s.q ? "与“" + s.q + "”相关的" : "符合条件的";
    if (!found.groups.length) {
      status.textContent = "没有找到" + what + "通报。";
      return;
    }
    status.textContent = "找到 " + found.records + " 条" + what + "结果（通报和整改事项）。";
    found.groups.forEach(function (g) { list.appendChild(renderGroup(g, Boolean(s.q))); });
    more.hidden = found.complete;
  }

  // Facet counts for a text query: the terms' records, counted per filter value.
  async function countsFor(pf, s) {
    var parts = terms(s.q);
    var results = null;
    for (var i = 0; i < parts.length; i++) {
      var t = parts[i];
      var r = await pf.search(HAN.test(t) || t.indexOf(" ") >= 0 ? '"' + t + '"' : t, { filters: s.filters });
      results = results === null || r.results.length < results.results.length ? r : results;
    }
    return results ? results.filters : {};
  }

  function go(push) {
    var s = formState();
    shown = PAGE;
    if (push) history.pushState(null, "", toUrl(s));
    run(s).catch(fail);
  }

  function fail(err) {
    status.textContent = "搜索暂时不可用：" + err.message;
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); go(true); });
  form.addEventListener("change", function (e) { if (e.target !== input) go(true); });
  more.addEventListener("click", function () { shown += PAGE; run(formState()).catch(fail); });
  window.addEventListener("popstate", function () { shown = PAGE; run(state()).catch(fail); });
  var initial = state();
  buildFacets(initial).then(function () { return run(initial); }).catch(fail);
})();
