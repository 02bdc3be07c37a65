/* Artist names suggested while typing: every input[data-artist-suggest] gets a <datalist>
 * filled from /api/artists/?search= (the browser's own list: arrows and Enter choose). */
(function () {
  "use strict";
  if (window.MVidarr && window.MVidarr.artistSuggest) return; // loaded twice on a page

  var DELAY_MS = 200;

  function bind(input, index) {
    if (input.dataset.suggestBound) return;
    input.dataset.suggestBound = "1";
    var list = document.createElement("datalist");
    list.id = "artist-suggestions-" + index;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var term = input.value.trim();
        if (!term || term === asked) return;
        asked = term;
        fetch("/api/artists/?search=" + encodeURIComponent(term), {
          credentials: "same-origin", headers: { Accept: "application/json" }
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (input.value.trim() !== term) return; // typed on meanwhile
            list.replaceChildren.apply(list, (data.results || []).slice(0, 10).map(function (artist) {
              var option = document.createElement("option");
              option.value = artist.name;
              return option;
            }));
          })
          .catch(function () { /* no suggestions this time */ });
      }, DELAY_MS);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-artist-suggest]"), bind);
  }

  window.MVidarr = window.MVidarr || {};
  window.MVidarr.artistSuggest = start;
  document.addEventListener("mvidarr:refreshed", start); // live.js swapped a part for a fresh copy
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
