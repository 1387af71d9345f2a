// milaf serve: live reload and the build-error overlay.
//
// Served at /__milaf/live.js by `milaf serve` only, and added to its HTML
// responses as one <script src> (never inline, so a Content-Security-Policy
// can allow it by its URL); no built site contains it. It listens to the
// server's build events: a successful build that changed the site reloads
// the page; a failed build shows its diagnostics over the page, which
// stays the last good build. The first event of every connection is the
// current state, so a page opened while the build is broken shows the
// overlay at once. Every text is set with textContent (never as HTML) and
// styles through the CSSOM, which a policy without 'unsafe-inline' allows.
(function () {
  "use strict";
  var script = document.currentScript;
  var server = script ? script.getAttribute("data-server") : null;
  var site = script ? script.getAttribute("data-site") : null;
  var overlay = null;
  var before = null; // what had the focus before the overlay took it
  var dismissed = null; // the failed build whose overlay the reader closed

  if (!window.EventSource) return;
  // The server compares the pages that are open after each build.
  var events = new EventSource("/__milaf/events?page=" + encodeURIComponent(location.pathname));
  events.addEventListener("build", function (e) {
    var state;
    try {
      state = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    if (state.server !== server) {
      // Another server (milaf serve was restarted): the page may be stale.
      location.reload();
    } else if (!state.ok) {
      if (dismissed !== state.build) show(state);
    } else if (String(state.site) !== site) {
      location.reload();
    } else {
      hide();
    }
  });

  function node(tag, style, text) {
    var n = document.createElement(tag);
    for (var k in style) n.style[k] = style[k];
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function hide() {
    if (!overlay) return;
    overlay.remove();
    overlay = null;
    if (before && before.focus && document.contains(before)) before.focus();
    before = null;
  }

  function show(state) {
    var hadFocus = overlay ? before : document.activeElement;
    hide();
    before = hadFocus;
    var errors = state.diagnostics.filter(function (d) {
      return d.severity === "error";
    });
    var shown = errors.length ? errors : state.diagnostics;

    overlay = node("div", {
      position: "fixed",
      inset: "0",
      zIndex: "2147483647",
      background: "rgba(0, 0, 0, 0.55)",
      overflow: "auto",
      padding: "2rem 1rem",
      boxSizing: "border-box",
    });
    var box = node("section", {
      maxWidth: "56rem",
      margin: "0 auto",
      background: "#fff",
      color: "#1a1a1a",
      border: "3px solid #b3261e",
      borderRadius: "6px",
      padding: "1rem 1.25rem",
      font: "15px/1.5 system-ui, sans-serif",
      textAlign: "start",
      boxShadow: "0 4px 24px rgba(0, 0, 0, 0.4)",
    });
    box.id = "milaf-build-errors";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-labelledby", "milaf-build-errors-title");
    box.setAttribute("aria-describedby", "milaf-build-errors-note");
    box.setAttribute("lang", "en");
    box.setAttribute("dir", "ltr");
    box.tabIndex = -1;

    var head = node("div", { display: "flex", alignItems: "flex-start", gap: "1rem" });
    var title = node(
      "h2",
      { margin: "0", fontSize: "1.2rem", color: "#b3261e", flex: "1" },
      "Build failed: " + errors.length + (errors.length === 1 ? " error" : " errors")
    );
    title.id = "milaf-build-errors-title";
    var close = node(
      "button",
      {
        font: "inherit",
        fontSize: "1.4rem",
        lineHeight: "1",
        padding: "0.2rem 0.6rem",
        border: "1px solid #888",
        borderRadius: "4px",
        background: "#f3f3f3",
        color: "#1a1a1a",
        cursor: "pointer",
      },
      "\u00d7"
    );
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", function () {
      dismissed = state.build;
      hide();
    });
    head.appendChild(title);
    head.appendChild(close);
    box.appendChild(head);

    var note = node(
      "p",
      { margin: "0.25rem 0 0.75rem" },
      "This page is the last good build. Fix the problems below; the page reloads when the build succeeds."
    );
    note.id = "milaf-build-errors-note";
    box.appendChild(note);

    var list = node("ol", { margin: "0", padding: "0", listStyle: "none" });
    shown.forEach(function (d) {
      var item = node("li", { borderTop: "1px solid #ddd", padding: "0.6rem 0" });
      var where = d.file ? d.file + (d.line ? ":" + d.line + ":" + d.column : "") : "";
      var label = node("p", { margin: "0", fontWeight: "bold" }, d.severity + ": ");
      var message = node("span", { fontWeight: "bold" }, d.message);
      message.setAttribute("dir", "auto");
      label.appendChild(message);
      item.appendChild(label);
      if (where) {
        var loc = node("p", { margin: "0.15rem 0", fontFamily: "ui-monospace, monospace", color: "#444" }, where);
        loc.setAttribute("dir", "ltr");
        item.appendChild(loc);
      }
      if (d.line_text) {
        var pre = node("pre", {
          margin: "0.3rem 0",
          padding: "0.4rem 0.6rem",
          background: "#f6f6f6",
          border: "1px solid #ddd",
          whiteSpace: "pre-wrap",
          overflowWrap: "anywhere",
          font: "14px/1.6 ui-monospace, monospace",
        });
        pre.setAttribute("dir", "auto");
        // The offending value is marked in the line: a caret under it
        // would not line up in a right-to-left line.
        var chars = Array.from(d.line_text);
        var start = Math.max(0, (d.column || 1) - 1);
        var end = Math.min(chars.length, start + Math.max(1, d.length || 1));
        pre.appendChild(document.createTextNode(chars.slice(0, start).join("")));
        var mark = node(
          "mark",
          { background: "#ffd5d1", color: "inherit", textDecoration: "underline wavy #b3261e" },
          chars.slice(start, end).join("")
        );
        pre.appendChild(mark);
        pre.appendChild(document.createTextNode(chars.slice(end).join("")));
        item.appendChild(pre);
      }
      if (d.help) {
        var help = node("p", { margin: "0.15rem 0" }, "help: " + d.help);
        help.setAttribute("dir", "auto");
        item.appendChild(help);
      }
      list.appendChild(item);
    });
    box.appendChild(list);

    // Escape closes; Tab stays inside the dialog, whose only control is
    // the close button.
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        dismissed = state.build;
        hide();
      } else if (e.key === "Tab") {
        e.preventDefault();
        close.focus();
      }
    });
    overlay.appendChild(box);
    document.body.appendChild(overlay);
    box.focus();
  }
})();
