// The admin's search boxes (select2, for autocomplete fields) name their combobox after
// the value chosen, so an empty one has no name: give each the label of its field.
"use strict";
function nameSearchBoxes() {
  document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var container = select.nextElementSibling;
    if (!label || !container) {
      return;
    }
    var name = label.textContent.replace(/:\s*$/, "").trim();
    container.querySelectorAll('[role="combobox"], [role="textbox"]').forEach(function (box) {
      box.removeAttribute("aria-labelledby");
      box.setAttribute("aria-label", name);
    });
  });
}
// The admin turns the selects into search boxes in a jQuery "ready" handler, which
// jQuery runs asynchronously, in the order the handlers were added: this one comes
// after it (this script is deferred, the admin's is not).
if (window.django && window.django.jQuery) {
  window.django.jQuery(nameSearchBoxes);
}

