/* The library grid: choosing videos for a bulk download, and the artist filter's suggestions. */
(function () {
  "use strict";

  function start() {
    var form = document.getElementById("bulk-form");
    if (!form) return;
    var boxes = document.querySelectorAll('input[name="video_ids"][form="bulk-form"]');
    var all = document.getElementById("select-all");
    var count = form.querySelector("[data-selected-count]");
    var submit = form.querySelector('button[type="submit"]');

    function update() {
      var chosen = Array.prototype.filter.call(boxes, function (box) { return box.checked; });
      count.textContent = chosen.length === 1 ? "1 video chosen" : chosen.length + " videos chosen";
      submit.disabled = chosen.length === 0;
      if (all) {
        all.checked = chosen.length > 0 && chosen.length === boxes.length;
        all.indeterminate = chosen.length > 0 && chosen.length < boxes.length;
      }
      Array.prototype.forEach.call(boxes, function (box) {
        var card = box.closest(".video-card");
        if (card) card.classList.toggle("is-chosen", box.checked);
      });
    }

    Array.prototype.forEach.call(boxes, function (box) { box.addEventListener("change", update); });
    if (all) {
      all.addEventListener("change", function () {
        Array.prototype.forEach.call(boxes, function (box) { box.checked = all.checked; });
        update();
      });
    }
    update();
  }

  // The artist filter: names suggested as one types, from the artists API (a library may
  // have thousands: the page does not list them all).
  function suggestArtists() {
    var input = document.querySelector("input[data-artist-suggest]");
    var list = input && document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var typed = input.value.trim();
        if (typed === asked || typed.length < 2) return;
        asked = typed;
        var url = input.getAttribute("data-artist-suggest") + "?search=" + encodeURIComponent(typed);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (page) {
            if (typed !== asked) return;
            list.replaceChildren.apply(list, page.results.map(function (artist) {
              var option = document.createElement("option");
              option.value = artist.name;
              return option;
            }));
          })
          .catch(function () {});
      }, 200);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
    document.addEventListener("DOMContentLoaded", suggestArtists);
  } else {
    start();
    suggestArtists();
  }
  // live.js swapped the grid for a fresh copy (an import finished): bind the new boxes.
  document.addEventListener("mvidarr:refreshed", start);
})();
