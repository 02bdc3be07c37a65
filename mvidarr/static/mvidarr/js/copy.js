// A "Copy" button next to a secret shown once (an API key, a one-time password):
// <button data-copy="input-id">. Falls back to selecting the text where the clipboard API
// is not available (plain HTTP on a LAN is not a secure context).
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.dataset.copy);
      if (!input) return;
      input.focus();
      input.select();
      var done = function () { button.textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          button.textContent = "Press Ctrl+C";
        });
      } else if (document.execCommand && document.execCommand("copy")) {
        done();
      } else {
        button.textContent = "Press Ctrl+C";
      }
    });
  });
})();
