/* Names suggested while typing: every input[data-artist-suggest] gets a <datalist> filled
 * from /api/artists/?search= (artists' names), every input[data-source-suggest] one from
 * /api/sources/?search= (sources' addresses, their titles beside them); the browser's own
 * list: arrows and Enter choose. */
(function () {
  "use strict";
  if (window.MVidarr && window.MVidarr.artistSuggest) return; // loaded twice on a page

  var DELAY_MS = 200;
  var KINDS = [
    { selector: "input[data-artist-suggest]", id: "artist-suggestions-", api: "/api/artists/",
      option: function (artist) { return { value: artist.name }; } },
    { selector: "input[data-source-suggest]", id: "source-suggestions-", api: "/api/sources/",
      option: function (source) { return { value: source.url, label: source.title || "" }; } }
  ];

  function bind(kind, input, index) {
    if (input.dataset.suggestBound) return;
    input.dataset.suggestBound = "1";
    var list = document.createElement("datalist");
    list.id = kind.id + index;
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
        fetch(kind.api + "?search=" + encodeURIComponent(term.slice(0, 200)), {
          credentials: "same-origin", headers: { Accept: "application/json" }
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (input.value.trim() !== term) return; // typed on meanwhile
            list.replaceChildren.apply(list, (data.results || []).slice(0, 10).map(function (row) {
              var said = kind.option(row);
              var option = document.createElement("option");
              option.value = said.value;
              if (said.label) option.label = said.label;
              return option;
            }));
          })
          .catch(function () { /* no suggestions this time */ });
      }, DELAY_MS);
    });
  }

  function start() {
    KINDS.forEach(function (kind) {
      Array.prototype.forEach.call(document.querySelectorAll(kind.selector), function (input, index) {
        bind(kind, input, index);
      });
    });
  }

  window.MVidarr = window.MVidarr || {};
  window.MVidarr.artistSuggest = start;
  document.addEventListener("mvidarr:refreshed", start); // live.js swapped a part for a fresh copy
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
