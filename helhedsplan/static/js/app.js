// The few behaviours the templates need, kept out of inline attributes so the
// Content-Security-Policy can forbid inline script.
// <select data-autosubmit> submits its form when changed (year pickers).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.requestSubmit();
  }
});

// The target form (criteria/target_form.html) shows only the fields the chosen kind uses: a
// field with data-kinds is hidden, and its inputs disabled (so not sent), for other kinds.
// Without JavaScript every field shows and the server checks which may be filled.
function showTargetFields(form) {
  var kind = form.querySelector("select[name=kind]");
  if (!kind) return;
  form.querySelectorAll("[data-kinds]").forEach(function (field) {
    var used = field.getAttribute("data-kinds").split(" ").indexOf(kind.value) >= 0;
    field.hidden = !used;
    field.querySelectorAll("input, select, textarea").forEach(function (input) {
      input.disabled = !used;
    });
  });
}
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.name === "kind" && target.form &&
      target.form.hasAttribute("data-target-kinds")) {
    showTargetFields(target.form);
  }
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-target-kinds]").forEach(showTargetFields);
});
