// The search page: the form, the filters, the results, and their state in the URL. The engine
// (search-engine.js) does the searching; the tables shared with Python come from the page's
// JSON block (generator/site/tables.py). While a search runs the results list is
// aria-busy="true" and data-search-state="busy"; when its results are shown, "done", and
// data-search-runs counts the runs shown so far (what a test waits for after an action).
import { createEngine, parseState, tokenizer } from "./search-engine.js";

const PAGE = 10;
const ITEMS_SHOWN = 3; // items shown per notice before "还有 N 项"
let itemLists = 0;
const script = document.querySelector("script[data-pagefind]");
const tables = JSON.parse(document.getElementById("portal-tables").textContent);
const bundle = new URL(script.dataset.pagefind, location.href).href;
const preview = script.dataset.pagefindPreview ? new URL(script.dataset.pagefindPreview, location.href).href : null;
const engine = createEngine(bundle, preview, tables);
const variantsUrl = new URL(script.dataset.variants, location.href).href;
const { han } = tokenizer(tables);
const filterName = Object.fromEntries(tables.filters);

// A status's badge class; a status the tables do not know is shown as unknown, never as done.
const statusClass = (status) => tables.statusClass[status] || "unknown";

// Exposed so the recall and parity tests measure exactly what the page uses.
window.portalSearch = { search: engine.search, first: engine.first, query: engine.query, pageData: engine.pageData, statusClass };

const form = document.querySelector("[data-search-form]");
const input = form.elements.q;
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const pages = document.querySelector("[data-search-pages]");
const facets = document.querySelector("[data-facets]");
const help = document.querySelector("[data-search-help]");

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
}

function badge(text, cls) {
  return el("span", "portal-badge portal-badge--" + cls, text);
}

// An excerpt around the first hit of a section: tokens joined back (no spaces between CJK
// characters), hits in <mark>. Built as DOM nodes from text: nothing is parsed as HTML.
function excerpt(entry) {
  const p = el("p", "portal-result-excerpt");
  const ws = entry.words;
  if (!entry.hits.length) return p;
  const first = entry.hits[0];
  const { from, to } = entry.span || { from: 0, to: ws.length };
  const lo = Math.max(from, first.at - 20);
  const hi = Math.min(to, first.at + first.len + 50);
  const marked = new Set();
  for (const hit of entry.hits) for (let k = 0; k < hit.len; k++) marked.add(hit.at + k);
  let text = "";
  let mark = null;
  const flush = () => {
    if (mark !== null) {
      p.appendChild(el("mark", "", mark));
      mark = null;
    } else if (text) {
      p.appendChild(document.createTextNode(text));
      text = "";
    }
  };
  for (let i = lo; i < hi; i++) {
    // the notice's own words and punctuation; a space only between two Latin words or numbers
    const word = ws[i].raw || ws[i].w;
    const before = i > lo ? ws[i - 1].raw || ws[i - 1].w : "";
    const joined = han.test(word.charAt(0)) || han.test(before.charAt(before.length - 1)) ||
      /^[^\p{L}\p{N}]/u.test(word) || /[^\p{L}\p{N}]$/u.test(before);
    const gap = i > lo && (!joined || ws[i - 1].end) ? " " : "";
    if (marked.has(i)) {
      if (mark === null) {
        flush();
        mark = "";
      }
      mark += (mark ? gap : "") + word;
      if (!marked.has(i + 1)) flush();
    } else {
      text += gap + word;
    }
  }
  flush();
  if (lo > from) p.insertBefore(document.createTextNode("…"), p.firstChild);
  if (hi < to) p.appendChild(document.createTextNode("…"));
  return p;
}

function renderItem(result, withExcerpts) {
  const item = el("li", "portal-result-item");
  const link = el("a", "", "第" + result.item.number + "项 " + result.item.problem);
  link.href = new URL(result.url, engine.siteRoot).href;
  item.appendChild(link);
  item.appendChild(document.createTextNode(" "));
  item.appendChild(badge(result.item.status, statusClass(result.item.status)));
  if (result.item.overdue || result.item.unreported) {
    item.appendChild(document.createTextNode(" "));
    const [name, kind] = result.item.overdue ? [tables.overdue[0], "overdue"] : [tables.overdue[1], "unreported"];
    item.appendChild(badge(name, kind));
  }
  if (withExcerpts) item.appendChild(excerpt(result));
  return item;
}

