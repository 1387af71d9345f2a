// milaf: small enhancements on top of pages that read fully without
// JavaScript. A click on a note marker shows the note in place, under its
// paragraph; Escape or a second click closes it. Nothing is fetched.
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
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("sup.noteref a");
    if (!a) {
      if (open && !open.box.contains(ev.target)) close();
      return;
    }
    var id = a.getAttribute("href").slice(1);
    var note = document.getElementById(id);
    if (!note) return;
    ev.preventDefault();
    var same = open && open.marker === a;
    close();
    if (same) return;
    var box = document.createElement("div");
    box.className = "popover note " + Array.prototype.filter.call(note.classList, function (c) { return c.indexOf("k-") === 0; }).join(" ");
    box.setAttribute("role", "note");
    box.id = "pop-" + id;
    box.innerHTML = note.innerHTML.replace(/ id="[^"]*"/g, "");
    var para = a.closest(".para");
    (para || a.parentNode).appendChild(box);
    a.setAttribute("aria-expanded", "true");
    a.setAttribute("aria-controls", box.id);
    open = { marker: a, box: box };
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && open) {
      var m = open.marker;
      close();
      m.focus();
    }
  });
})();
