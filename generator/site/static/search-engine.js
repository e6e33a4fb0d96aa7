// The search engine of the search page: Pagefind (extended) through its JS API, no DOM.
//
// The index has a word position per CJK character, holding the character and the next one
// (overlapping bigrams: 整改工作 -> 整改 改工 工作 作; generator/search/records.py explains
// the rule and why). A query term becomes the same words: its bigrams, as an exact phrase, so
// Pagefind's phrase matching keeps them adjacent and no browser word segmenter is involved; a
// term of one bigram (整改) or one character (整, all words beginning with it) is searched as
// that word. Terms are ANDed. Relevance: how often a notice holds the query, counted from the
// word positions Pagefind returns, so no notice text is loaded to rank. A newest-first page
// may come from the bundle's second index, of the newest notices alone (first()).
//
// A search of the whole archive reads the index itself (pagefind-index.js): which notices hold
// the query, how often, newest first; Pagefind's library (its WebAssembly) only for the preview,
// whose index of changed notices it merges, or a bundle of another Pagefind version.
//
// The tables it shares with Python (the CJK ranges, the item-meta format) come from the page
// (generator/site/tables.py), never from a copy here.

import { compare, openIndex } from "./pagefind-index.js";

// A query term: { words, span, prefix }: the index words it must find at consecutive positions
// (records.py, _positions), how many positions it covers, and whether it is one character
// (then any word starting with it). The last character of a run of two or more needs no word
// of its own: the bigram before it holds it, whatever follows it in the notice.
export function tokenizer(tables) {
  const han = new RegExp("^[" + tables.han + "]$");
  const unit = new RegExp("[" + tables.han + "]|(?:(?![" + tables.han + "])[\\p{L}\\p{N}])+", "gu");
  const query = (term) => {
    const units = [...term.matchAll(unit)];
    const touches = (k) => k + 1 < units.length && units[k + 1].index === units[k].index + units[k][0].length;
    const words = [];
    units.forEach((u, k) => {
      const text = u[0];
      if (!han.test(text)) words.push(text.toLocaleLowerCase());
      else if (touches(k) && han.test(units[k + 1][0])) words.push(text + units[k + 1][0]);
      else if (!(k === units.length - 1 && k > 0 && touches(k - 1) && han.test(units[k - 1][0]))) words.push(text);
    });
    return { words, span: units.length, prefix: units.length === 1 && han.test(units[0][0]) };
  };
  const terms = (q) => q.split(/\s+/).map(query).filter((t) => t.words.length);
  return { han, query, terms };
}

// What Pagefind is asked for a term: a phrase, or a single CJK word (a bigram, or one character
// that prefix matching extends to every word beginning with it). A number or Latin word stays
// a phrase: it matches whole ("32处" is not "232处").
export function pagefindTerm(term, han) {
  const one = term.words.length === 1 && [...term.words[0]].every((c) => han.test(c));
  return one ? term.words[0] : '"' + term.words.join(" ") + '"';
}

// The positions of a loaded page (Pagefind's content: one token per position, records.py,
// record_text): w, the words indexed there; raw, the position's own character or word as the
// notice wrote it, with its punctuation, for excerpts; end, a block ends there. Pagefind ends
// each block's last token with a "." of its own (when it has no punctuation), which is
// dropped: end marks it, and an excerpt shows a space there (a heading, then its text).
// Most tokens are one or two CJK characters alone, read at once (the rest took 80 ms for
// ten long notices).
export function words(content, tables) {
  const also = new RegExp("^([" + tables.han + "]{2})-([" + tables.han + "])$");
  const han = new RegExp("^[" + tables.han + "]$");
  const plain = new RegExp("^[" + tables.han + "]{1,2}$");
  const out = [];
  let position = 0;
  for (const token of content.split(" ")) {
    if (!token) continue;
    if (plain.test(token)) {
      out.push({ pos: position++, w: [token], raw: token.length === 2 ? token.charAt(0) : token, end: false });
      continue;
    }
    if (token.replace(/\.$/, "") === tables.everyNotice) {
      position++; // a word of the index, not of the notice
      continue;
    }
    const ours = tables.blockEnd ? token.split(tables.blockEnd).join("") : token;
    const end = ours !== token || ours.charAt(ours.length - 1) === ".";
    let raw = ours.charAt(ours.length - 1) === "." ? ours.slice(0, -1) : ours;
    const pair = also.exec(raw);
    let w;
    if (pair) {
      w = [pair[1], pair[2]];
      raw = pair[2];
    } else {
      const letters = raw.replace(/[^\p{L}\p{N}]+/gu, "").toLocaleLowerCase();
      if (!letters) continue;
      w = [letters];
      const chars = [...letters];
      if (chars.length === 2 && chars.every((c) => han.test(c))) {
        const at = raw.lastIndexOf(chars[1]);
        raw = raw.slice(0, at) + raw.slice(at + chars[1].length); // the next position's character
      }
    }
    out.push({ pos: position++, w, raw, end });
  }
  return out;
}