function renderGroup(group, withExcerpts) {
  const li = el("li", "portal-result");
  const heading = el("h2", "portal-result-title");
  const link = el("a", "", group.meta.title);
  link.href = new URL(group.url, engine.siteRoot).href;
  heading.appendChild(link);
  li.appendChild(heading);
  const m = group.meta;
  const matches = withExcerpts && group.count ? "出现 " + group.count + " 次" : "";
  li.appendChild(el("p", "portal-result-meta", [m.issuer, m.date, m.kind, matches].filter(Boolean).join(" · ")));
  if (group.notice && withExcerpts) li.appendChild(excerpt(group.notice));
  if (group.items.length) {
    // A broad query matches most items of a notice: a few are shown, the rest on request.
    const ul = el("ul", "portal-result-items");
    group.items.forEach((result, i) => {
      const item = renderItem(result, withExcerpts);
      item.hidden = i >= ITEMS_SHOWN;
      ul.appendChild(item);
    });
    li.appendChild(ul);
    const rest = group.items.length - ITEMS_SHOWN;
    if (rest > 0) {
      ul.id = "items-" + (++itemLists);
      const expand = el("button", "portal-result-expand", "还有 " + rest + " 项");
      expand.type = "button";
      expand.setAttribute("aria-expanded", "false");
      expand.setAttribute("aria-controls", ul.id);
      expand.addEventListener("click", () => {
        const open = expand.getAttribute("aria-expanded") !== "true";
        ul.querySelectorAll(":scope > li").forEach((item, i) => { item.hidden = !open && i >= ITEMS_SHOWN; });
        expand.setAttribute("aria-expanded", open ? "true" : "false");
        expand.textContent = open ? "收起" : "还有 " + rest + " 项";
      });
      li.appendChild(expand);
    }
  }
  return li;
}

// Traditional characters in a query find their simplified forms (search.variants writes the
// map; it is fetched once, only for a query holding a CJK character).
let variants = null;
async function simplified(q) {
  if (!Array.from(q).some((c) => han.test(c))) return q;
  if (!variants) {
    variants = fetch(variantsUrl)
      .then((r) => (r.ok ? r.json() : { pairs: "" }))
      .then((j) => {
        const chars = Array.from(j.pairs);
        const map = new Map();
        for (let i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1]);
        return map;
      })
      .catch(() => new Map()); // without the map the query is searched as typed
  }
  const map = await variants;
  return Array.from(q, (c) => map.get(c) || c).join("");
}

// What to try when nothing is found: each chosen filter dropped, a shorter query, the lists.
function suggest(s) {
  help.textContent = "";
  const ul = el("ul");
  const link = (text, state) => {
    const a = el("a", "", text);
    a.href = toUrl(state);
    const li = el("li");
    li.appendChild(a);
    ul.appendChild(li);
  };
  for (const [, name] of tables.filters) {
    if (!s.filters[name]) continue;
    const filters = { ...s.filters };
    delete filters[name];
    link("去掉筛选条件“" + name + "：" + s.filters[name] + "”", { ...s, filters });
  }
  if (Object.keys(s.filters).length > 1) link("去掉全部筛选条件", { ...s, filters: {} });
  const chars = Array.from(s.q);
  const words = s.q.split(/\s+/).filter(Boolean);
  if (words.length > 1) {
    for (const w of words) link("只搜“" + w + "”", { ...s, q: w });
  } else if (chars.length > 2) {
    const shorter = chars.slice(0, Math.max(2, chars.length - 2)).join("");
    link("用较短的关键词“" + shorter + "”", { ...s, q: shorter });
  }
  const browse = el("li");
  const ledger = el("a", "", "整改台账");
  ledger.href = new URL("ledger/", engine.siteRoot).href;
  const years = el("a", "", "按年份");
  years.href = new URL("years/", engine.siteRoot).href;
  browse.append("在", ledger, "中浏览全部问题，或", years, "查看全部通报");
  ul.appendChild(browse);
  help.appendChild(el("p", "", "可以试试："));
  help.appendChild(ul);
  help.hidden = false;
}

function fromUrl() {
  const params = new URLSearchParams(location.search);
  const page = Math.max(1, Number.parseInt(params.get("page") || "1", 10) || 1);
  const s = { q: params.get("q") || "", sort: params.get("sort") === "relevance" ? "relevance" : "date", filters: {}, page };
  for (const [param, name] of tables.filters) {
    const value = params.get(param);
    if (value) s.filters[name] = value;
  }
  return s;
}

function fromForm() {
  const s = { q: input.value.trim(), sort: form.elements.sort.value, filters: {}, page: 1 };
  for (const [param, name] of tables.filters) {
    const e = form.elements[param];
    if (e && e.value) s.filters[name] = e.value;
  }
  return s;
}

