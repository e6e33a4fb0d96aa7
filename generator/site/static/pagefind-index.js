// Pagefind's index read in the page, without Pagefind's library: its meta file and the index
// chunks of a query's words, decoded here, for a search over the whole archive.
//
// Pagefind's own search (its WebAssembly) works out a score and every matched position of
// every matching page, and its phrase search looks each page up in every posting of the
// phrase's words: at 10,000 notices one search for 整改 took 2.4 s of its worker, for the
// phrase 举报奖励 0.6 s, and a query by relevance ran two. The search page needs much less of
// it: which notices hold the query, how often, and in what date order. Read directly, the
// same chunks give that in a few milliseconds.
//
// The format is Pagefind 1.5.2's (generator/search/bundle/format.py says what each file holds;
// the page refuses a bundle of another version, pagefindFormat in the page's tables, and
// search-engine.js then asks Pagefind's library instead). Data files are gzip, the signature
// "pagefind_dcd", then CBOR. A chunk: [[[word, postings, variants], ...]]; a posting: [page
// number delta, locations, meta locations]; a location is the delta from the one before, a
// negative number a weight for the ones after it, which are counted from 0 again (a page's
// locations come by weight: a heading's before the text's).

const SIGNATURE = new TextEncoder().encode("pagefind_dcd");

// A CBOR reader over bytes, for what Pagefind writes: integers, text, byte strings, arrays
// and maps of definite length, and the simple values.
class Cbor {
  constructor(bytes, at = 0) {
    this.bytes = bytes;
    this.at = at;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.text = new TextDecoder();
  }

  // [major type, argument, additional information]
  head() {
    const first = this.bytes[this.at++];
    const major = first >> 5;
    const info = first & 31;
    let n;
    if (info < 24) n = info;
    else if (info === 24) n = this.view.getUint8(this.at);
    else if (info === 25) n = this.view.getUint16(this.at);
    else if (info === 26) n = this.view.getUint32(this.at);
    else if (info === 27) n = this.view.getUint32(this.at) * 2 ** 32 + this.view.getUint32(this.at + 4);
    else throw new Error("CBOR: unsupported head " + first + " at " + (this.at - 1));
    if (info >= 24) this.at += 1 << (info - 24);
    return [major, n, info];
  }

  // an integer (major type 0 or 1)
  int() {
    const [major, n] = this.head();
    if (major === 0) return n;
    if (major === 1) return -1 - n;
    throw new Error("CBOR: expected an integer at " + this.at);
  }

  // an array's length
  array() {
    const [major, n] = this.head();
    if (major !== 4) throw new Error("CBOR: expected an array at " + this.at);
    return n;
  }

  value() {
    const [major, n, info] = this.head();
    switch (major) {
      case 0:
        return n;
      case 1:
        return -1 - n;
      case 2: {
        const bytes = this.bytes.subarray(this.at, this.at + n);
        this.at += n;
        return bytes;
      }
      case 3: {
        const text = n <= 24 ? utf8(this.bytes, this.at, this.at + n) : this.text.decode(this.bytes.subarray(this.at, this.at + n));
        this.at += n;
        return text;
      }
      case 4: {
        const out = new Array(n);
        for (let i = 0; i < n; i++) out[i] = this.value();
        return out;
      }
      case 5: {
        const out = {};
        for (let i = 0; i < n; i++) out[this.value()] = this.value();
        return out;
      }
      case 7:
        return this.simple(n, info);
      default:
        throw new Error("CBOR: unsupported major type " + major);
    }
  }

  // a simple value or a float (the argument was read as an integer: read again as a float)
  simple(n, info) {
    if (info === 25) return float16(n);
    if (info === 26) return this.view.getFloat32(this.at - 4);
    if (info === 27) return this.view.getFloat64(this.at - 8);
    return { 20: false, 21: true, 22: null, 23: undefined }[n];
  }

  // past one value, without building it
  skip() {
    const [major, n] = this.head();
    if (major === 2 || major === 3) this.at += n;
    else if (major === 4) for (let i = 0; i < n; i++) this.skip();
    else if (major === 5) for (let i = 0; i < 2 * n; i++) this.skip();
  }
}

// A short UTF-8 string (a word, a page id), decoded here: TextDecoder costs more per call than
// the few characters take.
function utf8(bytes, at, end) {
  let out = "";
  while (at < end) {
    const b = bytes[at++];
    let c;
    if (b < 0x80) c = b;
    else if (b < 0xe0) c = ((b & 31) << 6) | (bytes[at++] & 63);
    else if (b < 0xf0) c = ((b & 15) << 12) | ((bytes[at++] & 63) << 6) | (bytes[at++] & 63);
    else c = ((b & 7) << 18) | ((bytes[at++] & 63) << 12) | ((bytes[at++] & 63) << 6) | (bytes[at++] & 63);
    out += String.fromCodePoint(c);
  }
  return out;
}

