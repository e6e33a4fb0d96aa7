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
  // The preview's first pass after an edit (generator/build.py, _Delta): a small index of the
  // changed notices to merge, and the published index's stale entries to drop.
  var preview = script.dataset.pagefindPreview ? new URL(script.dataset.pagefindPreview, location.href).href : null;
  var stale = new Set();
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
        // Relevance for "which notice is most about this": raw frequency, no length penalty
        // (BM25's length normalisation buried the long notices with the most matching items).
        var options = { excerptLength: 60, ranking: { pageLength: 0, termFrequency: 1, termSaturation: 2 } };
        await pf.options(options);
        if (preview) {
          var about = await (await fetch(preview + "preview.json")).json();
          stale = new Set(about.stale);
          if (about.index) await pf.mergeIndex(preview, options);
        }
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
    var next = queue.then(function () { return pf.search(term, options); }).then(function (found) {
      if (found && stale.size) found.results = found.results.filter(function (r) { return !stale.has(r.id); });
      return found;
    });
    queue = next.catch(function () {});
    return next;
  }

  function tokens(term) {
    return term.replace(/[^\p{L}\p{N}]+/gu, " ").replace(HAN_G, " $1 ").replace(/\s+/g, " ").trim();
  }

  function terms(query) {
    return query.split(/\s+/).map(tokens).filter(Boolean);
  }

  // Always an exact phrase: whole tokens in order (numbers match whole: "32处" is not "232处").
  function phrase(t) {
    return '"' + t + '"';
  }

  // Tokens of a loaded page with Pagefind's word positions, so anchors split them into
  // sections. A block-final token carries a "." (our tokens have no punctuation of their own).
  function words(content) {
    var out = [];
    var pos = 0;
    content.split(" ").forEach(function (tok) {
      if (!tok) return;
      var end = tok.charAt(tok.length - 1) === ".";
      out.push({ pos: pos++, w: (end ? tok.slice(0, -1) : tok).toLocaleLowerCase() });
    });
    return out;
  }

  // Where each term occurs in a page: [{term, at (index into words), len}].
  function hits(ws, parts) {
    var found = [];
    parts.forEach(function (part, t) {
      var q = part.toLocaleLowerCase().split(" ");
      for (var i = 0; i + q.length <= ws.length; i++) {
        var ok = true;
        for (var k = 0; k < q.length && ok; k++) ok = ws[i + k].w === q[k] && ws[i + k].pos === ws[i].pos + k;
        if (ok) found.push({ term: t, at: i, len: q.length });
      }
    });
    return found;
  }

  // A result's URL relative to the site root: the index gives "/notices/a/"; an index merged
  // from another folder (the preview's) gives it with the origin.
  function siteUrl(url) {
    var full = new URL(url, siteRoot).href;
    return full.indexOf(siteRoot) === 0 ? full.slice(siteRoot.length) : url.replace(/^\//, "");
  }

  function parseItems(meta) {
    var items = {};
    (meta.items || "").split("|").forEach(function (row) {
      var f = row.split("~");
      if (f.length >= 4) items["item-" + f[0]] = { number: f[0], status: f[1], overdue: f[2] === "1", problem: f.slice(3).join("~") };
    });
    return items;
  }

  // One loaded notice: its matching sections (all terms if any section has them all, else any),
  // each with an excerpt window; items restricted by the status and overdue filters.
  function describe(d, parts, filters) {
    var ws = words(d.content || "");
    var anchors = (d.anchors || []).filter(function (a) { return a.id; }).sort(function (a, b) { return a.location - b.location; });
    function section(i) {
      var id = "";
      for (var k = 0; k < anchors.length && anchors[k].location <= ws[i].pos; k++) id = anchors[k].id;
      return id;
    }
    var items = parseItems(d.meta);
    var wanted = function (id) {
      var it = items[id];
      if (!it) return !filters["状态"] && !filters["逾期"];
      return (!filters["状态"] || it.status === filters["状态"]) && (!filters["逾期"] || (filters["逾期"] === "逾期") === it.overdue);
    };
    var bySection = {};
    hits(ws, parts).forEach(function (h) {
      var id = section(h.at);
      var s = bySection[id] || (bySection[id] = { id: id, terms: new Set(), hits: [] });
      s.terms.add(h.term);
      s.hits.push(h);
    });
    var all = Object.keys(bySection).map(function (k) { return bySection[k]; });
    var full = all.filter(function (s) { return s.terms.size === parts.length; });
    var chosen = (full.length ? full : all).filter(function (s) { return wanted(s.id); });
    if (!parts.length) {
      chosen = Object.keys(items).filter(wanted).map(function (id) { return { id: id, hits: [] }; });
    }
    var notice = null;
    var found = [];
    chosen.forEach(function (s) {
      var entry = { url: siteUrl(d.url) + (s.id ? "#" + s.id : ""), words: ws, hits: s.hits, item: items[s.id] || null };
      if (s.id) found.push(entry); else notice = entry;
    });
    found.sort(function (a, b) { return Number(a.item.number) - Number(b.item.number); });
    var occurrences = chosen.reduce(function (n, s) { return n + s.hits.length; }, 0);
    return { url: siteUrl(d.url), meta: d.meta, notice: notice, items: found, count: occurrences };
  }

  // search(query, filters, sort, limit) -> {groups, notices}: notices in order (relevance:
  // Pagefind's score, the first 50 re-ranked by how often the query occurs; date: newest
  // first), each with its matching own text and items. limit = notices to load (0: all).
  async function search(query, filters, sort, limit) {
    var pf = await load();
    var parts = terms(query);
    var bySort = sort === "date" ? { date: "desc" } : undefined;
    var results;
    if (!parts.length) {
      results = (await find(pf, null, { filters: filters, sort: { date: "desc" } })).results;
    } else {
      var lists = [];
      for (var i = 0; i < parts.length; i++) lists.push((await find(pf, phrase(parts[i]), { filters: filters, sort: bySort })).results);
      var keep = lists.slice(1).map(function (l) { return new Set(l.map(function (r) { return r.id; })); });
      results = lists[0].filter(function (r) { return keep.every(function (k) { return k.has(r.id); }); });
      if (sort !== "date") {
        var scores = new Map();
        (await find(pf, parts.join(" "), { filters: filters })).results.forEach(function (r) { scores.set(r.id, r.score); });
        results.sort(function (a, b) { return (scores.get(b.id) || 0) - (scores.get(a.id) || 0); });
      }
    }
    var total = results.length;
    var load_ = limit ? results.slice(0, sort !== "date" && parts.length ? Math.max(50, limit) : limit) : results;
    var groups = (await Promise.all(load_.map(function (r) { return r.data(); }))).map(function (d) {
      return describe(d, parts, filters);
    });
    if (sort !== "date" && parts.length) {
      var order = new Map(groups.map(function (g, n) { return [g, n]; }));
      groups.sort(function (a, b) { return b.count - a.count || order.get(a) - order.get(b); });
    }
    return { groups: limit ? groups.slice(0, limit) : groups, notices: total };
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

  // An excerpt around the first hit of a section: tokens joined back (no spaces between CJK
  // characters), hits in <mark>. Built as DOM nodes from text: nothing is parsed as HTML.
  function excerpt(entry) {
    var p = el("p", "portal-result-excerpt");
    var ws = entry.words;
    if (!entry.hits.length) return p;
    var first = entry.hits[0];
    var lo = Math.max(0, first.at - 20);
    var hi = Math.min(ws.length, first.at + first.len + 50);
    var marked = new Set();
    entry.hits.forEach(function (h) { for (var k = 0; k < h.len; k++) marked.add(h.at + k); });
    var text = "";
    var mark = null;
    function flush() {
      if (mark !== null) {
        var m = document.createElement("mark");
        m.textContent = mark;
        p.appendChild(m);
        mark = null;
      } else if (text) {
        p.appendChild(document.createTextNode(text));
        text = "";
      }
    }
    for (var i = lo; i < hi; i++) {
      var w = ws[i].w;
      var prev = i > lo ? ws[i - 1].w : "";
      var gap = i > lo && !(HAN.test(w.charAt(0)) || HAN.test(prev.charAt(prev.length - 1))) ? " " : "";
      if (marked.has(i)) {
        if (mark === null) { flush(); mark = ""; }
        mark += (mark ? gap : "") + w;
        if (!marked.has(i + 1)) flush();
      } else {
        text += gap + w;
      }
    }
    flush();
    if (lo > 0) p.insertBefore(document.createTextNode("…"), p.firstChild);
    if (hi < ws.length) p.appendChild(document.createTextNode("…"));
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
    var a = el("a", "", g.meta.title);
    a.href = new URL(g.url, siteRoot).href;
    h.appendChild(a);
    li.appendChild(h);
    var m = g.meta;
    var matches = withExcerpts && g.count ? "出现 " + g.count + " 次" : "";
    li.appendChild(el("p", "portal-result-meta", [m.issuer, m.date, m.kind, matches].filter(Boolean).join(" · ")));
    if (g.notice && withExcerpts) li.appendChild(excerpt(g.notice));
    if (g.items.length) {
      var ul = el("ul", "portal-result-items");
      g.items.forEach(function (r) {
        var item = el("li", "portal-result-item");
        var ia = el("a", "", "第" + r.item.number + "项 " + r.item.problem);
        ia.href = new URL(r.url, siteRoot).href;
        item.appendChild(ia);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(badge(r.item.status, STATUS_CLASS[r.item.status] || "done"));
        if (r.item.overdue) {
          item.appendChild(document.createTextNode(" "));
          item.appendChild(badge("逾期", "overdue"));
        }
        if (withExcerpts) item.appendChild(excerpt(r));
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
    status.textContent = "找到 " + found.notices + " 份" + what + "通报。";
    found.groups.forEach(function (g) { list.appendChild(renderGroup(g, Boolean(s.q))); });
    more.hidden = found.groups.length >= found.notices;
  }

  // Facet counts (notices per filter value) for the first term, or for the filters alone.
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
