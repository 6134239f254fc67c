// What the admin lacks for assistive technology, added once its page is built.
//
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


// A refused save: the summary above the form is announced and takes the focus, as in
// the workspace, and each field's own errors are tied to it (aria-describedby).
function announceErrors() {
  var note = document.querySelector("p.errornote");
  if (note) {
    note.setAttribute("role", "alert");
    note.setAttribute("tabindex", "-1");
    note.focus();
  }
  document.querySelectorAll("ul.errorlist").forEach(function (list, index) {
    var row = list.closest(".form-row, .fieldBox, td");
    if (!row) {
      return;
    }
    if (!list.id) {
      list.id = "field-errors-" + index;
    }
    row.querySelectorAll("input, select, textarea").forEach(function (field) {
      if (field.type === "hidden") {
        return;
      }
      var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (ids.indexOf(list.id) < 0) {
        ids.unshift(list.id);
      }
      field.setAttribute("aria-describedby", ids.join(" "));
      field.setAttribute("aria-invalid", "true");
    });
  });
}
document.addEventListener("DOMContentLoaded", announceErrors);
