// milaf: the 404 page. A host serves it at any missing address, however
// deep, so its links and files start from the site's path on the host
// (base_url's, else the host's root), named by this script's data-site.
// Opened from a folder (file://), that path means nothing, but the page
// sits at the root of the site: its links become relative to it. On a
// host at a deeper address this file, linked from beside the page, is not
// found and nothing runs, as wanted.
(function () {
  "use strict";
  var me = document.currentScript;
  var site = me && me.getAttribute("data-site");
  if (!site || location.protocol !== "file:") return;
  function relative() {
    Array.prototype.forEach.call(document.querySelectorAll("a[href], form[action], link[rel=alternate]"), function (e) {
      var attr = e.tagName === "FORM" ? "action" : "href";
      var v = e.getAttribute(attr);
      if (v && v.indexOf(site) === 0) e.setAttribute(attr, v.slice(site.length) || "index.html");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", relative);
  else relative();
})();
