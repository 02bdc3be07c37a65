/* Inline editing of a video's title and artist in its About box, saved by the API's PATCH
 * (the same service as "Edit details": the field is then "set by hand"), without a reload.
 * Keyboard: "Edit" opens the field with its text chosen, Enter saves, Escape cancels; focus
 * comes back to "Edit". The artist's names are suggested as you type (artist-suggest.js). */
(function () {
  "use strict";

  function panel() { return document.querySelector("[data-inline-edit-url]"); }

  function shownText(field, video) {
    var value = field === "artist" ? video.artist : video.title;
    return value || (field === "artist" ? "Unknown" : "Not known yet");
  }

  function show(dd, field, video) {
    var shown = dd.previousElementSibling; // the field's own <dd data-field>
    shown.replaceChildren();
    if (field === "artist" && video.artist_id) {
      var link = document.createElement("a");
      link.href = "/artists/" + video.artist_id + "/";
      link.textContent = video.artist;
      shown.appendChild(link);
    } else {
      shown.appendChild(document.createTextNode(shownText(field, video)));
    }
    if ((video.field_sources || {})[field]) {
      var source = document.createElement("span");
      source.className = "muted field-source";
      source.dataset.fieldSource = field;
      source.textContent = "(set by hand)";
      shown.appendChild(document.createTextNode(" "));
      shown.appendChild(source);
    }
    if (field === "title") {
      Array.prototype.forEach.call(
        document.querySelectorAll('[data-video-id="' + video.id + '"][data-video-field="title"]'),
        function (el) { el.textContent = video.title || video.source_url; }
      );
    }
  }

  function firstError(body) {
    if (!body) return "";
    if (body.detail) return body.detail;
    for (var key in body) {
      if (Array.isArray(body[key]) && body[key].length) return body[key][0];
    }
    return "";
  }

  function bind(dd) {
    if (dd.dataset.inlineBound) return;
    dd.dataset.inlineBound = "1";
    var field = dd.dataset.inline;
    var open = dd.querySelector("[data-inline-open]");
    var form = dd.querySelector("[data-inline-form]");
    var input = form.querySelector("input[name='" + field + "']");
    var error = form.querySelector("[data-inline-error]");
    var shown = dd.previousElementSibling;
    var saving = false;

    function setEditing(editing) {
      form.hidden = !editing;
      shown.hidden = editing;
      open.hidden = editing;
      if (editing) { error.textContent = ""; input.focus(); input.select(); } else { open.focus(); }
    }

    dd.hidden = false;
    open.hidden = false;
    open.addEventListener("click", function () { setEditing(true); });
    form.querySelector("[data-inline-cancel]").addEventListener("click", function () {
      input.value = input.defaultValue;
      setEditing(false);
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); input.value = input.defaultValue; setEditing(false); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (saving) return;
      var value = input.value.trim();
      var data = {};
      data[field] = field === "artist" && !value ? null : value;
      saving = true;
      error.textContent = "";
      fetch(panel().dataset.inlineEditUrl, {
        method: "PATCH",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value
        },
        body: JSON.stringify(data)
      })
        .then(function (response) {
          return response.json().catch(function () { return null; }).then(function (body) {
            if (!response.ok) {
              error.textContent = firstError(body) || "It was not saved (the server answered " + response.status + "); try again.";
              input.focus();
              return;
            }
            input.value = input.defaultValue = field === "artist" ? (body.artist || "") : body.title;
            show(dd, field, body);
            setEditing(false);
            var status = document.querySelector("[data-inline-status]");
            if (status) status.textContent = (field === "artist" ? "Artist" : "Title") + " saved.";
          });
        })
        .catch(function () { error.textContent = "It was not saved: MVidarr could not be reached; try again."; })
        .finally(function () { saving = false; });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-inline]"), bind);
    if (window.MVidarr && window.MVidarr.artistSuggest) window.MVidarr.artistSuggest();
  }

  // live.js swaps the About box for a fresh copy when a probe or download ends.
  document.addEventListener("mvidarr:refreshed", start);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
