/* Forms marked data-confirm="A question?" ask it before they are sent, and so do submit
   buttons so marked (no inline handlers: the CSP allows scripts from files only). */
(function () {
  "use strict";
  if (window.__mvidarrConfirm) return; // a page may load it twice (a part includes it)
  window.__mvidarrConfirm = true;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) ||
      (form && form.getAttribute && form.getAttribute("data-confirm"));
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
