// milaf: the timeline page. The page reads fully without this script (the
// overview's bars are links with their label as a native tooltip, and
// every event is listed); with it:
// - a bar's label (its date and title, from its aria-label) shows beside
//   it on hover, on keyboard focus and on a tap; a second tap, or a tap on
//   the link in the label, goes to the event;
// - where the overview scrolls sideways (a phone), it opens at its densest
//   stretch of time (the picture's data-focus, set when the site is built)
//   instead of its start;
// - the filters by entity and by source article (hidden without the
//   script) show only the events that match, in the list and in the
//   picture, and keep the choice in the address (?entity=…&article=…).
// The words come from the page (data- attributes); nothing is fetched.
(function () {
  "use strict";

  // ---- Labels of the overview's bars ----
  var tip = null;
  var tipFor = null;

  function hideTip() {
    if (tip) tip.hidden = true;
    tipFor = null;
  }

  function showTip(bar) {
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "bar-tip";
      tip.id = "bar-tip";
      tip.setAttribute("role", "tooltip");
      tip.appendChild(document.createElement("a"));
      document.body.appendChild(tip);
    }
    var link = tip.firstChild;
    link.textContent = bar.getAttribute("aria-label");
    link.setAttribute("href", bar.getAttribute("href"));
    tip.hidden = false;
    var r = bar.getBoundingClientRect();
    var w = tip.offsetWidth;
    var left = Math.min(Math.max(4, r.left + r.width / 2 - w / 2), document.documentElement.clientWidth - w - 4);
    tip.style.left = left + "px";
    tip.style.top = (r.bottom + 6) + "px";
    bar.setAttribute("aria-describedby", "bar-tip");
    tipFor = bar;
  }

  function setUpBars(svg) {
    var bars = svg.querySelectorAll("a[aria-label]");
    Array.prototype.forEach.call(bars, function (bar) {
      // The script's label replaces the native tooltip.
      Array.prototype.forEach.call(bar.querySelectorAll("title"), function (t) { t.remove(); });
      // Whether the press is a touch, and whether this bar's label was open
      // before it (a touch also focuses the bar, which opens the label).
      var touched = false;
      var wasOpen = false;
      bar.addEventListener("pointerdown", function (ev) {
        touched = ev.pointerType === "touch" || ev.pointerType === "pen";
        wasOpen = tipFor === bar;
      });
      bar.addEventListener("mouseenter", function () { showTip(bar); });
      bar.addEventListener("mouseleave", function () { if (document.activeElement !== bar) hideTip(); });
      bar.addEventListener("focus", function () { showTip(bar); });
      bar.addEventListener("blur", function () { if (tipFor === bar) hideTip(); });
      bar.addEventListener("click", function (ev) {
        // A first tap shows the label; the next one follows the link.
        if (touched && !wasOpen) {
          ev.preventDefault();
          showTip(bar);
        }
        touched = false;
      });
    });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hideTip(); });
    window.addEventListener("scroll", hideTip, { passive: true });
    svg.parentNode.addEventListener("scroll", hideTip, { passive: true });
    document.addEventListener("click", function (ev) {
      if (tipFor && !tipFor.contains(ev.target) && !(tip && tip.contains(ev.target))) hideTip();
    });
  }

  // ---- The phone's first view: the densest stretch ----
  function focusDensest(svg) {
    var fig = svg.parentNode;
    var focus = parseFloat(svg.getAttribute("data-focus"));
    if (isNaN(focus) || fig.scrollWidth <= fig.clientWidth) return;
    var box = svg.viewBox.baseVal;
    var r = svg.getBoundingClientRect();
    var f = fig.getBoundingClientRect();
    var x = r.left + (focus - box.x) / box.width * r.width;
    // Relative to where it is: the same in either direction of scrolling.
    fig.scrollLeft += x - (f.left + f.width / 2);
  }

  // ---- Filters ----
  function setUpFilter(form) {
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var status = form.querySelector("#filter-status");
    var events = Array.prototype.slice.call(document.querySelectorAll("li.event[id^='event-']"));
    var params = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      var v = params.get(s.name);
      if (v && s.querySelector("option[value='" + v.replace(/[^a-z0-9-]/g, "") + "']")) s.value = v;
    });

    function matches(li) {
      return selects.every(function (s) {
        if (!s.value) return true;
        var list = (li.getAttribute(s.name === "entity" ? "data-entities" : "data-articles") || "").split(" ");
        return list.indexOf(s.value) >= 0;
      });
    }

    function apply(keep) {
      var shown = 0;
      var visible = {};
      events.forEach(function (li) {
        var ok = matches(li);
        li.hidden = !ok;
        if (ok) {
          shown++;
          visible[li.id.slice("event-".length)] = true;
        }
      });
      Array.prototype.forEach.call(document.querySelectorAll("section.year"), function (sec) {
        sec.hidden = sec.querySelector("li.event:not([hidden])") === null;
      });
      Array.prototype.forEach.call(document.querySelectorAll("svg.overview a[data-event]"), function (a) {
        a.classList.toggle("filtered-out", !visible[a.getAttribute("data-event")]);
      });
      var any = selects.some(function (s) { return s.value; });
      status.textContent = any
        ? (form.getAttribute("data-shown") || "").replace("{n}", shown).replace("{total}", events.length)
        : form.getAttribute("data-all") || "";
      if (keep) {
        var q = new URLSearchParams(location.search);
        selects.forEach(function (s) { if (s.value) q.set(s.name, s.value); else q.delete(s.name); });
        var search = q.toString();
        history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
      }
    }

    selects.forEach(function (s) { s.addEventListener("change", function () { apply(true); }); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.hidden = false;
    apply(false);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("svg.overview"), function (svg) {
      setUpBars(svg);
      focusDensest(svg);
    });
    Array.prototype.forEach.call(document.querySelectorAll(".overview-help"), function (p) { p.hidden = false; });
    var form = document.querySelector("form.timeline-filter");
    if (form) setUpFilter(form);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