function toUrl(s) {
  const params = new URLSearchParams();
  if (s.q) params.set("q", s.q);
  for (const [param, name] of tables.filters) if (s.filters[name]) params.set(param, s.filters[name]);
  if (s.sort !== "date") params.set("sort", s.sort);
  if (s.page > 1) params.set("page", String(s.page));
  const query = params.toString();
  return location.pathname + (query ? "?" + query : "");
}

async function buildFacets(s) {
  const all = { ...(await engine.filterValues()) };
  // the status and lateness options: those the items have (the item-state filter's values)
  const states = Object.keys(all[tables.itemState] || {}).map((v) => parseState(v, tables));
  all[filterName.status] = Object.fromEntries(states.map((st) => [st.status, 1]));
  all[filterName.overdue] = Object.fromEntries(states.map((st) => [st.lateness, 1]));
  facets.textContent = "";
  for (const [param, name] of tables.filters) {
    const values = all[name] || {};
    const names = Object.keys(values).sort((a, b) => (param === "year" ? b.localeCompare(a) : a.localeCompare(b, "zh-CN")));
    if (!names.length) continue;
    const label = el("label", "portal-facet");
    // status and lateness count items, the other filters notices
    const perItem = name === filterName.status || name === filterName.overdue;
    label.appendChild(document.createTextNode(name + (perItem ? "（按事项计）" : "") + " "));
    const select = document.createElement("select");
    select.name = param;
    const any = el("option", "", "全部");
    any.value = "";
    select.appendChild(any);
    for (const value of names) {
      const option = el("option", "", value);
      option.value = value;
      option.dataset.name = value;
      select.appendChild(option);
    }
    select.value = s.filters[name] || "";
    label.appendChild(select);
    facets.appendChild(label);
  }
  facets.hidden = false;
}

// Each option says how many notices it would leave; one that would leave none cannot be
// chosen (unless it is the choice already made, so it can be seen and undone).
function updateCounts(counts) {
  for (const [param, name] of tables.filters) {
    const select = form.elements[param];
    if (!select) continue;
    for (const option of select.options) {
      if (!option.value) continue;
      const n = (counts.facets[name] || {})[option.value] || 0;
      option.textContent = option.dataset.name + "（" + n + "）";
      option.disabled = n === 0 && select.value !== option.value;
    }
  }
}

// "清除全部筛选条件": the query kept, every filter dropped; shown while a filter is chosen.
const reset = document.querySelector("[data-facets-reset]");
function showReset(s) {
  const chosen = Object.keys(s.filters).length > 0;
  reset.hidden = !chosen;
  reset.href = toUrl({ ...s, filters: {} });
}

// Put a state from the URL into the form (page start, back and forward buttons only: a run
// started from the form must not overwrite what the person is typing).
function show(s) {
  input.value = s.q;
  form.elements.sort.value = s.sort;
  for (const [param, name] of tables.filters) {
    const e = form.elements[param];
    if (e) e.value = s.filters[name] || "";
  }
}

let runs = 0;

function busy(on) {
  list.setAttribute("aria-busy", on ? "true" : "false");
  list.dataset.searchState = on ? "busy" : "done";
  if (!on) list.dataset.searchRuns = String(++runs);
}

let current = 0;

