/* The naming page: the preview follows the templates as they are typed (GET
 * /api/settings/naming/preview, the same check and rendering as saving), and a preset's
 * button fills in both templates instead of sending the form (without this script the
 * server fills them in). Nothing is saved until "Save templates". */
(function () {
  "use strict";

  var form = document.getElementById("naming-form");
  if (!form) return;
  var folder = form.elements.artist_folder;
  var file = form.elements.file;
  var path = document.querySelector("[data-preview-path]");
  var warning = document.querySelector("[data-preview-warning]");
  var error = document.querySelector("[data-preview-error]");
  var timer = null;
  var asked = 0;

  function show(text, el) {
    el.textContent = text || "";
    el.hidden = !text;
  }

  function firstError(body) {
    var sentences = [];
    Object.keys(body || {}).forEach(function (key) {
      var value = body[key];
      sentences = sentences.concat(Array.isArray(value) ? value : [String(value)]);
    });
    return sentences[0] || "The templates cannot be previewed.";
  }

  function preview() {
    var ticket = ++asked;
    var query = new URLSearchParams({ artist_folder: folder.value, file: file.value });
    fetch(form.dataset.previewUrl + "?" + query.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (ticket !== asked) return; // a newer preview is on its way
        if (answer.ok) {
          path.textContent = answer.body.path;
          show(answer.body.warning, warning);
          show("", error);
        } else {
          path.textContent = "—";
          show("", warning);
          show(firstError(answer.body), error);
        }
      })
      .catch(function () {
        if (ticket === asked) show("The preview could not be fetched; try again.", error);
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  }

  folder.addEventListener("input", later);
  file.addEventListener("input", later);
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-preset-file]");
    if (!button) return;
    event.preventDefault();
    if (!folder.disabled) folder.value = button.dataset.presetFolder;
    if (!file.disabled) file.value = button.dataset.presetFile;
    preview();
  });
})();
