// milaf: the 404 page. A host serves it at any missing address, however
// deep, so its links and files are found through a <base> that names the
// site's own path on the host (base_url's, else the host's root). Opened
// from a folder (file://), that path means nothing: this script, loaded
// from beside the page before the <base> element is read, puts a <base>
// naming the page's own address first, and the first one counts. On a host
// at a deeper address this file is not found and nothing runs, as wanted.
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  var base = document.createElement("base");
  base.href = location.href.split("#")[0];
  document.head.appendChild(base);
})();
