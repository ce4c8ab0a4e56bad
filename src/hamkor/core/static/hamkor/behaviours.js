/* Small page behaviours, wired by data attributes instead of inline on*="" handlers, which the
   Content-Security-Policy (script-src 'self') does not run.
   - <select data-autosubmit>: choosing an option submits its form (a Show button stays for
     people without JavaScript).
   - <input data-select-on-focus>: focusing selects the text, ready to copy.
   - <input type="checkbox" data-select-all="KEY">: ticks or unticks every [data-project="KEY"].
   Listeners sit on the document, so rows added later by htmx work too; included by several
   partials, so it guards against running twice. */
(function () {
  "use strict";
  if (window.hamkorBehaviours) { return; }
  window.hamkorBehaviours = true;

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    if (target.matches("select[data-autosubmit]") && target.form) {
      if (target.form.requestSubmit) { target.form.requestSubmit(); } else { target.form.submit(); }
      return;
    }
    var group = target.getAttribute("data-select-all");
    if (group !== null) {
      document.querySelectorAll('input[type="checkbox"][data-project]').forEach(function (box) {
        if (box.getAttribute("data-project") === group) { box.checked = target.checked; }
      });
    }
  });

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-select-on-focus")) {
      target.select();
    }
  });
})();
