// 全选 for the cleanup tables: a header box ticks every box of its form (data-select-all
// names the form), and the count of ticked documents is announced. Without script the
// boxes are ticked one by one.
(function () {
  "use strict";

  function boxes(form) {
    return Array.prototype.slice.call(
      document.querySelectorAll('input[type="checkbox"][name="items"][form="' + form + '"]')
    );
  }

  function refresh(all) {
    var form = all.getAttribute("data-select-all");
    var list = boxes(form);
    var ticked = list.filter(function (box) { return box.checked; }).length;
    all.checked = list.length > 0 && ticked === list.length;
    all.indeterminate = ticked > 0 && ticked < list.length;
    var count = document.querySelector('[data-selected-count="' + form + '"]');
    if (count) {
      count.textContent = count.getAttribute("data-template").replace("%(n)s", ticked);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-select-all]").forEach(function (all) {
      var form = all.getAttribute("data-select-all");
      var label = all.closest("label");
      label.hidden = false;
      var plain = label.parentNode.querySelector("[data-no-js-label]");
      if (plain) { plain.remove(); }
      all.addEventListener("change", function () {
        boxes(form).forEach(function (box) { box.checked = all.checked; });
        refresh(all);
      });
      boxes(form).forEach(function (box) {
        box.addEventListener("change", function () { refresh(all); });
      });
      refresh(all);
    });
  });
})();
