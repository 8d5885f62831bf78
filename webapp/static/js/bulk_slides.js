/* Bulk slide upload (webapp/slides/bulk_views.py): a ZIP may be dropped on the zone of the form
   (form[data-bulk-upload]), which then posts as usual; the chosen file's name is shown. */
(function () {
  "use strict";

  function showChosen(form, input) {
    var chosen = form.querySelector("[data-chosen-file]");
    var file = input.files && input.files[0];
    chosen.textContent = file ? file.name : "";
  }

  function bindDrop(form, zone, input) {
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("is-dragover");
      });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("is-dragover"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("is-dragover");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        showChosen(form, input);
      }
    });
  }

  function enhance(form) {
    var zone = form.querySelector("[data-drop-zone]");
    var input = form.querySelector("input[type=file]");
    if (!zone || !input) {
      return;
    }
    input.addEventListener("change", function () { showChosen(form, input); });
    bindDrop(form, zone, input);
    form.setAttribute("data-enhanced", "");
  }

  document.querySelectorAll("form[data-bulk-upload]").forEach(enhance);
})();
