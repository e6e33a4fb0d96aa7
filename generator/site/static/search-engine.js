// The search engine of the search page: Pagefind (extended) through its JS API, no DOM.
//
// The index holds every CJK character as its own token (generator/search/records.py explains
// why). Each query term is sent as an exact phrase of the same tokens: Pagefind's phrase
// matching keeps the characters adjacent, and the browser's own word segmenter cannot merge
// them again. Terms are ANDed; the unquoted character search supplies relevance scores.
//
// The tables it shares with Python (the CJK ranges, the item-meta format) come from the page
// (generator/site/tables.py), never from a copy here.

// Re-ranked by occurrences: the first RERANK candidates of Pagefind's relevance order.
const RERANK = 50;

export function tokenizer(tables) {
  const han = new RegExp("[" + tables.han + "]");
  const hanEach = new RegExp("([" + tables.han + "])", "g");
  // The same rule as records.index_text: anything but letters and digits separates tokens,
  // and every CJK character is a token of its own ("3.2亿元" -> "3 2 亿 元").
  const tokens = (term) =>
    term.replace(/[^\p{L}\p{N}]+/gu, " ").replace(hanEach, " $1 ").replace(/\s+/g, " ").trim();
  const terms = (query) => query.split(/\s+/).map(tokens).filter(Boolean);
  return { han, tokens, terms };
}

// Always an exact phrase: whole tokens in order (numbers match whole: "32处" is not "232处").
export function phrase(term) {
  return '"' + term + '"';
}

// Tokens of a loaded page with Pagefind's word positions, so anchors split them into
// sections: w, the token as Pagefind indexed it (letters and digits); raw, as the notice
// wrote it, with its punctuation (generator/search/records.py, record_text), for excerpts.
// Pagefind ends each block's last token with a "." of its own (when it has no punctuation),
// which is dropped: end marks it, an excerpt shows a space there (a heading, then its text).
export function words(content, blockEnd) {
  const out = [];
  let position = 0;
  for (const token of content.split(" ")) {
    if (!token) continue;
    const ours = blockEnd ? token.split(blockEnd).join("") : token;
    const end = ours !== token || ours.charAt(ours.length - 1) === ".";
    const raw = ours.charAt(ours.length - 1) === "." ? ours.slice(0, -1) : ours;
    const w = raw.replace(/[^\p{L}\p{N}]+/gu, "").toLocaleLowerCase();
    if (!w) continue;
    out.push({ pos: position++, w, raw, end });
  }
  return out;
}

// Where each term occurs in a page: [{term, at (index into words), len}].
export function hits(pageWords, parts) {
  const found = [];
  parts.forEach((part, term) => {
    const wanted = part.toLocaleLowerCase().split(" ");
    for (let i = 0; i + wanted.length <= pageWords.length; i++) {
      let same = true;
      for (let k = 0; k < wanted.length && same; k++) {
        const word = pageWords[i + k];
        same = word.w === wanted[k] && word.pos === pageWords[i].pos + k;
      }
      if (same) found.push({ term, at: i, len: wanted.length });
    }
  });
  return found;
}

// A result's items from its meta (generator/search/records.py, items_meta).
export function parseItems(meta, tables) {
  const items = {};
  for (const row of (meta.items || "").split(tables.itemSeparator)) {
    const values = row.split(tables.itemFieldSeparator);
    if (values.length < tables.itemFields.length) continue;
    const item = {};
    tables.itemFields.forEach((name, n) => {
      const last = n === tables.itemFields.length - 1;
      item[name] = last ? values.slice(n).join(tables.itemFieldSeparator) : values[n];
    });
    item.unreported = item.overdue === "2";
    item.overdue = item.overdue === "1";
    items["item-" + item.number] = item;
  }
  return items;
}

