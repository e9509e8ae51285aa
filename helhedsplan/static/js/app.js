// The few behaviours the templates need, kept out of inline attributes so the
// Content-Security-Policy can forbid inline script.
// <select data-autosubmit> submits its form when changed (year pickers).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.requestSubmit();
  }
});
