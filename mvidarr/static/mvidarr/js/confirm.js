/* Forms marked data-confirm="A question?" ask it before they are sent (no inline handlers:
   the CSP allows scripts from files only). */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
