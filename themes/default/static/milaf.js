// milaf: small enhancements on top of pages that read fully without
// JavaScript. A click on a note marker shows the note in place, as a box
// right after the paragraph that carries the marker (it pushes the text
// below down instead of covering it); Escape, a click elsewhere or a second
// click on the marker closes it. Nothing is fetched.
(function () {
  "use strict";
  var open = null;
  function close() {
    if (open) {
      open.marker.setAttribute("aria-expanded", "false");
      open.box.remove();
      open = null;
    }
  }
  function show(a, note) {
    var id = note.id;
    var box = document.createElement("div");
    box.className = "popover note " + Array.prototype.filter.call(note.classList, function (c) { return c.indexOf("k-") === 0; }).join(" ");
    box.setAttribute("role", "note");
    box.id = "pop-" + id;
    var copy = note.cloneNode(true);
    // The copy keeps no id (they belong to the notes list) and no link back
    // to the marker, which is right above it.
    Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (e) { e.removeAttribute("id"); });
    Array.prototype.forEach.call(copy.querySelectorAll(".backlink"), function (e) { e.remove(); });
    while (copy.firstChild) box.appendChild(copy.firstChild);
    var block = a.closest("p, li, h2, h3, h4, h5, h6, blockquote, dd") || a.parentNode;
    block.insertAdjacentElement("afterend", box);
    a.setAttribute("aria-expanded", "true");
    a.setAttribute("aria-controls", box.id);
    open = { marker: a, box: box };
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("sup.noteref a");
    if (!a) {
      if (open && !open.box.contains(ev.target)) close();
      return;
    }
    var href = a.getAttribute("href") || "";
    if (href.charAt(0) !== "#") return;
    var note = document.getElementById(decodeURIComponent(href.slice(1)));
    if (!note) return;
    ev.preventDefault();
    var same = open && open.marker === a;
    close();
    if (!same) show(a, note);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && open) {
      var m = open.marker;
      close();
      m.focus();
    }
  });
})();
