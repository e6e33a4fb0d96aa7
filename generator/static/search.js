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
      // Filters are loaded once before any search: the counts per notice come from them, and a
      // search racing their first load reported no filters (a cold-start miss seen in tests).
      pagefind = import(bundle).then(async function (pf) {
        await pf.options({ excerptLength: 60 });
        await pf.filters();
        return pf;
      });
    }
    return pagefind;
  }

  // The same rule as records.index_text: anything but letters and digits separates tokens,
  // and every CJK character is a token of its own ("3.2亿元" -> "3 2 亿 元").
  // Pagefind's search is not safe to run concurrently: overlapping calls returned empty
  // results. Every search goes through this queue, one at a time.
  var queue = Promise.resolve();
  function find(pf, term, options) {
    var next = queue.then(function () { return pf.search(term, options); });
    queue = next.catch(function () {});
    return next;
  }

  function tokens(term) {
    return term.replace(/[^\p{L}\p{N}]+/gu, " ").replace(HAN_G, " $1 ").replace(/\s+/g, " ").trim();
  }

  function terms(query) {
    return query.split(/\s+/).map(tokens).filter(Boolean);
  }

  var NOTICE = "通报"; // hidden filter "<date>#<id>" on every record (records.py)

  // Always an exact phrase: whole tokens in order (numbers match whole: "32处" is not "232处").
  function phrase(t) {
    return '"' + t + '"';
  }

  // Matching notices: {key: number of matching records}. One Pagefind search per term (an
  // exact phrase of the indexed tokens); with several terms a notice must contain them all.
  // Without terms, the filters alone (Pagefind then lists every notice, zeros included).
  async function noticeCounts(pf, parts, filters) {
    var counts = null;
    if (!parts.length) parts = [null];
    for (var i = 0; i < parts.length; i++) {
      var term = parts[i] === null ? null : phrase(parts[i]);
      var c = ((await find(pf, term, { filters: filters })).filters[NOTICE]) || {};
      if (counts === null) {
        counts = {};
        Object.keys(c).forEach(function (k) { if (c[k] > 0) counts[k] = c[k]; });
      } else {
        Object.keys(counts).forEach(function (k) { if (c[k] > 0) counts[k] += c[k]; else delete counts[k]; });
      }
    }
    return counts;
  }

  // The records of one notice that match: all terms if any record has them all, else any term.
  async function noticeRecords(pf, parts, filters, key, limit) {
    var scoped = Object.assign({}, filters);
    scoped[NOTICE] = key;
    var sets = [];
    if (!parts.length) sets.push((await find(pf, null, { filters: scoped })).results);
    for (var i = 0; i < parts.length; i++) sets.push((await find(pf, phrase(parts[i]), { filters: scoped })).results);
    var ids = sets.slice(1).map(function (s) { return new Set(s.map(function (r) { return r.id; })); });
    var all = sets[0].filter(function (r) { return ids.every(function (k) { return k.has(r.id); }); });
    var chosen = all.length ? all : [].concat.apply([], sets);
    var seen = new Set();
    chosen = chosen.filter(function (r) { if (seen.has(r.id)) return false; seen.add(r.id); return true; });
    var data = await Promise.all(chosen.slice(0, limit || chosen.length).map(function (r) { return r.data(); }));
    return { data: data, total: chosen.length };
  }

  // search(query, filters, sort, limit) -> {groups, notices, records}; groups are notices in
  // order (relevance: most matching records first; date: newest first), each with the matching
  // notice record and items. limit = how many notices to load (0: all).
  async function search(query, filters, sort, limit, offset) {
    var pf = await load();
    var parts = terms(query);
    var counts = await noticeCounts(pf, parts, filters);
    var keys = Object.keys(counts).sort(function (a, b) {
      if (sort !== "date" && counts[b] !== counts[a]) return counts[b] - counts[a];
      return a < b ? 1 : a > b ? -1 : 0;
    });
    var records = keys.reduce(function (n, k) { return n + counts[k]; }, 0);
    var page = keys.slice(offset || 0, limit ? (offset || 0) + limit : keys.length);
    var groups = await Promise.all(page.map(async function (key) {
      var found = await noticeRecords(pf, parts, filters, key, limit ? 6 : 0);
      var id = key.slice(key.indexOf("#") + 1);
      var g = { url: "notices/" + id + "/", key: key, count: counts[key], notice: null, items: [], more: 0, meta: null };
      found.data.forEach(function (d) {
        d.url = d.url.replace(/^\//, "");
        if (d.meta.type === "item") g.items.push(d); else g.notice = d;
        g.meta = g.meta || d.meta;
      });
      g.more = found.total - found.data.length;
      return g;
    }));
    return { groups: groups, notices: keys.length, records: records };
  }

  // Expose the engine so the recall test measures exactly what the page shows.
  window.portalSearch = {
    search: search,
    tokens: tokens,
    noticeCounts: async function (query, filters) { return noticeCounts(await load(), terms(query), filters); },
  };

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
    var matches = g.count > 1 ? g.count + " 处匹配" : "";
    var meta = el("p", "portal-result-meta", [m.issuer, m.date, m.kind, matches].filter(Boolean).join(" · "));
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
    if (g.more > 0) {
      var rest = el("a", "portal-result-more", "本通报还有 " + g.more + " 处匹配");
      rest.href = new URL(g.url, siteRoot).href;
      li.appendChild(rest);
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

  var current = 0;

  // Put a state from the URL into the form (page start, back and forward buttons only: a run
  // started from the form must not overwrite what the person is typing).
  function show(s) {
    input.value = s.q;
    form.elements.sort.value = s.sort;
    FILTERS.forEach(function (f) { var e = form.elements[f[0]]; if (e) e.value = s.filters[f[1]] || ""; });
  }

  async function run(s) {
    var mine = ++current;
    list.textContent = "";
    more.hidden = true;
    if (!s.q && !Object.keys(s.filters).length) {
      status.textContent = "请输入关键词，或选择筛选条件浏览通报和整改事项。";
      return;
    }
    status.textContent = "正在搜索……";
    var pf = await load();
    var found = await search(s.q, s.filters, s.sort, shown);
    var counts = await countsFor(pf, s);
    if (mine !== current) return; // a newer search started meanwhile
    updateCounts(counts);
    var what = s.q ? "与“" + s.q + "”相关的" : "符合条件的";
    if (!found.groups.length) {
      status.textContent = "没有找到" + what + "通报。";
      return;
    }
    status.textContent = "找到 " + found.notices + " 份" + what + "通报，共 " + found.records + " 处匹配（通报正文和整改事项）。";
    found.groups.forEach(function (g) { list.appendChild(renderGroup(g, Boolean(s.q))); });
    more.hidden = found.groups.length >= found.notices;
  }

  // Facet counts (records per filter value) for the first term, or for the filters alone.
  async function countsFor(pf, s) {
    var parts = terms(s.q);
    return (await find(pf, parts.length ? phrase(parts[0]) : null, { filters: s.filters })).filters || {};
  }

  var acted = false;

  function go(push) {
    var s = formState();
    acted = true;
    shown = PAGE;
    if (push) history.pushState(null, "", toUrl(s));
    ready.then(function () { return run(s); }).catch(fail);
  }

  function fail(err) {
    status.textContent = "搜索暂时不可用：" + err.message;
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); go(true); });
  form.addEventListener("change", function (e) { if (e.target !== input) go(true); });
  more.addEventListener("click", function () { shown += PAGE; ready.then(function () { return run(formState()); }).catch(fail); });
  window.addEventListener("popstate", function () {
    acted = true;
    shown = PAGE;
    ready.then(function () { var s = state(); show(s); return run(s); }).catch(fail);
  });
  var initial = state();
  show(initial);
  // The facets exist before any run; a search typed while they load wins over the initial run.
  var ready = buildFacets(initial);
  ready.then(function () { if (!acted) return run(initial); }).catch(fail);
})();