// One loaded notice: its matching sections (all terms if any section has them all, else any),
// each with its hits for an excerpt; items restricted by the status and overdue filters.
export function describe(data, parts, filters, tables, siteUrl) {
  const pageWords = words(data.content || "", tables.blockEnd);
  const anchors = (data.anchors || []).filter((a) => a.id).sort((a, b) => a.location - b.location);
  const sectionOf = (i) => {
    let id = "";
    for (let k = 0; k < anchors.length && anchors[k].location <= pageWords[i].pos; k++) id = anchors[k].id;
    return id;
  };
  const items = parseItems(data.meta, tables);
  const filterName = Object.fromEntries(tables.filters);
  const status = filters[filterName.status];
  const overdue = filters[filterName.overdue];
  const [late, unreported, neither] = tables.overdue;
  const lateness = (item) => (item.overdue ? late : item.unreported ? unreported : neither);
  const wanted = (id) => {
    const item = items[id];
    if (!item) return !status && !overdue;
    return (!status || item.status === status) && (!overdue || lateness(item) === overdue);
  };
  const bySection = new Map();
  for (const hit of hits(pageWords, parts)) {
    const id = sectionOf(hit.at);
    if (!bySection.has(id)) bySection.set(id, { id, terms: new Set(), hits: [] });
    bySection.get(id).terms.add(hit.term);
    bySection.get(id).hits.push(hit);
  }
  const sections = [...bySection.values()];
  const full = sections.filter((s) => s.terms.size === parts.length);
  let chosen = (full.length ? full : sections).filter((s) => wanted(s.id));
  if (!parts.length) chosen = Object.keys(items).filter(wanted).map((id) => ({ id, hits: [] }));
  const url = siteUrl(data.url);
  // each section's words: an excerpt stays within its own item (or the notice's own text)
  const spans = new Map();
  if (chosen.some((section) => section.hits.length)) {
    pageWords.forEach((_, i) => {
      const id = sectionOf(i);
      const span = spans.get(id);
      if (!span) spans.set(id, { from: i, to: i + 1, id });
      else if (i === span.to) span.to = i + 1;
    });
  }
  let notice = null;
  const found = [];
  for (const section of chosen) {
    const span = spans.get(section.id) || { from: 0, to: pageWords.length };
    const entry = { url: url + (section.id ? "#" + section.id : ""), words: pageWords, hits: section.hits, item: items[section.id] || null, span };
    if (section.id) found.push(entry);
    else notice = entry;
  }
  found.sort((a, b) => Number(a.item.number) - Number(b.item.number));
  const count = chosen.reduce((n, s) => n + s.hits.length, 0);
  return { url, meta: data.meta, notice, items: found, count };
}

// An item-state filter value (status / lateness x count, generator/search/records.py).
export function parseState(value, tables) {
  const [kind, n] = value.split(tables.countSeparator);
  const [status, lateness] = kind.split(tables.stateSeparator);
  return { status, lateness, n: Number(n) || 0 };
}

// Items of each status and lateness among a search's results, from Pagefind's counts of the
// item-state filter: a value counted on k notices stands for k x its own count of items.
export function itemCounts(stateCounts, tables) {
  const out = [];
  for (const [value, notices] of Object.entries(stateCounts || {})) {
    const state = parseState(value, tables);
    if (notices) out.push({ ...state, items: state.n * notices });
  }
  return out;
}

