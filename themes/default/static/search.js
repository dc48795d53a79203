/* Broadsheet search page: starts Pagefind's own UI (loaded from /pagefind/ before this file) in #search and runs
   the query in ?q= (the header's search box sends it). The index is in parts, one Pagefind bundle each;
   /pagefind/parts.json (written by the build) lists them, and the UI merges them into one set of results and
   filters (Pagefind's mergeIndex). A file, not an inline script: the site's Content-Security-Policy allows
   scripts from the site itself only. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof window.PagefindUI !== "function" || typeof window.fetch !== "function") {
    return; // the fallback text stays: search cannot run here
  }
  var base = root.getAttribute("data-bundle-path") || "/pagefind/";

  function start(parts) {
    var fallback = root.querySelector(".search__fallback");
    if (fallback) {
      fallback.remove();
    }
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: parts[0],
      mergeIndex: parts.slice(1).map(function (path) { return { bundlePath: path }; }),
      showSubResults: false,
      showImages: false,
      showEmptyFilters: false, // a long archive has thousands of names: list only those in the results
      excerptLength: 30,
      autofocus: true
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query && query.trim()) {
      ui.triggerSearch(query.trim());
    }
  }

  window.fetch(base + "parts.json", { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("search index list: HTTP " + response.status);
      }
      return response.json();
    })
    .then(function (listing) {
      var parts = (listing && listing.parts || []).filter(function (path) {
        return typeof path === "string" && path.charAt(0) === "/" && path.charAt(1) !== "/";
      });
      if (parts.length) {
        start(parts);
      }
    })
    .catch(function (error) {
      if (window.console) {
        window.console.error(error); // the fallback text stays
      }
    });
})();
