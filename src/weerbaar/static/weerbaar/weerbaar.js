// Weerbaar's own script: small, no inline handlers, nothing that needs 'unsafe-eval'.
(function () {
  "use strict";
  // Auto-submit selects marked with data-autosubmit (progressive enhancement: a submit button remains).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.dataset.autosubmit !== undefined && target.form) {
      target.form.requestSubmit();
    }
  });
  // Confirmation for destructive buttons marked with data-confirm.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