function float16(bits) {
  const exponent = (bits >> 10) & 31;
  const fraction = bits & 1023;
  const sign = bits & 32768 ? -1 : 1;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

// A data file's CBOR, past its signature.
function dataFile(bytes) {
  for (let i = 0; i < SIGNATURE.length; i++) {
    if (bytes[i] !== SIGNATURE[i]) throw new Error("not a Pagefind data file");
  }
  return new Cbor(bytes, SIGNATURE.length);
}

export function decode(bytes) {
  return dataFile(bytes).value();
}

// Strings in the order Pagefind sorts its words (Rust's: by code point; JavaScript's < compares
// UTF-16 units, which differ only past U+FFFF).
export function compare(a, b) {
  if (!/[\ud800-\udfff]/.test(a + b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = [...a].map((c) => c.codePointAt(0));
  const y = [...b].map((c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

// A word's postings: pages (page numbers, ascending) and, for the k-th, its positions in
// the page's text positions[from[k] .. from[k + 1]] (sorted ascending; meta locations left
// out: a page holding the word only in its meta has none).
function postings(reader) {
  const count = reader.array();
  const pages = new Uint32Array(count);
  const from = new Uint32Array(count + 1);
  let positions = new Int32Array(Math.max(16, count * 4));
  let used = 0;
  let page = 0;
  for (let k = 0; k < count; k++) {
    const fields = reader.array();
    page += reader.int();
    pages[k] = page;
    from[k] = used;
    const locations = reader.array();
    if (used + locations > positions.length) {
      const more = new Int32Array(Math.max(2 * positions.length, used + locations));
      more.set(positions);
      positions = more;
    }
    let position = 0;
    let sorted = true;
    for (let i = 0; i < locations; i++) {
      const value = reader.int();
      if (value < 0) position = 0; // a weight: its locations are counted from 0 again
      else {
        position += value;
        if (used > from[k] && position < positions[used - 1]) sorted = false;
        positions[used++] = position;
      }
    }
    if (!sorted) positions.subarray(from[k], used).sort();
    for (let f = 2; f < fields; f++) reader.skip(); // the meta locations
  }
  from[count] = used;
  return { pages, from, positions: positions.subarray(0, used) };
}

// One language's index: openIndex(folder URL, its meta file's hash, a reader of gzipped files
// as bytes) -> {ids, newestFirst, word(w), prefixed(p)}.
export async function openIndex(base, hash, gunzip) {
  const meta = decode(await gunzip(base + "pagefind." + hash + ".pf_meta"));
  const [version, pages, chunks, , sorts] = meta;
  const ids = pages.map((page) => page[0]);
  const dates = (sorts.find((sort) => sort[0] === "date") || [null, []])[1];
  const newestFirst = Int32Array.from(dates).reverse();

  // each chunk's words, decoded as they are asked for: word -> postings
  const loaded = new Map();
  const chunkWords = (hash) => {
    if (!loaded.has(hash)) {
      const next = gunzip(base + "index/" + hash + ".pf_index").then((bytes) => {
        const reader = dataFile(bytes);
        const fields = reader.array();
        const words = new Map();
        const rows = reader.array();
        for (let r = 0; r < rows; r++) {
          const size = reader.array();
          const word = reader.value();
          words.set(word, reader.at); // decoded when asked for
          reader.skip();
          for (let f = 2; f < size; f++) reader.skip();
        }
        for (let f = 1; f < fields; f++) reader.skip();
        return { bytes, words, decoded: new Map() };
      });
      loaded.set(hash, next);
      next.catch(() => loaded.delete(hash));
    }
    return loaded.get(hash);
  };
  const postingsOf = (chunk, word) => {
    if (!chunk.decoded.has(word)) chunk.decoded.set(word, postings(new Cbor(chunk.bytes, chunk.words.get(word))));
    return chunk.decoded.get(word);
  };

  // The chunks that may hold a word, or words beginning with it. A chunk's bounds are
  // prefixes of its first and last words (Pagefind shortens them: a chunk from 港 to 点 holds
  // 点企): compared over the shorter length, as Pagefind does when its exact comparison finds
  // no chunk.
  const near = (term) => {
    const t = [...term];
    const cut = (bound) => [t.slice(0, [...bound].length).join(""), [...bound].slice(0, t.length).join("")];
    return chunks.filter(([first, last]) => {
      const [a, from] = cut(first);
      const [b, to] = cut(last);
      return compare(a, from) >= 0 && compare(b, to) <= 0;
    });
  };
  // the postings of a word (null if no page holds it): in the chunk whose bounds hold it, or
  // else in the chunks that may
  const word = async (w) => {
    const strict = chunks.filter(([first, last]) => compare(first, w) <= 0 && compare(w, last) <= 0);
    for (const chunk of [...strict, ...near(w).filter((c) => !strict.includes(c))]) {
      const words = await chunkWords(chunk[2]);
      if (words.words.has(w)) return postingsOf(words, w);
    }
    return null;
  };
  // the postings of every word that begins with p
  const prefixed = async (p) => {
    const out = [];
    for (const words of await Promise.all(near(p).map((chunk) => chunkWords(chunk[2])))) {
      for (const w of words.words.keys()) if (w.startsWith(p)) out.push(postingsOf(words, w));
    }
    return out;
  };
  return { version, ids, newestFirst, word, prefixed };
}
