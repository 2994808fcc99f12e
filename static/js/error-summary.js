/* The error summary at the top of a form sent with errors (templates/includes/form_errors.html): focus moves to it,
   so a person who sent the form from its last button hears and sees what to correct, with a link to each field.
   On a full page the summary's autofocus does it without this file; this also covers a form that comes back through
   htmx (a 422 swapped in place), where the browser does not look at autofocus again. */
(function () {
  "use strict";
  var SELECTOR = "[data-error-summary]";

  function focusSummary(root) {
    var summary = root && root.querySelector ? root.querySelector(SELECTOR) : null;
    if (!summary && root && root.matches && root.matches(SELECTOR)) {
      summary = root;
    }
    if (summary) {
      summary.focus();
      if (summary.scrollIntoView) {
        summary.scrollIntoView({block: "start"});
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!document.activeElement || document.activeElement === document.body) {
      focusSummary(document);
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    focusSummary(target && target.isConnected ? target : document);
  });
})();
