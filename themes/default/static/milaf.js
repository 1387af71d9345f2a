// milaf: small enhancements on top of pages that read fully without
// JavaScript (the notes and references stay at the end of an article, and a
// marker is a link to its note). Nothing is fetched; every word shown comes
// from the page (data- attributes written by the theme's templates).
//
// Notes. On a wide screen every note of the article is laid in the margin
// beside the line of its marker (stacked, never overlapping); a click on a
// marker, or on a highlighted passage, makes that note the active one: the
// passage is highlighted, the note is placed right beside its line and
// focused. On a narrow screen the note opens as a box right under its
// marker's line, with a close button at its top. Escape or the close button
// closes the note and puts the focus back on the marker.
//
// Entity previews. Hovering, focusing or tapping a mention of an entity in
// the text (or a link to one in a note) shows a card (name, kind, role or first sentence, counts) built
// from the article's list of entities; Escape closes it. It never takes the
// focus; a first tap shows it, a second follows the link.
(function () {
  "use strict";
  var text = document.querySelector(".source .text");
  var wide = window.matchMedia ? window.matchMedia("(min-width: 60em)") : { matches: false };

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  // ---- Notes ----
  var items = []; // { marker, note, frag, side }
  var byId = {};
  var byFrag = {};
  var open = null; // the item whose note is open
  var sheet = null;
  var sidenotes = null;

  function setup() {
    if (!text) return;
    each(text.querySelectorAll("sup.noteref a"), function (a) {
      var href = a.getAttribute("href") || "";
      if (href.charAt(0) !== "#") return;
      var id = decodeURIComponent(href.slice(1));
      var note = document.getElementById(id);
      if (!note) return;
      var on = note.querySelector(".note-head a.on");
      var frag = on ? decodeURIComponent((on.getAttribute("href") || "").slice(1)) : "";
      var item = { marker: a, note: note, frag: frag, side: null, index: items.length };
      items.push(item);
      byId[id] = item;
      if (frag && !byFrag[frag]) byFrag[frag] = item;
    });
    // A highlighted passage with a note opens it when clicked.
    each(text.querySelectorAll("mark.passage"), function (m) {
      var frag = m.id || m.getAttribute("data-p");
      if (frag && byFrag[frag]) m.setAttribute("data-note", byFrag[frag].note.id);
    });
  }

  // The note's content, without ids (they belong to the notes list) and
  // without its link back to the marker, which is right beside it.
  function copyOf(item, box) {
    var copy = item.note.cloneNode(true);
    each(copy.querySelectorAll("[id]"), function (e) { e.removeAttribute("id"); });
    each(copy.querySelectorAll("[role=doc-backlink], .note-changed, .note-head a.on"), function (e) { e.remove(); });
    // Beside the passage the head need not quote it again: it keeps the
    // number, the kind and the speaker.
    var head = copy.querySelector(".note-head");
    if (head) {
      each(Array.prototype.slice.call(head.childNodes), function (n) {
        if (n.nodeType === 3) n.remove();
        else head.insertBefore(document.createTextNode(" "), n);
      });
    }
    box.className += " " + Array.prototype.filter.call(item.note.classList, function (c) { return c.indexOf("k-") === 0; }).join(" ");
    while (copy.firstChild) box.appendChild(copy.firstChild);
  }

  function closeButton() {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "note-close";
    b.setAttribute("aria-label", text.getAttribute("data-close-label") || "×");
    b.textContent = "×";
    b.addEventListener("click", function () { close(true); });
    return b;
  }

  function noteLabel(item) {
    return (text.getAttribute("data-note-label") || "") + " " + item.marker.textContent;
  }

  // A note's box (in the margin, or the phone's sheet): the note's copy
  // under a close button, named by its number.
  function noteBox(item, cls, prefix) {
    var box = document.createElement("div");
    box.className = cls;
    box.id = prefix + item.note.id;
    box.setAttribute("role", "note");
    box.setAttribute("tabindex", "-1");
    box.setAttribute("aria-label", noteLabel(item));
    box.appendChild(closeButton());
    copyOf(item, box);
    return box;
  }

  function buildSidenotes() {
    if (sidenotes || !items.length) return;
    sidenotes = document.createElement("div");
    sidenotes.className = "sidenotes";
    items.forEach(function (item) {
      var box = noteBox(item, "sidenote", "side-");
      keyboard(box, false);
      item.side = box;
      sidenotes.appendChild(box);
    });
    text.appendChild(sidenotes);
    layout();
  }

  // A margin note's links are reached from the keyboard only while it is
  // open (its marker opens it): Tab does not cross every note twice.
  function keyboard(box, on) {
    each(box.querySelectorAll("a[href], button"), function (e) {
      if (on) e.removeAttribute("tabindex");
      else e.setAttribute("tabindex", "-1");
    });
  }

  function removeSidenotes() {
    if (!sidenotes) return;
    sidenotes.remove();
    sidenotes = null;
    items.forEach(function (item) { item.side = null; });
  }

  // Places each margin note at the height of its marker's line, pushing it
  // down (after the open note) or up (before it) so that none overlaps the
  // next; the open note sits exactly beside its line.
  function layout() {
    if (!sidenotes) return;
    var top = text.getBoundingClientRect().top;
    var gap = 8;
    var want = items.map(function (it) { return it.marker.getBoundingClientRect().top - top; });
    var h = items.map(function (it) { return it.side.offsetHeight; });
    var pos = [];
    var a = open ? open.index : 0;
    pos[a] = want[a];
    for (var i = a + 1; i < items.length; i++) pos[i] = Math.max(want[i], pos[i - 1] + h[i - 1] + gap);
    for (var j = a - 1; j >= 0; j--) pos[j] = Math.min(want[j], pos[j + 1] - h[j] - gap);
    // Never above the article: then everything flows down from its top.
    var article = text.closest("article") || text;
    var min = article.getBoundingClientRect().top - top;
    if (pos[0] < min) {
      pos[0] = Math.max(min, want[0]);
      for (var k = 1; k < items.length; k++) pos[k] = Math.max(want[k], pos[k - 1] + h[k - 1] + gap);
    }
    items.forEach(function (it, n) { it.side.style.top = pos[n] + "px"; });
  }

  function highlight(item, on) {
    if (!item.frag) return;
    each(text.querySelectorAll("mark.passage"), function (m) {
      if (m.id === item.frag || m.getAttribute("data-p") === item.frag) m.classList.toggle("is-open", on);
    });
  }

  function show(item) {
    var a = item.marker;
    open = item;
    highlight(item, true);
    a.setAttribute("aria-expanded", "true");
    var box;
    if (wide.matches && sidenotes) {
      box = item.side;
      box.classList.add("active");
      keyboard(box, true);
      layout();
    } else {
      box = noteBox(item, "note-sheet", "sheet-");
      text.appendChild(box);
      // Right under the line of the marker, its close button near it.
      var t = text.getBoundingClientRect();
      var r = a.getBoundingClientRect();
      box.style.top = (r.bottom - t.top + 18) + "px";
      var btn = box.querySelector(".note-close");
      var x = r.left + r.width / 2 - t.left - 16;
      btn.style.left = Math.max(0, Math.min(x - 1, t.width - 36)) + "px";
      sheet = box;
    }
    a.setAttribute("aria-controls", box.id);
    box.focus({ preventScroll: false });
  }

  function close(refocus) {
    if (!open) return;
    var item = open;
    open = null;
    highlight(item, false);
    item.marker.setAttribute("aria-expanded", "false");
    if (sheet) {
      sheet.remove();
      sheet = null;
    }
    if (item.side) {
      item.side.classList.remove("active");
      keyboard(item.side, false);
      item.marker.setAttribute("aria-controls", item.side.id);
    } else {
      item.marker.removeAttribute("aria-controls");
    }
    layout();
    if (refocus) item.marker.focus();
  }

  function toggle(item) {
    var same = open === item;
    close(false);
    if (!same) show(item);
  }

  function mode() {
    close(false);
    if (wide.matches) {
      buildSidenotes();
      items.forEach(function (it) {
        it.marker.setAttribute("aria-expanded", "false");
        it.marker.setAttribute("aria-controls", it.side ? it.side.id : "");
      });
    } else {
      removeSidenotes();
      items.forEach(function (it) {
        it.marker.setAttribute("aria-expanded", "false");
        it.marker.removeAttribute("aria-controls");
      });
    }
  }

  setup();
  // The key's hint says what a click on a passage does: true only now.
  each(document.querySelectorAll(".key-hint[hidden]"), function (h) { h.removeAttribute("hidden"); });
  if (items.length) {
    mode();
    if (wide.addEventListener) wide.addEventListener("change", mode);
    var pending = 0;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(layout, 100);
    });
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(layout);
    window.addEventListener("load", layout);
    // Opening a paragraph's list of what rests on it moves the lines below.
    document.addEventListener("toggle", function () { layout(); }, true);
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!t.closest) return;
    var a = t.closest("sup.noteref a");
    if (a && text && text.contains(a)) {
      var item = byId[decodeURIComponent((a.getAttribute("href") || "").slice(1))];
      if (!item) return;
      ev.preventDefault();
      toggle(item);
      return;
    }
    // A click on a highlighted passage (not on a link inside it) opens its
    // note; the innermost passage with a note wins.
    var m = !t.closest("a") && t.closest("mark.passage[data-note]");
    if (m && text.contains(m)) {
      var it = byId[m.getAttribute("data-note")];
      if (it) {
        close(false);
        show(it);
        return;
      }
    }
    // A click on a margin note (not on a link in it) opens it whole.
    var side = !t.closest("a, button") && t.closest(".sidenote:not(.active)");
    if (side) {
      var si = byId[side.id.slice("side-".length)];
      if (si) {
        close(false);
        show(si);
        return;
      }
    }
    if (open && !t.closest(".note-sheet, .sidenote.active")) close(false);
  });

  // ---- Entity preview cards ----
  // The card's data (name, kind, role or first sentence, mentions in the
  // dossier) is written once per entity, as the script `card.js` beside
  // the entity's page; the first time a link to the entity asks for its
  // card the script is added to the page (a script, since `fetch` is
  // refused from `file://`). The count of the page (in this article, named
  // together) is the `.count` beside the entity's chip. The card's words:
  // the `data-` attributes of the element that holds them.
  var chips = document.querySelector("[data-open][data-in-dossier]");
  var ENTITY_PAGE = /(^|\/)entities\/[^\/]+\/index\.html$/;
  var countOf = {};
  if (chips) {
    each(document.querySelectorAll("main .chips a[href]"), function (a) {
      var c = a.nextElementSibling;
      if (c && c.classList.contains("count")) countOf[a.getAttribute("href")] = c.textContent;
    });
  }
  var cards = (window.MILAF_CARDS = window.MILAF_CARDS || {});
  var loading = {};
  // The card data of the entity whose page `href` is, then `done(data)`
  // (`null` when its script cannot be read).
  function cardData(href, done) {
    var id = href.split("/").slice(-2)[0];
    if (cards[id]) return done(cards[id]);
    if (loading[href]) return loading[href].push(done);
    loading[href] = [done];
    var s = document.createElement("script");
    s.src = href.replace(/index\.html$/, "card.js");
    function finish() {
      var waiting = loading[href];
      delete loading[href];
      s.remove();
      waiting.forEach(function (f) { f(cards[id] || null); });
    }
    s.onload = finish;
    s.onerror = finish;
    document.head.appendChild(s);
  }
  var card = null;
  var cardFor = null;
  var hideTimer = 0;
  var touched = false;

  function hideCard() {
    clearTimeout(hideTimer);
    wanted = null;
    if (!card) return;
    if (cardFor) cardFor.removeAttribute("aria-describedby");
    card.remove();
    card = null;
    cardFor = null;
  }

  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content) e.textContent = content;
    return e;
  }

  // The link whose card is wanted, while its data loads.
  var wanted = null;
  function showCard(link) {
    if (cardFor === link) return;
    wanted = link;
    cardData(link.getAttribute("href"), function (data) {
      if (wanted !== link || !data) return;
      wanted = null;
      buildCard(link, data);
    });
  }

  function buildCard(link, data) {
    hideCard();
    card = el("div", "entity-card");
    card.id = "entity-card";
    card.setAttribute("role", "tooltip");
    var head = el("p");
    head.appendChild(el("span", "card-name", data.name));
    head.appendChild(el("span", "card-kind", data.kind));
    card.appendChild(head);
    if (data.summary) card.appendChild(el("p", "card-summary", data.summary));
    var inDossier = chips.getAttribute("data-in-dossier") + ": " + data.total;
    var here = countOf[link.getAttribute("href")];
    card.appendChild(el("p", "card-counts", here !== undefined
      ? chips.getAttribute("data-in-article") + ": " + here + " · " + inDossier
      : inDossier));
    var go = el("a", "card-open", chips.getAttribute("data-open"));
    go.href = link.getAttribute("href");
    go.tabIndex = -1;
    var p = el("p");
    p.appendChild(go);
    card.appendChild(p);
    card.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    card.addEventListener("mouseleave", function () { hideTimer = setTimeout(hideCard, 200); });
    // Inside the page's main landmark (not positioned), so that the card
    // is part of a landmark and placed in page coordinates.
    (document.querySelector("main") || document.body).appendChild(card);
    link.setAttribute("aria-describedby", card.id);
    cardFor = link;
    var r = link.getBoundingClientRect();
    var w = card.offsetWidth;
    var vw = document.documentElement.clientWidth;
    var rtl = getComputedStyle(link).direction === "rtl";
    var left = rtl ? r.right - w : r.left;
    left = Math.max(4, Math.min(left, vw - w - 4));
    card.style.left = (left + window.scrollX) + "px";
    card.style.top = (r.bottom + window.scrollY + 6) + "px";
  }

  function mentionOf(t) {
    var a = t && t.closest && t.closest("main a[href]");
    return a && ENTITY_PAGE.test(a.getAttribute("href")) && (a.matches(".mention, .entity-link") || a.closest(".chips")) ? a : null;
  }

  if (chips) {
    // Whether the card of the name touched was already showing before the
    // touch (a tap also focuses the name, which shows the card).
    var shownBefore = false;
    document.addEventListener("pointerdown", function (ev) {
      touched = ev.pointerType === "touch" || ev.pointerType === "pen";
      var a = mentionOf(ev.target);
      shownBefore = !!a && a === cardFor;
    }, true);
    document.addEventListener("mouseover", function (ev) {
      if (touched) return;
      var a = mentionOf(ev.target);
      if (a) {
        clearTimeout(hideTimer);
        showCard(a);
      }
    });
    document.addEventListener("mouseout", function (ev) {
      var a = mentionOf(ev.target);
      if (a && a === wanted) wanted = null;
      if (a && a === cardFor && !(ev.relatedTarget && card && card.contains(ev.relatedTarget))) {
        hideTimer = setTimeout(hideCard, 200);
      }
    });
    document.addEventListener("focusin", function (ev) {
      var a = mentionOf(ev.target);
      if (a) showCard(a);
      else if (card && !card.contains(ev.target)) hideCard();
    });
    // A tap shows the card first; a second tap on the same name follows it.
    document.addEventListener("click", function (ev) {
      var a = mentionOf(ev.target);
      if (a && touched && !shownBefore) {
        shownBefore = true;
        ev.preventDefault();
        showCard(a);
      } else if (card && !a && !card.contains(ev.target)) {
        hideCard();
      }
    }, true);
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    if (card) {
      hideCard();
      return;
    }
    if (open) close(true);
  });
})();