async function run(s) {
  const mine = ++current;
  busy(true);
  list.textContent = "";
  pages.hidden = true;
  help.hidden = true;
  showReset(s);
  if (!s.q && !Object.keys(s.filters).length) {
    await facetsFor(s);
    if (mine !== current) return;
    status.textContent = "请输入关键词，或选择筛选条件浏览通报和整改事项。";
    busy(false);
    return;
  }
  status.textContent = "正在搜索……";
  const q = await simplified(s.q);
  // The page's notices may be known without the whole index (newest first: the newest
  // notices' index; by relevance: each word's most frequent notices): shown at once, while the
  // whole index loads for the number of results and the counts (still busy).
  let shown = [];
  // (a failure there, such as a file of a newer build not there yet, leaves it to the whole index)
  const early = await engine.first(q, s.filters, PAGE, (s.page - 1) * PAGE, s.sort).catch(() => null);
  if (mine !== current) return;
  if (early) {
    for (const group of early.groups) list.appendChild(renderGroup(group, Boolean(q)));
    shown = early.groups.map((group) => group.url);
    status.textContent = (s.sort === "date" ? "已显示最新的通报" : "已显示最相关的通报") + "，正在统计全部结果……";
  }
  facetsFor(s);
  const found = await engine.search(q, s.filters, s.sort, PAGE, (s.page - 1) * PAGE);
  const counts = await engine.counts(q, s.filters, s.sort);
  await facetsFor(s);
  if (mine !== current) return; // a newer search started meanwhile; it ends the busy state
  const same = shown.length === found.groups.length && found.groups.every((group, i) => group.url === shown[i]);
  if (!same) list.textContent = "";
  updateCounts(counts);
  const chosen = Object.keys(s.filters).length > 0;
  const what = q ? "与“" + q + "”相关" + (chosen ? "、符合所选条件" : "") + "的" : "符合条件的";
  const asSimplified = q !== s.q ? "已按简体字“" + q + "”搜索。" : "";
  const [statusName, overdueName] = [filterName.status, filterName.overdue];
  const both = s.filters[statusName] && s.filters[overdueName];
  if (!found.groups.length && both) {
    // each condition may be met, but by no item at once
    status.textContent = asSimplified + "没有" + (q ? "与“" + q + "”相关、" : "") + "同时符合“" + statusName + "：" +
      s.filters[statusName] + "”和“" + overdueName + "：" + s.filters[overdueName] + "”的整改事项。";
    suggest({ ...s, q });
  } else if (!found.groups.length && found.notices) {
    // a page past the last one (an old link): say so and offer the first
    status.textContent = asSimplified + "共 " + found.notices + " 份" + what + "通报，没有第 " + s.page + " 页。";
    showPages({ ...s, page: 1 }, found.notices);
  } else if (!found.groups.length) {
    status.textContent = asSimplified + "没有找到" + what + "通报。";
    suggest({ ...s, q });
  } else {
    // notices and items both: the items the status and lateness filters leave, or all of theirs
    const items = counts.itemFilters
      ? (q ? "，这些通报中符合筛选条件的整改事项共 " : "，其中符合条件的整改事项 ") + counts.items + " 个"
      : "（共 " + counts.items + " 个整改事项）";
    status.textContent = asSimplified + "找到 " + found.notices + " 份" + what + "通报" + items + "。";
    const last = Math.ceil(found.notices / PAGE);
    if (last > 1) status.textContent += "第 " + s.page + " 页，共 " + last + " 页。";
    if (!same) for (const group of found.groups) list.appendChild(renderGroup(group, Boolean(q)));
    showPages(s, found.notices);
  }
  busy(false);
}

function fail(err) {
  status.textContent = "搜索暂时不可用：" + err.message;
  busy(false);
}

const initial = fromUrl();
show(initial);
simplified(initial.q); // the map, if the query needs it, loads beside the index
if (initial.q) engine.warm();
// The facet lists, built once, from the first run's state: after its first results (a page
// of the newest notices needs neither the facets file nor the whole index), before its counts.
let facetsBuilt = null;
const facetsFor = (s) => (facetsBuilt ??= buildFacets(s));

// Every run starts busy at once (in the event that asks for it), so a test or a screen
// reader never takes the previous results for the new ones; a newer run wins over an older.
function start(next) {
  busy(true);
  next().catch(fail);
}

function go(push) {
  const s = fromForm();
  if (push) history.pushState(null, "", toUrl(s));
  start(() => run(s));
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  go(true);
});
form.addEventListener("change", (e) => {
  if (e.target !== input) go(true);
});
// Numbered pages of PAGE notices, in the URL (?page=2): a page can be linked, and the back
// button goes to the page before. The current page is aria-current; a click runs in place.
function showPages(s, notices) {
  const last = Math.ceil(notices / PAGE);
  pages.textContent = "";
  if (last <= 1) return;
  const link = (page, text, label) => {
    const a = el("a", "portal-pager-link", text);
    a.href = toUrl({ ...s, page });
    if (label) a.setAttribute("aria-label", label);
    if (page === s.page) a.setAttribute("aria-current", "page");
    a.addEventListener("click", (e) => {
      e.preventDefault();
      history.pushState(null, "", a.href);
      start(async () => {
        await run(fromUrl());
        status.focus();
      });
    });
    pages.appendChild(a);
  };
  if (s.page > 1) link(s.page - 1, "上一页");
  const near = new Set([1, last, s.page - 1, s.page, s.page + 1].filter((n) => n >= 1 && n <= last));
  let before = 0;
  for (const n of [...near].sort((a, b) => a - b)) {
    if (before && n > before + 1) pages.appendChild(el("span", "portal-pager-gap", "…"));
    link(n, String(n), "第 " + n + " 页");
    before = n;
  }
  if (s.page < last) link(s.page + 1, "下一页");
  pages.hidden = false;
}
window.addEventListener("popstate", () => {
  start(() => {
    const s = fromUrl();
    show(s);
    return run(s);
  });
});
start(() => run(initial));
