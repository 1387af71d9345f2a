// milaf search: runs in the reader's browser, from a web server or from
// file:// alike. The index is a set of scripts written by milaf
// (src/render/search.rs documents their format): search/index.js, loaded
// with the page, is the manifest (or, for a small dossier, the whole
// index); each other shard is loaded when a query needs it, by adding a
// <script> element, never by fetch, and inflated (each holds its data
// deflated, 7 bits per character) with the browser's DecompressionStream. Text and query are cut into terms the
// same way as milaf's Rust code: the Arabic normalisation of src/arabic.rs
// (whose rule table this file follows step by step), then the words and
// their forms without proclitics of src/terms.rs; tests/browser checks
// that both give the same result on every case.
(function (root) {
  "use strict";

  // Step 2: invisible characters removed outright.
  var DROPPED = /[\u00AD\u061C\u0640\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;
  var MARK = /\p{M}/u;
  var SPACE = /[\s\u0085]/;

  // Step 4: one letter or digit for another.
  function fold(c) {
    switch (c) {
      case "\u0671": return "\u0627"; // ٱ → ا
      case "\u0649": case "\u06CC": return "\u064A"; // ى ی → ي
      case "\u0629": return "\u0647"; // ة → ه
      case "\u06A9": return "\u0643"; // ک → ك
      case "\u03C2": return "\u03C3"; // ς → σ
    }
    var code = c.codePointAt(0);
    if (code >= 0x0660 && code <= 0x0669) return String.fromCharCode(48 + code - 0x0660);
    if (code >= 0x06F0 && code <= 0x06F9) return String.fromCharCode(48 + code - 0x06F0);
    return c;
  }

  // The normalised text and, for each of its UTF-16 units, the index in
  // `s` of the character it came from (one more entry closes the map).
  function normalizeWithMap(s) {
    var text = "";
    var map = [];
    var i = 0;
    while (i < s.length) {
      var ch = String.fromCodePoint(s.codePointAt(i));
      var at = i;
      i += ch.length;
      if (DROPPED.test(ch)) continue;
      if (SPACE.test(ch)) {
        if (text.charAt(text.length - 1) !== " ") {
          text += " ";
          map.push(at);
        }
        continue;
      }
      if (MARK.test(ch)) continue;
      for (var part of ch.normalize("NFD")) {
        if (MARK.test(part)) continue;
        for (var lower of part.toLowerCase()) {
          if (MARK.test(lower)) continue;
          var out = fold(lower);
          text += out;
          for (var k = 0; k < out.length; k++) map.push(at);
        }
      }
    }
    map.push(s.length);
    return { text: text, map: map };
  }

  function normalize(s) {
    return normalizeWithMap(s).text;
  }

  // ---- Terms: the port of src/terms.rs ----
  var WORD = /[\p{Alphabetic}\p{M}\p{N}]/u;
  var MIN_STEM = 3;

  // The words of normalised text, each with its UTF-16 range in it.
  function wordsAt(text) {
    var out = [];
    var start = -1;
    var i = 0;
    while (i <= text.length) {
      var cp = i < text.length ? text.codePointAt(i) : -1;
      var ch = cp < 0 ? "" : String.fromCodePoint(cp);
      var isWord = cp >= 0 && WORD.test(ch);
      if (isWord && start < 0) start = i;
      if (!isWord && start >= 0) {
        out.push({ w: text.slice(start, i), start: start, end: i });
        start = -1;
      }
      i += cp < 0 ? 1 : ch.length;
    }
    return out;
  }

  function words(text) {
    return wordsAt(text).map(function (w) { return w.w; });
  }

  // The letter that stands for each letter of a sound foreign names spell
  // in several ways (src/terms.rs `spelling_letter`): g, v, p.
  var SPELLING = {
    "\u063A": "\u06AF", "\u062C": "\u06AF", "\u0642": "\u06AF", "\u0643": "\u06AF", // غ ج ق ك → گ
    "\u06AD": "\u06AF", "\u0763": "\u06AF", "\u06A8": "\u06AF", "\u0686": "\u06AF", // ڭ ݣ ڨ چ → گ
    "\u0641": "\u06A4", "\u06CB": "\u06A4", // ف ۋ → ڤ
    "\u0628": "\u067E" // ب → پ
  };

  // The word's spelling key, or null when that is the word itself
  // (src/terms.rs `spelling_key`).
  function spellingKey(word) {
    var changed = false;
    var out = "";
    for (var c of word) {
      var k = SPELLING[c];
      if (k !== undefined) changed = true;
      out += k === undefined ? c : k;
    }
    return changed ? out : null;
  }

  // The word, then its forms without proclitics, then the spelling key of
  // each that has one (src/terms.rs `forms`).
  function forms(word) {
    var out = [word];
    function push(f) {
      if (Array.from(f).length >= MIN_STEM && out.indexOf(f) < 0) out.push(f);
    }
    var rest = word;
    var c = rest.charAt(0);
    if (c === "\u0648" || c === "\u0641") { // و ف
      rest = rest.slice(1);
      push(rest);
    }
    c = rest.charAt(0);
    if (c === "\u0628" || c === "\u0643" || c === "\u0644") { // ب ك ل
      var after = rest.slice(1);
      push(after);
      if (c === "\u0644" && after.charAt(0) === "\u0644") push("\u0627" + after); // لل… = ل + ال…
    }
    var keys = [];
    out.forEach(function (f) {
      var k = spellingKey(f);
      if (k !== null && keys.indexOf(k) < 0) keys.push(k);
    });
    return out.concat(keys);
  }

  // A unit's text as its shard packs it (`render::search::pack_text`):
  // each of the common Arabic characters (U+0621–U+063A, U+0640–U+0652,
  // U+060C, U+061B, U+061F, U+0670, in that order) is one letter of
  // PACK_LETTERS; "~" is written before an ASCII character that is itself
  // in the text and is one of those letters or "~".
  var PACK_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvw";
  var PACKED = {};
  (function () {
    var codes = [];
    for (var c = 0x621; c <= 0x63a; c++) codes.push(c);
    for (c = 0x640; c <= 0x652; c++) codes.push(c);
    codes.push(0x60c, 0x61b, 0x61f, 0x670);
    for (var i = 0; i < codes.length; i++) PACKED[PACK_LETTERS.charAt(i)] = String.fromCharCode(codes[i]);
  })();
  function unpack(packed) {
    var out = [];
    for (var i = 0; i < packed.length; i++) {
      var c = packed.charAt(i);
      if (c === "~") out.push(packed.charAt(++i));
      else out.push(PACKED.hasOwnProperty(c) ? PACKED[c] : c);
    }
    return out.join("");
  }

  var api = { normalize: normalize, normalizeWithMap: normalizeWithMap, words: words, forms: forms, unpack: unpack };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
    return;
  }
  root.milafSearch = api;

  // ---- The index: shards loaded on demand ----
  var manifest = root.MILAF_SEARCH || { units: 0, per: 32, terms: [], shards: "shards/" };
  var pending = {};
  api.loaded = [];

  // The bytes a shard's string holds, 7 bits per character (the low 7
  // bits of its code), most significant first (search.rs `text7`).
  function bytesOf(text) {
    var n = Math.floor((text.length * 7) / 8);
    var bytes = new Uint8Array(n);
    var acc = 0, bits = 0, j = 0;
    for (var i = 0; i < text.length && j < n; i++) {
      acc = ((acc << 7) | (text.charCodeAt(i) & 127)) & 0x7fff;
      bits += 7;
      if (bits >= 8) {
        bits -= 8;
        bytes[j++] = (acc >> bits) & 255;
      }
    }
    return bytes;
  }

  // A shard's payload: its script's string is the payload compressed
  // with raw deflate.
  function inflate(text) {
    var bytes = bytesOf(text);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).arrayBuffer().then(function (buffer) { return new Uint8Array(buffer); });
  }

  // A shard as the search reads it, from its payload: a unit shard's
  // JSON; a term shard's entries (JSON up to the first line feed), each
  // with its postings' bytes from the rest when they are inline; a piece's
  // postings as they are.
  function readShard(name, bytes) {
    var utf8 = new TextDecoder();
    if (name.charAt(0) === "d") return JSON.parse(utf8.decode(bytes));
    if (name.charAt(0) !== "t") return bytes;
    var end = bytes.indexOf(10);
    var entries = JSON.parse(utf8.decode(bytes.subarray(0, end)));
    var at = end + 1;
    entries.forEach(function (e) {
      if (typeof e[2] !== "number") return;
      e[2] = bytes.subarray(at, at + e[2]);
      at += e[2].length;
    });
    return entries;
  }

  // The script of shard `name`, run: its value.
  function load(name) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = manifest.shards + name + ".js";
      s.onload = function () {
        s.remove();
        api.loaded.push(name);
        if (root.MILAF_SHARDS[name] === undefined) reject(new Error("search shard " + name + " is empty"));
        else resolve(root.MILAF_SHARDS[name]);
      };
      s.onerror = function () {
        s.remove();
        reject(new Error("search shard " + name + " could not be loaded"));
      };
      document.head.appendChild(s);
    });
  }

  // The shard `name`, decoded, from the scripts already run or by running
  // its file; its string is dropped once decoded.
  function need(name) {
    if (pending[name]) return pending[name];
    var shards = root.MILAF_SHARDS || (root.MILAF_SHARDS = {});
    var value = shards[name] !== undefined ? Promise.resolve(shards[name]) : load(name);
    pending[name] = value.then(inflate).then(function (bytes) {
      delete shards[name];
      return readShard(name, bytes);
    });
    pending[name].catch(function () { delete pending[name]; });
    return pending[name];
  }

  // The term shard that holds `term` (or would): the last whose first term is not after it.
  function termShard(term) {
    var firsts = manifest.terms;
    var lo = 0, hi = firsts.length - 1, at = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (firsts[mid] <= term) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at;
  }

  // The first entry of a term shard whose term is not before `term`.
  function lowerBound(entries, term) {
    var lo = 0, hi = entries.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (entries[mid][0] < term) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // Postings decoded: units in order, for each its positions p[o[i]..o[i+1]).
  // Each unit's head is its difference from the previous one, doubled,
  // plus 1 when it holds the term once (else the count follows), then the
  // differences between positions; every number a varint of 7 bits a byte.
  function decode(lists) {
    var out = { u: [], o: [0], p: [] };
    lists.forEach(function (bytes) {
      var i = 0, n = bytes.length, unit = 0;
      function next() {
        var v = 0, scale = 1, b;
        do {
          b = bytes[i++];
          v += (b & 127) * scale;
          scale *= 128;
        } while (b >= 128 && i < n);
        return v;
      }
      while (i < n) {
        var head = next();
        unit += Math.floor(head / 2);
        var count = head % 2 === 1 ? 1 : next();
        var pos = 0;
        for (var k = 0; k < count; k++) {
          pos += next();
          out.p.push(pos);
        }
        out.u.push(unit);
        out.o.push(out.p.length);
      }
    });
    return out;
  }

  var PREFIX_MAX = 8;
  var PREFIX_UNTIL = 50;

  // The keys a query term is looked up under, each with a level (0 the
  // term as typed, 1 a form without proclitics, 2 a word it begins, for
  // the last word while it is typed, unless the word as typed is in
  // PREFIX_UNTIL units or more): resolved against the term shards. A
  // spelling key's entry names the terms it stands for (its fourth
  // member): they are looked up too, at the key's level.
  function keysOf(term, prefix) {
    // A dossier without a word has no term shard.
    if (manifest.terms.length === 0) return Promise.resolve([]);
    var alts = forms(term);
    var shardNames = {};
    alts.forEach(function (a) {
      var i = termShard(a);
      shardNames[i] = true;
      // A prefix may run on into the next shard.
      if (prefix && i + 1 < manifest.terms.length && manifest.terms[i + 1].indexOf(a) === 0) shardNames[i + 1] = true;
    });
    var ids = Object.keys(shardNames).map(Number).sort(function (x, y) { return x - y; });
    var seen = {};
    return Promise.all(ids.map(function (i) { return need("t" + i); })).then(function (loaded) {
      var byShard = {};
      ids.forEach(function (i, k) { byShard[i] = loaded[k]; });
      var keys = [];
      alts.forEach(function (a, level) {
        var entries = byShard[termShard(a)];
        var at = lowerBound(entries, a);
        if (at < entries.length && entries[at][0] === a && !seen[a]) {
          seen[a] = true;
          keys.push({ term: a, level: level === 0 ? 0 : 1, entry: entries[at] });
        }
      });
      // A word that is already frequent as typed is taken as finished:
      // its completions would only add postings to load.
      var found = keys.reduce(function (n, k) { return n + k.entry[1]; }, 0);
      return withNamed(keys, seen).then(function (keys) {
        if (!(prefix && Array.from(term).length >= 2 && found < PREFIX_UNTIL)) return keys;
        var more = [];
        alts.forEach(function (a) {
          ids.forEach(function (i) {
            var entries = byShard[i];
            for (var at = lowerBound(entries, a); at < entries.length && entries[at][0].indexOf(a) === 0; at++) {
              if (!seen[entries[at][0]]) more.push(entries[at]);
            }
          });
        });
        more.sort(function (x, y) { return y[1] - x[1] || (x[0] < y[0] ? -1 : 1); });
        var completions = [];
        more.slice(0, PREFIX_MAX).forEach(function (e) {
          if (seen[e[0]]) return;
          seen[e[0]] = true;
          completions.push({ term: e[0], level: 2, entry: e });
        });
        return withNamed(completions, seen).then(function (completions) { return keys.concat(completions); });
      });
    });
  }

  // The keys, then the terms their spelling keys name (not seen yet), each
  // at the level of the key that names it.
  function withNamed(keys, seen) {
    var named = [];
    keys.forEach(function (k) {
      (k.entry[3] || []).forEach(function (name) {
        if (seen[name]) return;
        seen[name] = true;
        named.push({ term: name, level: k.level });
      });
    });
    if (named.length === 0) return Promise.resolve(keys);
    return Promise.all(named.map(function (n) { return need("t" + termShard(n.term)); })).then(function (shards) {
      named.forEach(function (n, i) {
        var entries = shards[i];
        var at = lowerBound(entries, n.term);
        if (at < entries.length && entries[at][0] === n.term) keys.push({ term: n.term, level: n.level, entry: entries[at] });
      });
      return keys;
    });
  }

  // The postings of one key: inline, or in pieces of their own.
  function postingsOf(key) {
    var p = key.entry[2];
    if (!Array.isArray(p)) return Promise.resolve(decode([p]));
    return Promise.all(p.map(function (n) { return need("o" + n); })).then(decode);
  }

  // The first piece of a key's postings, and whether it is all of them.
  function firstPostingsOf(key) {
    var p = key.entry[2];
    if (!Array.isArray(p)) return Promise.resolve({ list: decode([p]), complete: true });
    return need("o" + p[0]).then(function (piece) { return { list: decode([piece]), complete: p.length === 1 }; });
  }

  // The results known for sure from the first pieces: those of the best
  // level up to the first unit that a piece not loaded yet may hold.
  function firstHits(parts, keys) {
    var boundary = Infinity;
    parts.forEach(function (part) {
      if (!part.complete && part.list.u.length > 0) boundary = Math.min(boundary, part.list.u[part.list.u.length - 1]);
    });
    // All loaded: the whole list follows at once.
    if (boundary === Infinity) return [];
    var best = Math.min.apply(null, keys.map(function (k) { return k.level; }));
    var l = union(parts.map(function (part, i) { part.list.level = keys[i].level; return part.list; }));
    var hits = [];
    for (var i = 0; i < l.u.length && l.u[i] <= boundary; i++) {
      if (l.lv[i] === best) hits.push({ unit: l.u[i], span: 0, level: best, at: l.p[l.o[i]] });
    }
    return hits;
  }

  // The union of several keys' postings, with each unit's best level.
  function union(lists) {
    if (lists.length === 1) {
      var one = lists[0];
      one.lv = one.u.map(function () { return one.level; });
      return one;
    }
    var out = { u: [], o: [0], p: [], lv: [] };
    var idx = lists.map(function () { return 0; });
    for (;;) {
      var min = Infinity;
      for (var k = 0; k < lists.length; k++) {
        if (idx[k] < lists[k].u.length && lists[k].u[idx[k]] < min) min = lists[k].u[idx[k]];
      }
      if (min === Infinity) break;
      var ps = [];
      var level = 9;
      var from = 0;
      for (k = 0; k < lists.length; k++) {
        var l = lists[k];
        if (idx[k] < l.u.length && l.u[idx[k]] === min) {
          if (ps.length > 0) from++;
          for (var j = l.o[idx[k]]; j < l.o[idx[k] + 1]; j++) ps.push(l.p[j]);
          level = Math.min(level, l.level);
          idx[k]++;
        }
      }
      if (from > 0) {
        ps.sort(function (x, y) { return x - y; });
        ps = ps.filter(function (x, i) { return i === 0 || ps[i - 1] !== x; });
      }
      out.u.push(min);
      for (j = 0; j < ps.length; j++) out.p.push(ps[j]);
      out.o.push(out.p.length);
      out.lv.push(level);
    }
    return out;
  }

  // Units where the terms stand at consecutive positions; the positions
  // are those of the first term.
  function phrase(lists) {
    if (lists.length === 1) return lists[0];
    var out = { u: [], o: [0], p: [], lv: [] };
    var idx = lists.map(function () { return 0; });
    var first = lists[0];
    for (var i = 0; i < first.u.length; i++) {
      var unit = first.u[i];
      var all = true;
      for (var k = 1; k < lists.length && all; k++) {
        var l = lists[k];
        while (idx[k] < l.u.length && l.u[idx[k]] < unit) idx[k]++;
        all = idx[k] < l.u.length && l.u[idx[k]] === unit;
      }
      if (!all) continue;
      var level = first.lv[i];
      var starts = [];
      for (var j = first.o[i]; j < first.o[i + 1]; j++) {
        var s = first.p[j];
        var ok = true;
        for (k = 1; k < lists.length && ok; k++) {
          l = lists[k];
          ok = false;
          for (var m = l.o[idx[k]]; m < l.o[idx[k] + 1]; m++) if (l.p[m] === s + k) { ok = true; break; }
        }
        if (ok) starts.push(s);
      }
      if (starts.length === 0) continue;
      for (k = 1; k < lists.length; k++) level += lists[k].lv[idx[k]];
      out.u.push(unit);
      for (j = 0; j < starts.length; j++) out.p.push(starts[j]);
      out.o.push(out.p.length);
      out.lv.push(level);
    }
    return out;
  }

  // The query as clauses: each a list of terms that stand together (a
  // quoted phrase, or a word that normalises to several, like T-72B3).
  // The last word of a query being typed is a prefix.
  var QUOTES = { "\u00AB": "\u00BB", '"': '"', "\u201C": "\u201D", "\u201D": "\u201D" };
  function parse(query) {
    var clauses = [];
    var i = 0;
    var bare = "";
    function words_(text, quoted) {
      var found = words(normalize(text));
      if (found.length > 0) clauses.push({ terms: found, quoted: quoted });
    }
    function flush() {
      bare.split(/\s+/).forEach(function (w) { words_(w, false); });
      bare = "";
    }
    while (i < query.length) {
      var c = query.charAt(i);
      if (QUOTES[c] !== undefined) {
        flush();
        var end = query.indexOf(QUOTES[c], i + 1);
        if (end < 0) end = query.length;
        words_(query.slice(i + 1, end), true);
        i = end + 1;
      } else {
        bare += c;
        i++;
      }
    }
    var typing = bare.length > 0 && !/\s$/.test(bare);
    flush();
    var last = clauses[clauses.length - 1];
    if (last && typing && !last.quoted) last.prefix = true;
    return clauses;
  }

  // The smallest stretch of words holding one start of every clause:
  // [span, first word].
  function window_(lists, at, lengths) {
    var k = lists.length;
    var ptr = [];
    for (var c = 0; c < k; c++) ptr.push(lists[c].o[at[c]]);
    var best = Infinity, bestAt = 0;
    for (;;) {
      var lo = Infinity, hi = -1, which = -1;
      for (c = 0; c < k; c++) {
        var p = lists[c].p[ptr[c]];
        if (p < lo) { lo = p; which = c; }
        if (p + lengths[c] - 1 > hi) hi = p + lengths[c] - 1;
      }
      if (hi - lo < best) { best = hi - lo; bestAt = lo; }
      ptr[which]++;
      if (ptr[which] >= lists[which].o[at[which] + 1]) break;
    }
    return [best, bestAt];
  }

  // Every unit that holds every clause, best first: the clauses nearest
  // together, then as typed before forms and completions, then in the
  // order of the units (entities, events, pages, titles, then texts).
  //
  // A query of one word may call `early` first with the first of its
  // results, from the first piece of each key's postings: results of one
  // word are in unit order within a level, so those up to the last unit
  // every loaded piece reaches are the first ones of the whole list.
  // The words of each name and alias of the entities among `hits` (by
  // their name units, units 0 to manifest.names - 1), compared with the
  // query's: an entity whose name or alias is the query, as typed or in
  // another spelling of its foreign sounds, comes first (its name before
  // its aliases), then the other results in their order.
  var EXACT_MAX = 64;
  function exactFirst(found) {
    var names = manifest.names || 0;
    var query = [];
    found.clauses.forEach(function (c) { query = query.concat(c.terms); });
    var key = function (w) { return spellingKey(w) || w; };
    var wanted = query.map(key).join(" ");
    var candidates = found.hits.filter(function (h) { return h.unit < names; }).slice(0, EXACT_MAX);
    if (candidates.length === 0 || wanted === "") return Promise.resolve(found);
    return Promise.all(candidates.map(function (h) { return unit(h.unit); })).then(function (units) {
      var rank = {};
      candidates.forEach(function (h, i) {
        units[i].text.split(" \u00B7 ").some(function (name, k) {
          if (words(normalize(name)).map(key).join(" ") !== wanted) return false;
          rank[h.unit] = k === 0 ? 0 : 1;
          return true;
        });
      });
      var first = found.hits.filter(function (h) { return rank[h.unit] !== undefined; });
      if (first.length === 0) return found;
      first.sort(function (a, b) { return rank[a.unit] - rank[b.unit]; });
      var rest = found.hits.filter(function (h) { return rank[h.unit] === undefined; });
      return { clauses: found.clauses, hits: first.concat(rest), keys: found.keys };
    }, function () { return found; });
  }

  function run(query, early) {
    var ranked = early && function (found) { exactFirst(found).then(early); };
    return runUnranked(query, ranked).then(exactFirst);
  }

  function runUnranked(query, early) {
    var clauses = parse(query);
    if (clauses.length === 0) return Promise.resolve({ clauses: clauses, hits: [], keys: {} });
    var matchedKeys = {};
    var oneWord = clauses.length === 1 && clauses[0].terms.length === 1;
    return Promise.all(clauses.map(function (clause) {
      return Promise.all(clause.terms.map(function (term, t) {
        var prefix = clause.prefix && t === clause.terms.length - 1;
        return keysOf(term, prefix).then(function (keys) {
          keys.forEach(function (k) { matchedKeys[k.term] = true; });
          if (oneWord && early) {
            Promise.all(keys.map(firstPostingsOf)).then(function (parts) {
              var hits = firstHits(parts, keys);
              if (hits.length > 0) early({ clauses: clauses, hits: hits, keys: matchedKeys });
            });
          }
          return Promise.all(keys.map(postingsOf)).then(function (lists) {
            lists.forEach(function (l, i) { l.level = keys[i].level; });
            return union(lists);
          });
        });
      })).then(phrase);
    })).then(function (lists) {
      var hits = [];
      var lengths = clauses.map(function (c) { return c.terms.length; });
      if (lists.length === 1) {
        var l = lists[0];
        // Already in unit order: a stable pass per level, no sort.
        var levels = {};
        for (var i = 0; i < l.u.length; i++) levels[l.lv[i]] = true;
        Object.keys(levels).map(Number).sort(function (a, b) { return a - b; }).forEach(function (level) {
          for (var i = 0; i < l.u.length; i++) {
            if (l.lv[i] === level) hits.push({ unit: l.u[i], span: lengths[0] - 1, level: level, at: l.p[l.o[i]] });
          }
        });
        return { clauses: clauses, hits: hits, keys: matchedKeys };
      }
      // Units in every clause, walking the shortest list.
      var order = lists.map(function (_, k) { return k; }).sort(function (a, b) { return lists[a].u.length - lists[b].u.length; });
      var idx = lists.map(function () { return 0; });
      var base = lists[order[0]];
      for (var b = 0; b < base.u.length; b++) {
        var unit = base.u[b];
        var at = [];
        var all = true;
        for (var k = 0; k < lists.length && all; k++) {
          var li = lists[k];
          while (idx[k] < li.u.length && li.u[idx[k]] < unit) idx[k]++;
          all = idx[k] < li.u.length && li.u[idx[k]] === unit;
          at.push(idx[k]);
        }
        if (!all) continue;
        var level = 0;
        for (k = 0; k < lists.length; k++) level += lists[k].lv[at[k]];
        var w = window_(lists, at, lengths);
        hits.push({ unit: unit, span: w[0], level: level, at: w[1] });
      }
      hits.sort(function (a, b) { return a.span - b.span || a.level - b.level || a.unit - b.unit; });
      return { clauses: clauses, hits: hits, keys: matchedKeys };
    });
  }
  api.run = run;

  // ---- The search page ----
  // The page's wording comes from the theme's catalogue, in the status
  // line's data-words (see search.rs `page`).
  var WORDS = wording();
  var KINDS = WORDS.kinds || {};
  // A result's kind (named once, on its group) or the part of it a place
  // found is (an entity's description, not «كيان»).
  function word(which, id) {
    var parts = WORDS.parts || {};
    return (which === "part" && parts[id]) || KINDS[id] || id || "";
  }
  var GROUPS_PER_PAGE = 20;
  var FIRST_BATCH = 8;
  var HITS_PER_GROUP = 5;
  var SNIPPET_BEFORE = 10;
  var SNIPPET_AFTER = 18;

  function wording() {
    var status = typeof document !== "undefined" && document.getElementById("search-status");
    try {
      return JSON.parse((status && status.getAttribute("data-words")) || "{}");
    } catch (e) {
      return {};
    }
  }

  // A text of the catalogue with its {name} placeholders filled.
  function say(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }

  // A number in the dossier's digits.
  function digits(n) {
    var d = WORDS.digits || "1234567890";
    return String(n).replace(/[0-9]/g, function (c) { return d.charAt((Number(c) + 9) % 10); });
  }

  // The counted noun for n, its form chosen by the browser's CLDR plural
  // rules for the page's language, as the build chooses with ICU4X.
  function hits(n) {
    var forms = WORDS.hit || {};
    var category = "other";
    try {
      category = new Intl.PluralRules(document.documentElement.lang || "ar").select(n);
    } catch (e) {}
    return say(forms[category] || forms.other, { n: digits(n) });
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (text !== undefined) e.textContent = text;
    return e;
  }


  // The unit numbered `n`, with its group.
  function unit(n) {
    return need("d" + Math.floor(n / manifest.per)).then(function (shard) {
      var u = shard.u[n % manifest.per];
      var g = shard.g[u[0]];
      return { group: { n: g[0], kind: g[1], title: g[2], url: g[3] }, kind: u[1], anchor: u[2], label: u[3], text: unpack(u[4]) };
    });
  }

  // The words of `text` from word `from` to word `to` (inclusive, as
  // written, cut at word boundaries), with the matched ones marked.
  function marked(text, keys, from, to) {
    var m = normalizeWithMap(text);
    var ws = wordsAt(m.text);
    var frag = document.createDocumentFragment();
    if (ws.length === 0) {
      frag.appendChild(document.createTextNode(text));
      return frag;
    }
    from = Math.max(0, from);
    to = Math.min(ws.length - 1, to);
    var start = from === 0 ? 0 : m.map[ws[from].start];
    var end = to === ws.length - 1 ? text.length : m.map[ws[to].end];
    if (start > 0) frag.appendChild(document.createTextNode("… "));
    var pos = start;
    for (var i = from; i <= to; i++) {
      var w = ws[i];
      if (!forms(w.w).some(function (f) { return keys[f]; })) continue;
      var s = m.map[w.start];
      var e = m.map[w.end];
      frag.appendChild(document.createTextNode(text.slice(pos, s)));
      frag.appendChild(el("mark", {}, text.slice(s, e)));
      pos = e;
    }
    frag.appendChild(document.createTextNode(text.slice(pos, end)));
    if (end < text.length) frag.appendChild(document.createTextNode(" …"));
    return frag;
  }

  function href(u) {
    return u.anchor ? u.group.url.split("#")[0] + "#" + u.anchor : u.group.url;
  }

  // One result line: the link to the exact spot, and the snippet.
  function hitItem(hit, u, keys) {
    var li = el("li", { class: "hit k-" + u.kind });
    li.appendChild(el("a", { href: href(u), class: "at" }, u.label || word("part", u.kind)));
    li.appendChild(document.createTextNode(" "));
    var p = el("span", { class: "snippet" });
    p.appendChild(marked(u.text, keys, hit.at - SNIPPET_BEFORE, hit.at + hit.span + SNIPPET_AFTER));
    li.appendChild(p);
    return li;
  }

  var current = 0;

  // Shows the results of `query`; resolves when the first ones are on
  // the page (the rest of the first page of groups follows).
  function show(query) {
    var ticket = ++current;
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    if (!status || !list) return Promise.resolve();
    var shown = null;
    var first = new Promise(function (resolve) { shown = resolve; });
    // Busy until the first page of results is complete (tests wait for it).
    list.setAttribute("aria-busy", "true");
    function done() {
      if (ticket === current) list.setAttribute("aria-busy", "false");
      shown();
    }
    var groups = {};
    var count = 0;
    var next = 0;
    var started = false;

    function clear() {
      list.textContent = "";
      var more = document.getElementById("search-more");
      if (more) more.remove();
    }

    // Adds results to their groups (a new group only while the page has room).
    function add(batch, units, keys, target) {
      batch.forEach(function (h, i) {
        var u = units[i];
        var g = groups[u.group.n];
        if (!g) {
          if (count >= target) return;
          count++;
          var li = el("li", { class: "result k-" + u.group.kind });
          var head = el("p", { class: "result-head" });
          head.appendChild(el("span", { class: "tag" }, word("kind", u.group.kind)));
          head.appendChild(document.createTextNode(" "));
          var link = el("a", { href: u.group.url });
          link.appendChild(marked(u.group.title, keys, 0, Infinity));
          head.appendChild(link);
          li.appendChild(head);
          var hits = el("ol", { class: "hits" });
          li.appendChild(hits);
          list.appendChild(li);
          g = groups[u.group.n] = { hits: hits, count: 0, rest: null, li: li };
        }
        g.count++;
        if (g.count <= HITS_PER_GROUP) {
          g.hits.appendChild(hitItem(h, u, keys));
        } else {
          if (!g.rest) g.rest = g.li.appendChild(el("p", { class: "search-help" }));
          g.rest.textContent = say(WORDS.rest, { n: digits(g.count - HITS_PER_GROUP) });
        }
      });
    }

    // The first results of a one-word query, before all its postings are in.
    function early(found) {
      if (ticket !== current || started) return;
      var batch = found.hits.slice(0, FIRST_BATCH);
      Promise.all(batch.map(function (h) { return unit(h.unit); })).then(function (units) {
        if (ticket !== current || started) return;
        started = true;
        clear();
        status.textContent = "…";
        add(batch, units, found.keys, GROUPS_PER_PAGE);
        next = batch.length;
        shown();
      }).catch(function () {});
    }

    run(query, early).then(function (found) {
      if (ticket !== current) return shown();
      if (!started) clear();
      // What `early` showed is the start of this list: go on after it.
      started = true;
      if (found.clauses.length === 0) {
        status.textContent = "";
        return done();
      }
      var n = found.hits.length;
      status.textContent = n === 0 ? WORDS.none : hits(n);
      if (n === 0) return done();
      // Results grouped by article (or entity, event, page), in the order
      // of each group's best result, a page of groups at a time; each
      // batch of results is shown as soon as its units are loaded.
      function page(target) {
        list.setAttribute("aria-busy", "true");
        function step() {
          if (ticket !== current) return Promise.resolve();
          if (next >= found.hits.length || count >= target) return Promise.resolve();
          var batch = found.hits.slice(next, next + (next === 0 ? FIRST_BATCH : GROUPS_PER_PAGE));
          next += batch.length;
          return Promise.all(batch.map(function (h) { return unit(h.unit); })).then(function (units) {
            if (ticket !== current) return;
            add(batch, units, found.keys, target);
            shown();
            return step();
          });
        }
        return step().then(function () {
          if (ticket !== current) return;
          var old = document.getElementById("search-more");
          if (old) old.remove();
          if (next < found.hits.length) {
            var button = el("button", { type: "button", id: "search-more", class: "search-more" }, WORDS.more);
            button.addEventListener("click", function () { page(count + GROUPS_PER_PAGE); });
            list.after(button);
          }
          done();
        });
      }
      return page(GROUPS_PER_PAGE);
    }).catch(function (e) {
      if (ticket === current) status.textContent = say(WORDS.failed, { error: e.message });
      done();
    });
    return first;
  }
  api.show = show;

  function start() {
    var input = document.getElementById("q");
    if (!input) return;
    var q = new URLSearchParams(root.location.search).get("q") || "";
    input.value = q;
    show(q);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { show(input.value); }, 120);
    });
    input.form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      show(input.value);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof window !== "undefined" ? window : globalThis);
