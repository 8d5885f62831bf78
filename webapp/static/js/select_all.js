/* Lists with bulk actions: a "select all" box ticks or unticks every box of its list on the page,
   and shows whether some, all or none are ticked. Without this script the box stays hidden and
   each talk is ticked by hand; the form works the same. */
(function () {
  "use strict";

  function enableSelectAll(toggle) {
    var name = toggle.getAttribute("data-select-all");
    var boxes = Array.prototype.filter.call(
      toggle.form.querySelectorAll("input[type=checkbox]"),
      function (box) { return box.name === name; });
    if (!boxes.length) {
      return;
    }
    function showTicked() {
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      toggle.checked = ticked === boxes.length;
      toggle.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    toggle.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = toggle.checked; });
      showTicked();
    });
    boxes.forEach(function (box) { box.addEventListener("change", showTicked); });
    showTicked();
    var wrapper = toggle.closest(".select-all");
    if (wrapper) {
      wrapper.hidden = false;
    }
  }

  function enableAll() {
    document.querySelectorAll("input[data-select-all]").forEach(enableSelectAll);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enableAll);
  } else {
    enableAll();
  }
})();