// The engine over one bundle: createEngine(...).search(query, filters, sort, limit).
// preview: the preview's first pass after an edit (generator/search/indexer.py, Delta): a
// small index of the changed notices to merge, and the published index's stale entries to drop.
export function createEngine(bundle, preview, tables) {
  const siteRoot = new URL("../", bundle).href;
  const { tokens, terms } = tokenizer(tables);
  let stale = new Set();
  let pagefind = null;

  let allFilters = {};
  const filterName = Object.fromEntries(tables.filters);
  const itemFilterNames = [filterName.status, filterName.overdue];

  // The status and lateness filters choose items, both on the same item: in Pagefind, notices
  // with any item-state value that has both (null: no item anywhere has them).
  const withoutItems = (filters) => {
    const rest = { ...filters };
    for (const name of itemFilterNames) delete rest[name];
    return rest;
  };
  const pagefindFilters = (filters) => {
    const [status, overdue] = itemFilterNames.map((name) => filters[name]);
    const rest = withoutItems(filters);
    if (!status && !overdue) return rest;
    const any = Object.keys(allFilters[tables.itemState] || {}).filter((value) => {
      const state = parseState(value, tables);
      return (!status || state.status === status) && (!overdue || state.lateness === overdue);
    });
    return any.length ? { ...rest, [tables.itemState]: { any } } : null;
  };
  const load = () => {
    // Filters are loaded once before any search: the counts per notice come from them, and a
    // search racing their first load reported no filters (a cold-start miss seen in tests).
    pagefind ??= import(bundle).then(async (pf) => {
      // Relevance for "which notice is most about this": raw frequency, no length penalty
      // (BM25's length normalisation buried the long notices with the most matching items).
      const options = { excerptLength: 60, ranking: { pageLength: 0, termFrequency: 1, termSaturation: 2 } };
      await pf.options(options);
      if (preview) {
        const about = await (await fetch(preview + "preview.json")).json();
        stale = new Set(about.stale);
        if (about.index) await pf.mergeIndex(preview, options);
      }
      allFilters = await pf.filters();
      return pf;
    });
    return pagefind;
  };

  // Pagefind's search is not safe to run concurrently: overlapping calls returned empty
  // results. Every search goes through this queue, one at a time.
  let queue = Promise.resolve();
  const find = (pf, term, options) => {
    const next = queue
      .then(() => pf.search(term, options))
      .then((found) => {
        if (found && stale.size) found.results = found.results.filter((r) => !stale.has(r.id));
        return found;
      });
    queue = next.catch(() => {});
    return next;
  };

  // A result's URL relative to the site root: the index gives "/notices/a/"; an index merged
  // from another folder (the preview's) gives it with the origin.
  const siteUrl = (url) => {
    const full = new URL(url, siteRoot).href;
    return full.startsWith(siteRoot) ? full.slice(siteRoot.length) : url.replace(/^\//, "");
  };

  const matching = async (pf, parts, filters, sort) => {
    if (!parts.length) return (await find(pf, null, { filters, sort: { date: "desc" } })).results;
    const bySort = sort === "date" ? { date: "desc" } : undefined;
    const lists = [];
    for (const part of parts) lists.push((await find(pf, phrase(part), { filters, sort: bySort })).results);
    const also = lists.slice(1).map((list) => new Set(list.map((r) => r.id)));
    const results = lists[0].filter((r) => also.every((ids) => ids.has(r.id)));
    if (sort !== "date") {
      const scores = new Map();
      for (const r of (await find(pf, parts.join(" "), { filters })).results) scores.set(r.id, r.score);
      results.sort((a, b) => (scores.get(b.id) || 0) - (scores.get(a.id) || 0));
    }
    return results;
  };

  // search(query, filters, sort, limit) -> {groups, notices}: notices in order (relevance:
  // Pagefind's score, the first RERANK re-ranked by how often the query occurs; date: newest
  // first), each with its matching own text and items. limit = notices to load (0: all).
  // offset: notices to skip (a later page of results); only the notices shown are loaded
  // (by relevance, the first RERANK are loaded to be re-ranked, then the page cut from them).
  const search = async (query, filters, sort, limit, offset = 0) => {
    const pf = await load();
    const parts = terms(query);
    const chosen = pagefindFilters(filters);
    if (chosen === null) return { groups: [], notices: 0 };
    const results = await matching(pf, parts, chosen, sort);
    const reranked = sort !== "date" && parts.length;
    const end = offset + limit;
    const loading = !limit ? results : reranked ? results.slice(0, Math.max(RERANK, end)) : results.slice(offset, end);
    const loaded = await Promise.all(loading.map((r) => r.data()));
    let groups = loaded.map((data) => describe(data, parts, filters, tables, siteUrl));
    if (reranked) {
      const order = new Map(groups.map((g, n) => [g, n]));
      groups.sort((a, b) => b.count - a.count || order.get(a) - order.get(b));
      groups = limit ? groups.slice(offset, end) : groups;
    }
    return { groups, notices: results.length };
  };

  // Facet counts for the first term, or for the filters alone: notices per value of the
  // notice filters; items per status and per lateness (each counted with the other item
  // filter, if chosen, and the notice filters); and the items the chosen filters leave.
  const counts = async (query, filters) => {
    const pf = await load();
    const parts = terms(query);
    const term = parts.length ? phrase(parts[0]) : null;
    const chosen = pagefindFilters(filters);
    const facets = chosen === null ? {} : (await find(pf, term, { filters: chosen })).filters || {};
    const rest = withoutItems(filters);
    const states = itemCounts(((await find(pf, term, { filters: rest })).filters || {})[tables.itemState], tables);
    const [status, overdue] = itemFilterNames.map((name) => filters[name]);
    const sum = (keep) => states.filter(keep).reduce((n, s) => n + s.items, 0);
    const byStatus = {};
    const byLateness = {};
    for (const s of states) {
      if (!overdue || s.lateness === overdue) byStatus[s.status] = (byStatus[s.status] || 0) + s.items;
      if (!status || s.status === status) byLateness[s.lateness] = (byLateness[s.lateness] || 0) + s.items;
    }
    facets[filterName.status] = byStatus;
    facets[filterName.overdue] = byLateness;
    const items = sum((s) => (!status || s.status === status) && (!overdue || s.lateness === overdue));
    return { facets, items, itemFilters: Boolean(status || overdue) };
  };

  const filterValues = async () => (await load()).filters();

  return { search, counts, filterValues, tokens, siteRoot };
}
