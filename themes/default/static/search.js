// milaf search: runs in the reader's browser, from a web server or from
// file:// alike. The index (search/index.js) is loaded by a <script>
// element, never fetched. Text and query are compared after the same
// Arabic normalisation as milaf's Rust code (src/arabic.rs, whose rule
// table this file follows step by step); tests/browser checks that both
// give the same result on every case.
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

  var api = { normalize: normalize, normalizeWithMap: normalizeWithMap };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
    return;
  }
  root.milafSearch = api;

  // ---- The search page ----
  var KINDS = { entity: "كيان", article: "مقال", note: "ملاحظة", quote: "تصريح", correction: "تصحيح", context: "سياق", event: "حدث", page: "صفحة" };
  var WEIGHT = { entity: 4, event: 3, quote: 2, note: 2, correction: 2, context: 2, page: 2, article: 1 };
  var MAX_RESULTS = 50;
  var docs = null;

  function prepared() {
    if (docs) return docs;
    docs = (root.MILAF_SEARCH || []).map(function (d) {
      return { k: d.k, t: d.t, u: d.u, x: d.x, nt: normalize(d.t), nx: null };
    });
    return docs;
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // `text` from `from` to `to` with every occurrence of a term marked.
  function marked(text, m, terms, from, to) {
    var ranges = [];
    terms.forEach(function (t) {
      var p = m.text.indexOf(t);
      while (p >= 0) {
        var s = m.map[p];
        var e = m.map[p + t.length] !== undefined ? m.map[p + t.length] : text.length;
        if (s >= from && e <= to) ranges.push([s, e]);
        p = m.text.indexOf(t, p + t.length);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var frag = document.createDocumentFragment();
    var pos = from;
    ranges.forEach(function (r) {
      if (r[0] < pos) return;
      frag.appendChild(document.createTextNode(text.slice(pos, r[0])));
      frag.appendChild(el("mark", {}, text.slice(r[0], r[1])));
      pos = r[1];
    });
    frag.appendChild(document.createTextNode(text.slice(pos, to)));
    return frag;
  }

  // A stretch of the text as written around the first hit.
  function snippet(doc, terms) {
    var m = normalizeWithMap(doc.x);
    var first = -1;
    terms.forEach(function (t) {
      var p = m.text.indexOf(t);
      if (p >= 0 && (first < 0 || p < first)) first = p;
    });
    var at = first < 0 ? 0 : m.map[first];
    var from = Math.max(0, at - 60);
    var to = Math.min(doc.x.length, at + 140);
    var frag = document.createDocumentFragment();
    if (from > 0) frag.appendChild(document.createTextNode("… "));
    frag.appendChild(marked(doc.x, m, terms, from, to));
    if (to < doc.x.length) frag.appendChild(document.createTextNode(" …"));
    return frag;
  }

  function search(query) {
    var terms = normalize(query).split(" ").filter(function (t) { return t.length > 0; });
    if (terms.length === 0) return { terms: terms, hits: [] };
    var hits = [];
    prepared().forEach(function (d) {
      if (d.nx === null) d.nx = normalize(d.x);
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var inTitle = d.nt.indexOf(terms[i]) >= 0;
        var inText = d.nx.indexOf(terms[i]) >= 0;
        if (!inTitle && !inText) return;
        score += (inTitle ? 5 : 0) + (inText ? 1 : 0);
      }
      hits.push({ doc: d, score: score * WEIGHT[d.k] });
    });
    hits.sort(function (a, b) { return b.score - a.score; });
    return { terms: terms, hits: hits };
  }

  function show(query) {
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    if (!status || !list) return;
    list.textContent = "";
    var found = search(query);
    if (found.terms.length === 0) {
      status.textContent = "";
      return;
    }
    var n = found.hits.length;
    status.textContent = n === 0 ? "لا نتائج لهذا البحث." : "عدد النتائج: " + n + (n > MAX_RESULTS ? "، تُعرض أول " + MAX_RESULTS : "");
    found.hits.slice(0, MAX_RESULTS).forEach(function (h) {
      var li = el("li", { class: "result k-" + h.doc.k });
      var head = el("p", { class: "result-head" });
      head.appendChild(el("span", { class: "tag" }, KINDS[h.doc.k] || h.doc.k));
      head.appendChild(document.createTextNode(" "));
      var link = el("a", { href: h.doc.u });
      link.appendChild(marked(h.doc.t, normalizeWithMap(h.doc.t), found.terms, 0, h.doc.t.length));
      head.appendChild(link);
      li.appendChild(head);
      var p = el("p", { class: "snippet" });
      p.appendChild(snippet(h.doc, found.terms));
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  function start() {
    var input = document.getElementById("q");
    if (!input) return;
    var q = new URLSearchParams(root.location.search).get("q") || "";
    input.value = q;
    show(q);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { show(input.value); }, 150);
    });
    input.form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      show(input.value);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof window !== "undefined" ? window : globalThis);
