// "Add a row" for a Django formset without saving: clones the formset's empty form (kept in a <template>),
// numbers it, and counts it in the management form. Without JavaScript the button stays hidden and the page
// says to save for more rows.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset]").forEach(function (box) {
    var prefix = box.getAttribute("data-formset");
    var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = box.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var template = box.querySelector("template[data-empty-form]");
    var rows = box.querySelector("[data-formset-rows]");
    var button = box.querySelector("[data-add-row]");
    var note = box.querySelector("[data-save-for-rows]");
    if (!total || !template || !rows || !button) {
      return;
    }
    button.hidden = false;
    if (note) {
      note.hidden = true;
    }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) {
        button.disabled = true;
        return;
      }
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = rows.lastElementChild;
      var first = added && added.querySelector("input:not([type=hidden]), select, textarea");
      if (first) {
        first.focus();
      }
    });
  });
})();
