/* The library: choosing videos for a bulk download (cards or rows), and on a narrow screen
   the filters, sort, view and bulk controls folded behind one "Filters" button. */
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
        var card = box.closest(".video-card, .video-row");
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

  /* Without this script every control stays shown; with it, a narrow screen (the CSS
     decides what narrow is) starts with them folded. */
  function foldControls() {
    var library = document.querySelector("[data-library]");
    var toggle = document.querySelector("[data-controls-toggle]");
    if (!library || !toggle) return;
    function show(open) {
      library.setAttribute("data-folded", open ? "false" : "true");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.hidden = false;
    show(false);
    toggle.addEventListener("click", function () {
      show(library.getAttribute("data-folded") === "true");
    });
  }

  function ready() { foldControls(); start(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  // live.js swapped the grid for a fresh copy (an import finished): bind the new boxes.
  document.addEventListener("mvidarr:refreshed", start);
})();