// Where each term occurs in a page: [{term, at (index into words), len (positions)}].
export function hits(pageWords, parts) {
  const found = [];
  parts.forEach((part, term) => {
    for (let i = 0; i + part.span <= pageWords.length; i++) {
      let same = pageWords[i + part.span - 1].pos === pageWords[i].pos + part.span - 1;
      if (part.prefix) same = same && pageWords[i].w.some((w) => w.startsWith(part.words[0]));
      else for (let k = 0; k < part.words.length && same; k++) same = pageWords[i + k].w.includes(part.words[k]);
      if (same) found.push({ term, at: i, len: part.span });
    }
  });
  return found;
}

// How often a result holds the query, from the word positions Pagefind found in it (any word
// of the query): the positions where a term's words follow each other.
export function occurrences(locations, parts) {
  const at = new Set(locations);
  let n = 0;
  for (const part of parts) {
    for (const p of at) {
      let k = 1;
      while (k < part.words.length && at.has(p + k)) k++;
      if (k === part.words.length) n++;
    }
  }
  return n;
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

// A loaded page's words(), worked out once per page.
const wordsByPage = new WeakMap();
function wordsOf(data, tables) {
  if (!wordsByPage.has(data)) wordsByPage.set(data, words(data.content || "", tables));
  return wordsByPage.get(data);
}

// One loaded notice: its matching sections (all terms if any section has them all, else any),
// each with its hits for an excerpt; items restricted by the status and overdue filters.
export function describe(data, parts, filters, tables, siteUrl) {
  const pageWords = wordsOf(data, tables);
  const anchors = (data.anchors || []).filter((a) => a.id).sort((a, b) => a.location - b.location);
  // each position's section: the last anchor at or before it ("" before the first)
  const section = [];
  let k = -1;
  for (const word of pageWords) {
    while (k + 1 < anchors.length && anchors[k + 1].location <= word.pos) k++;
    section.push(k < 0 ? "" : anchors[k].id);
  }
  const sectionOf = (i) => section[i];
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
// library: search with Pagefind's library even where the index can be read here (the tests
// compare the two).
export function createEngine(bundle, preview, tables, { library = false } = {}) {
  const siteRoot = new URL("../", bundle).href;
  const { han, query, terms } = tokenizer(tables);
  let stale = new Set();
  let pagefind = null;

  const filterName = Object.fromEntries(tables.filters);
  const itemFilterNames = [filterName.status, filterName.overdue];

  // The facets: each bundle's columns (generator/search/facets.py), by what its ids begin
  // with; a result's id is its row (generator/search/bundle/reproducible.py, ordinal).
  const columns = new Map();
  const entryOf = async (base) => (await fetch(base + "pagefind-entry.json?ts=" + Date.now())).json();
  let published = null; // the published bundle's entry, read once
  const publishedEntry = () => (published ??= entryOf(new URL("./", bundle).href));
  const loadColumns = async (base, prefix) => {
    const entry = await (prefix ? entryOf(base) : publishedEntry());
    const name = entry[tables.facetsEntry];
    if (!name) throw new Error("no facets in " + base);
    columns.set(prefix, await fetchedJson(base + name));
  };
  // a result's bundle (the letters its id begins with) and row
  const rowOf = (id) => {
    let cut = 0;
    while (cut < id.length && id.charCodeAt(cut) >= 103 && id.charCodeAt(cut) <= 122) cut++; // g-z
    return [id.slice(0, cut), parseInt(id.slice(cut), 16)];
  };
  const valuesOf = (id, name) => {
    const [prefix, n] = rowOf(id);
    const data = columns.get(prefix);
    const row = data && (data.pages[name] || [])[n];
    if (row === undefined) return [];
    return (Array.isArray(row) ? row : [row]).map((n) => data.values[name][n]);
  };

  // The status and lateness filters choose items, both on the same item: notices with an
  // item-state value that has both.
  const withoutItems = (filters) => {
    const rest = { ...filters };
    for (const name of itemFilterNames) delete rest[name];
    return rest;
  };
  const keeps = (filters) => {
    const [status, overdue] = itemFilterNames.map((name) => filters[name]);
    const rest = Object.entries(withoutItems(filters));
    return (r) =>
      rest.every(([name, value]) => valuesOf(r.id, name).includes(value)) &&
      (!(status || overdue) ||
        valuesOf(r.id, tables.itemState).some((value) => {
          const state = parseState(value, tables);
          return (!status || state.status === status) && (!overdue || state.lateness === overdue);
        }));
  };
  // Pagefind's filter-count shape, {name: {value: notices}}, over some results: each
  // bundle's value numbers counted, then named.
  const tally = (results, names) => {
    const byBundle = new Map(); // prefix -> name -> value number -> notices
    for (const r of results) {
      const [prefix, n] = rowOf(r.id);
      const data = columns.get(prefix);
      if (!data) continue;
      if (!byBundle.has(prefix)) byBundle.set(prefix, names.map(() => new Map()));
      const counted = byBundle.get(prefix);
      names.forEach((name, k) => {
        const row = (data.pages[name] || [])[n];
        if (row === undefined) return;
        const seen = counted[k];
        if (Array.isArray(row)) for (const v of row) seen.set(v, (seen.get(v) || 0) + 1);
        else seen.set(row, (seen.get(row) || 0) + 1);
      });
    }
    const out = Object.fromEntries(names.map((name) => [name, {}]));
    for (const [prefix, counted] of byBundle) {
      const data = columns.get(prefix);
      names.forEach((name, k) => {
        for (const [v, notices] of counted[k]) {
          const value = data.values[name][v];
          out[name][value] = (out[name][value] || 0) + notices;
        }
      });
    }
    return out;
  };
  const facetNames = () => Object.keys((columns.get("") || { values: {} }).values);

  // Relevance for "which notice is most about this": raw frequency, no length penalty
  // (BM25's length normalisation buried the long notices with the most matching items).
  // The published index holds no word counts for it (bundle/reproducible.py, WORD_COUNT).
  const options = { excerptLength: 60, ranking: { pageLength: 0, termFrequency: 1, termSaturation: 2 } };
  // Pagefind reads the index's language from the page's lang when it starts (and for a zh
  // page cuts each query into the browser's words: 已完 -> 已 完): it starts in ours.
  const inLanguage = (language, start) => {
    const root = document.documentElement;
    const lang = root.lang;
    root.lang = language;
    try {
      return start(); // the language is read before its first await
    } finally {
      root.lang = lang;
    }
  };
  let publishedColumns = null;
  const loadPublishedColumns = () => (publishedColumns ??= loadColumns(new URL("./", bundle).href, ""));

  // Pagefind instances start one at a time, each until it can search (filters() waits for
  // that): two starting together in Pagefind's worker each loaded the WebAssembly, and the
  // second replaced the first's under it ("unreachable" in the first one's searches).
  let starting = Promise.resolve();
  const started = (begin) => {
    const next = starting.then(async () => {
      const instance = await begin();
      await instance.filters();
      return instance;
    });
    starting = next.catch(() => {});
    return next;
  };

  const load = () => {
    const begin = async () => {
      const pf = await import(bundle);
      await pf.options(options);
      inLanguage(tables.indexLanguage, () => pf.init());
      return pf;
    };
    pagefind ??= started(begin).then(async (pf) => {
      const loading = [loadPublishedColumns()];
      if (preview) {
        const about = await (await fetch(preview + "preview.json")).json();
        stale = new Set(about.stale);
        if (about.index) {
          loading.push(loadColumns(preview, about.ids));
          await pf.mergeIndex(preview, { ...options, language: tables.indexLanguage });
        }
      }
      await Promise.all(loading);
      return pf;
    });
    return pagefind;
  };

  // The last few answers, by key: a search or a ranking asked again (the counts ask for the
  // ones the results ran) is not worked out again.
  const remember = (answers, key, make, most = 16) => {
    if (answers.has(key)) return answers.get(key);
    const next = make();
    answers.set(key, next);
    next.catch(() => answers.delete(key));
    if (answers.size > most) answers.delete(answers.keys().next().value);
    return next;
  };

  // Pagefind's search is not safe to run concurrently: overlapping calls returned empty
  // results. Every search goes through this queue, one at a time.
  let queue = Promise.resolve();
  const searches = new WeakMap(); // per index (Pagefind instance)
  const find = (pf, term, options) => {
    if (!searches.has(pf)) searches.set(pf, new Map());
    return remember(searches.get(pf), JSON.stringify([term, options]), () => {
      const next = queue
        .then(() => pf.search(term, options))
        .then((found) => {
          if (found && stale.size) found.results = found.results.filter((r) => !stale.has(r.id));
          return found;
        });
      queue = next.catch(() => {});
      return next;
    });
  };

  // A result's URL relative to the site root: the index gives "/notices/a/"; an index merged
  // from another folder (the preview's) gives it with the origin.
  const siteUrl = (url) => {
    const full = new URL(url, siteRoot).href;
    return full.startsWith(siteRoot) ? full.slice(siteRoot.length) : url.replace(/^\//, "");
  };

  // The notices holding every term, in order: newest first, or by how often they hold the
  // query, newest first among equals. All of them, before the facets choose (keeps).
  const ranked = new Map();
  const matching = async (parts, sort) => {
    const { index, pf } = await prepared();
    return remember(ranked, JSON.stringify([parts, sort]), () => (index ? fromIndex(index, parts, sort) : ordered(pf, parts, sort)));
  };
  // The same from Pagefind's library (the preview's merged index). Relevance sorts the
  // newest-first results by how often they hold the query (a stable sort): among equals the
  // newest first, an order the lists of each word's most frequent notices reproduce
  // (fromLists()). The positions come from one more search, of the query's words.
  const ordered = async (pf, parts, sort) => {
    const bySort = { sort: { date: "desc" } };
    if (!parts.length) return (await find(pf, tables.everyNotice, bySort)).results;
    const lists = [];
    for (const part of parts) lists.push((await find(pf, pagefindTerm(part, han), bySort)).results);
    const also = lists.slice(1).map((list) => new Set(list.map((r) => r.id)));
    const results = lists[0].filter((r) => also.every((ids) => ids.has(r.id)));
    if (sort !== "date") {
      // one term of one word was searched as that word: its results hold all its positions
      const single = parts.length === 1 && !pagefindTerm(parts[0], han).startsWith('"');
      const scored = single ? lists[0] : (await find(pf, parts.map((p) => p.words.join(" ")).join(" "), {})).results;
      const rank = new Map(scored.map((r) => [r.id, occurrences(r.words, parts)]));
      const of = (r) => rank.get(r.id) || 0;
      results.sort((a, b) => of(b) - of(a));
    }
    return results;
  };

  // A result's page data, read from its fragment file: what Pagefind's data() returns less the
  // excerpts and sub-results it works out from every matched position first (10 notices
  // holding 整改 95 times each: half a second of the first search), which the page does not
  // use. A merged index (the preview's) keeps data(): its fragments are in another folder.
  const fragments = new URL("fragment/", bundle).href;
  // A gzipped file of the bundle, as text.
  const gunzipped = async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(response.status + " " + response.url);
    return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).text();
  };
  const fetchedJson = async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(response.status + " " + response.url);
    return response.json();
  };
  // A bundle file of rows beginning with a word (generator/search/top.py, counts.py), read
  // once: a Map word -> row.
  const wordFiles = new Map();
  const wordRows = (name) => {
    const read = async () => JSON.parse(await gunzipped(new URL(name, bundle).href));
    return remember(wordFiles, name, () => read().then((rows) => new Map(rows.map((row) => [row[0], row]))), Infinity);
  };
  const gunzippedBytes = async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(response.status + " " + response.url);
    return new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
  };

  // The bundle's indexes read here (pagefind-index.js), by language; null for the preview (its
  // index is merged by Pagefind's library), a browser without DecompressionStream, or a bundle
  // of a Pagefind version whose format the reader does not know.
  const readers = new Map();
  const reader = (language) => {
    if (!readers.has(language)) {
      const open = async () => {
        if (preview || library || typeof DecompressionStream === "undefined") return null;
        const entry = await publishedEntry();
        const info = (entry.languages || {})[language];
        if (!info || entry.version !== tables.pagefindFormat) return null;
        const index = await openIndex(new URL("./", bundle).href, info.hash, gunzippedBytes);
        const counts = language === tables.indexLanguage && entry[tables.countsEntry];
        return counts ? { ...index, counted: openCounts(new URL(counts, bundle).href) } : index;
      };
      const next = open();
      readers.set(language, next);
      next.catch(() => readers.delete(language));
    }
    return readers.get(language);
  };
  // Each word's pages and counts without its positions (generator/search/counts.py), from the
  // files a merged bundle holds for every word: counted(w) -> {pages, counts} (none if no
  // page holds w). The files' listing is fetched with the first word asked for.
  const openCounts = (listingUrl) => {
    const listing = new Map(); // its one promise
    return async (w) => {
      // [[bound, file]]: w is in the last file whose bound <= w
      const bounds = await remember(listing, listingUrl, () => fetchedJson(listingUrl));
      let lo = 0;
      let hi = bounds.length;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (compare(bounds[mid][0], w) <= 0) lo = mid;
        else hi = mid;
      }
      const row = bounds.length && (await wordRows(bounds[lo][1])).get(w);
      if (!row) return { pages: new Uint32Array(0), counts: new Uint32Array(0) };
      const pages = new Uint32Array(row[1].length);
      let page = 0;
      row[1].forEach((delta, k) => (pages[k] = page += delta));
      return { pages, counts: Uint32Array.from(row[2]) };
    };
  };

  // What a search of the whole archive reads: the index here, or else Pagefind's library (which
  // loads the facets too). The facets load beside it (withColumns).
  let preparing = null;
  const prepared = () =>
    (preparing ??= (async () => {
      const index = await reader(tables.indexLanguage);
      return index ? { index } : { pf: await load() };
    })());
  const withColumns = (...work) => Promise.all([...work, loadPublishedColumns()]).then((done) => done[0]);

  // Each page holding a term, with how often: a Map page number -> occurrences. A term of one
  // word: one CJK character is every word that begins with it, as Pagefind extends a word (整
  // finds 整改; each position counted once); a bigram or a Latin word or number is itself
  // (the only longer words beginning with a bigram, 问题-问's whole, are at a position that
  // holds the bigram: Pagefind's extension finds no other notice, no other position); a page
  // holding it only in its meta counts, with no occurrence (a word's counts, when the bundle
  // has them, are these numbers without the positions). A term of more words: its words at
  // consecutive positions.
  const termPages = async (index, part) => {
    const count = new Map();
    if (part.words.length === 1) {
      const [w] = part.words;
      if (!part.prefix && index.counted) {
        const { pages, counts } = await index.counted(w);
        for (let k = 0; k < pages.length; k++) count.set(pages[k], counts[k]);
        return count;
      }
      const lists = part.prefix ? await index.prefixed(w) : [await index.word(w)].filter(Boolean);
      if (lists.length === 1) {
        const { pages, from } = lists[0];
        for (let k = 0; k < pages.length; k++) count.set(pages[k], from[k + 1] - from[k]);
        return count;
      }
      const at = new Map();
      for (const { pages, from, positions } of lists) {
        for (let k = 0; k < pages.length; k++) {
          if (!at.has(pages[k])) at.set(pages[k], new Set());
          const seen = at.get(pages[k]);
          for (let i = from[k]; i < from[k + 1]; i++) seen.add(positions[i]);
        }
      }
      for (const [page, seen] of at) count.set(page, seen.size);
      return count;
    }
    const lists = await Promise.all(part.words.map((w) => index.word(w)));
    if (lists.some((list) => !list)) return count;
    const [first, ...rest] = lists;
    const next = rest.map(() => 0); // each list's posting, going up the pages with the first
    for (let k = 0; k < first.pages.length; k++) {
      const page = first.pages[k];
      const at = [];
      let all = true;
      rest.forEach((list, i) => {
        while (next[i] < list.pages.length && list.pages[next[i]] < page) next[i]++;
        if (next[i] < list.pages.length && list.pages[next[i]] === page) at.push(next[i]);
        else all = false;
      });
      if (!all) continue;
      // positions p of the first word with the i-th word after it at p + i
      const cursor = rest.map((list, i) => list.from[at[i]]);
      let n = 0;
      for (let a = first.from[k]; a < first.from[k + 1]; a++) {
        const p = first.positions[a];
        let found = true;
        for (let i = 0; i < rest.length && found; i++) {
          const { positions, from } = rest[i];
          const end = from[at[i] + 1];
          while (cursor[i] < end && positions[cursor[i]] < p + i + 1) cursor[i]++;
          found = cursor[i] < end && positions[cursor[i]] === p + i + 1;
        }
        if (found) n++;
      }
      if (n) count.set(page, n);
    }
    return count;
  };

  // The notices holding every term of the query, from an index read here: newest first (the
  // date sort; a notice without a date is in no order, as Pagefind leaves it out), or by how
  // often they hold the query, newest first among equals; [{id}].
  const fromIndex = async (index, parts, sort) => {
    const counts = parts.length
      ? await Promise.all(parts.map((part) => termPages(index, part)))
      : [await termPages(index, { words: [tables.everyNotice] })];
    const results = [];
    for (const page of index.newestFirst) {
      let occ = 0;
      let all = true;
      for (const count of counts) {
        const n = count.get(page);
        if (n === undefined) {
          all = false;
          break;
        }
        occ += n;
      }
      if (all) results.push({ id: index.ids[page], occ });
    }
    if (sort !== "date") results.sort((a, b) => b.occ - a.occ);
    return results;
  };

  // The last pages loaded are kept by id (an id names one content: ordinal()): a first page
  // shown early is the whole index's page too.
  const loadedPages = new Map();
  const pageData = (result) => {
    if (preview || typeof DecompressionStream === "undefined") return result.data();
    const load = async () => {
      const text = await gunzipped(fragments + result.id + ".pf_fragment");
      return JSON.parse(text.slice(text.indexOf("{")));
    };
    return remember(loadedPages, result.id, load, 64);
  };

  // The newest notices' index (generator/search/newest.py), in a Pagefind instance of its own
  // (sharing the bundle's WebAssembly and worker); null if the bundle has none, or in the
  // preview (its merged index is the whole one's).
  let newest = null;
  const loadNewest = () =>
    (newest ??= (async () => {
      if (preview) return null;
      const about = await publishedEntry();
      if (!(about.languages || {})[tables.newestLanguage]) return null;
      const pf = await import(bundle);
      if (!pf.createInstance) return null;
      return started(() => inLanguage(tables.newestLanguage, () => pf.createInstance(options)));
    })());

  // The lists of each bigram's most frequent notices (generator/search/top.py): the list of
  // their files, then each file as a word of the query needs it. null: the bundle has none (a
  // small portal, the preview's).
  let topFiles = null;
  const loadTopFiles = () =>
    (topFiles ??= (async () => {
      if (preview || typeof DecompressionStream === "undefined") return null;
      const name = (await publishedEntry())[tables.topEntry];
      if (!name) return null;
      return fetchedJson(new URL(name, bundle).href);
    })());
  // A word's lists: {left: [count, rank] of the first notice left out, or null when none was;
  // pages: [{id, rank, count}] in the list's order; held: how many notices hold the word;
  // newest: [{id, rank}], its newest notices, newest first}; null when no dated notice holds it.
  const topOf = async (word) => {
    const files = await loadTopFiles();
    const file = files.find(([firstWord, lastWord]) => firstWord <= word && word <= lastWord);
    if (!file) return null;
    const row = (await wordRows(file[2])).get(word);
    if (!row) return null;
    const pages = row[2].map(([id, rank, count]) => ({ id, rank, count }));
    return { left: row[1], pages, held: row[3], newest: row[4].map(([id, rank]) => ({ id, rank })) };
  };

  // Where a loaded page holds any of a term's words: the positions Pagefind gives a search
  // for them (words(), as the excerpts use them).
  const positionsIn = (data, chain) => {
    const wanted = new Set(chain);
    return wordsOf(data, tables)
      .filter((w) => w.w.some((word) => wanted.has(word)))
      .map((w) => w.pos);
  };

  // A page of results from one word's list, when it proves the page is the whole index's;
  // else null. One term of bigrams, its characters all different: a notice then holds the
  // term at most as often as it holds any one of them, and only if it holds all of them.
  // Newest first: going down the rarest word's newest notices, those that hold the term (its
  // positions in the notice's own text, its fragment, which is loaded to show it anyway)
  // until there is a page of them: every notice left out of the list is older. By relevance:
  // going down the list of the word whose left-out notices hold it least often, each
  // notice's own count of the term (a one-bigram term's is the list's) until no notice
  // further down, nor any left out, can come before the page's last one.
  const fromLists = async (query, filters, limit, offset, sort) => {
    if (!(await loadTopFiles())) return null;
    const parts = terms(query);
    if (parts.length !== 1) return null;
    const chain = parts[0].words;
    if (!chain.every((w) => [...w].length === 2 && [...w].every((c) => han.test(c)))) return null;
    const chars = [[...chain[0]][0], ...chain.map((w) => [...w][1])];
    if (new Set(chars).size !== chars.length) return null;
    const lists = await Promise.all(chain.map(topOf));
    if (lists.some((list) => !list)) return null;
    if (Object.keys(filters).length) await loadPublishedColumns();
    const keep = keeps(filters);
    const byDate = sort === "date";
    const least = byDate ? (l) => [l.held] : (l) => [l.left ? l.left[0] : -1, l.held];
    const less = (a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
    const list = lists.reduce((a, b) => (less(least(b), least(a)) ? b : a));
    const entries = byDate ? list.newest : list.pages;
    const need = offset + limit;
    const best = []; // {id, rank, occ}, in the whole index's order
    const comesBefore = (occ, rank, other) => occ > other.occ || (occ === other.occ && rank < other.rank);
    const settled = byDate
      ? () => best.length >= need
      : (count, rank) => best.length >= need && !comesBefore(count, rank, best[need - 1]);
    let next = 0;
    while (next < entries.length && !settled(entries[next].count, entries[next].rank)) {
      // the next few notices the filters keep, loaded together when the term has two words or more
      const batch = [];
      while (next < entries.length && batch.length < Math.max(need - best.length, 1)) {
        const p = entries[next++];
        if (keep(p)) batch.push(p);
      }
      const data = chain.length > 1 ? await Promise.all(batch.map(pageData)) : [];
      for (const [i, p] of batch.entries()) {
        if (settled(p.count, p.rank)) break;
        const occ = chain.length > 1 ? occurrences(positionsIn(data[i], chain), parts) : p.count || 1;
        if (occ > 0) best.push({ id: p.id, rank: p.rank, occ });
        if (!byDate) best.sort((a, b) => b.occ - a.occ || a.rank - b.rank);
      }
    }
    if (best.length < need) return null;
    if (!byDate && next >= entries.length && list.left && !settled(...list.left)) return null;
    const shown = best.slice(offset, need);
    const data = await Promise.all(shown.map(pageData)); // kept by id: loaded once
    return { groups: data.map((d) => describe(d, parts, filters, tables, siteUrl)) };
  };

  // first(query, filters, limit, offset, sort) -> {groups} or null: a page of the results
  // worked out without the whole index, or null (ask search()): from each word's lists
  // (fromLists()), then, newest first, from the newest notices' index alone, when it holds
  // the whole page: then no older notice can be on it, and it is the whole index's page (the
  // same notices, in the same order: the date sort has no ties).
  const first = async (query, filters, limit, offset = 0, sort = "date") => {
    const listed = await fromLists(query, filters, limit, offset, sort);
    if (listed || sort !== "date") return listed;
    const parts = terms(query);
    const index = await reader(tables.newestLanguage);
    const pf = index ? null : await loadNewest();
    if (!index && !pf) return null;
    if (Object.keys(filters).length) await loadPublishedColumns();
    const results = (await (index ? fromIndex(index, parts, "date") : ordered(pf, parts, "date"))).filter(keeps(filters));
    if (results.length < offset + limit) return null;
    const loaded = await Promise.all(results.slice(offset, offset + limit).map(pageData));
    return { groups: loaded.map((data) => describe(data, parts, filters, tables, siteUrl)) };
  };

  // search(query, filters, sort, limit, offset) -> {groups, notices}: notices in order (most
  // occurrences of the query first, or newest first), each with its matching own text and
  // items. limit = notices to load (0: all); offset: notices to skip (a later page). Only the
  // notices shown are loaded.
  const search = async (query, filters, sort, limit, offset = 0) => {
    const parts = terms(query);
    const chosen = Object.keys(filters).length > 0;
    const all = await (chosen ? withColumns(matching(parts, sort)) : matching(parts, sort));
    const results = all.filter(keeps(filters));
    const loading = limit ? results.slice(offset, offset + limit) : results;
    const loaded = await Promise.all(loading.map(pageData));
    const groups = loaded.map((data) => describe(data, parts, filters, tables, siteUrl));
    return { groups, notices: results.length };
  };

  // Facet counts over the results: notices per value of the notice facets (all filters
  // chosen); items per status and per lateness (each counted with the other item filter, if
  // chosen, and the notice filters); and the items the chosen filters leave.
  const counts = async (query, filters, sort = "date") => {
    const all = await withColumns(matching(terms(query), sort));
    const notices = itemFilterNames.concat(tables.itemState);
    const facets = tally(all.filter(keeps(filters)), facetNames().filter((n) => !notices.includes(n)));
    const held = tally(all.filter(keeps(withoutItems(filters))), [tables.itemState])[tables.itemState];
    const states = itemCounts(held, tables);
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

  // Every facet value, with its notices (the facet lists before any search), from the columns.
  const filterValues = async () => {
    await withColumns(prepared());
    const out = Object.fromEntries(facetNames().map((name) => [name, {}]));
    const staleRows = new Set([...stale].filter((id) => !/^[g-z]/.test(id)).map((id) => parseInt(id, 16)));
    for (const [prefix, data] of columns) {
      for (const name of facetNames()) {
        (data.pages[name] || []).forEach((row, n) => {
          if (!prefix && staleRows.has(n)) return;
          for (const v of Array.isArray(row) ? row : [row]) {
            const value = data.values[name][v];
            out[name][value] = (out[name][value] || 0) + 1;
          }
        });
      }
    }
    return out;
  };

  // warm(): the bundle's entry and the lists' files fetched ahead of a first query (while the
  // page loads its other scripts and the variants map).
  const warm = () => void loadTopFiles().catch(() => {});

  // matches(query, sort): the ids of every notice holding the query, in order.
  const matches = async (query, sort) => (await matching(terms(query), sort)).map((r) => r.id);

  return { search, first, counts, filterValues, matches, query, siteRoot, pageData, warm };
}
