/* Broadsheet search page: starts Pagefind's own UI (loaded from /pagefind/ before this file) in #search and runs
   the query in ?q= (the header's search box sends it). A file, not an inline script: the site's
   Content-Security-Policy allows scripts from the site itself only. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof window.PagefindUI !== "function") {
    return; // the fallback text stays: search cannot run here
  }
  var fallback = root.querySelector(".search__fallback");
  if (fallback) {
    fallback.remove();
  }
  var ui = new window.PagefindUI({
    element: "#search",
    bundlePath: root.getAttribute("data-bundle-path") || "/pagefind/",
    showSubResults: false,
    showImages: false,
    excerptLength: 30,
    autofocus: true
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query && query.trim()) {
    ui.triggerSearch(query.trim());
  }
})();
