// The progress of a spreadsheet import (/manage/import/spreadsheet/<token>/progress): polls the
// status until the import ends, then reloads the page, which shows the outcome.
(function () {
  "use strict";
  var section = document.getElementById("import-progress");
  if (!section) { return; }
  var bar = document.getElementById("import-progress-bar");
  var done = document.getElementById("import-progress-done");
  var url = section.getAttribute("data-status-url");

  function show(status) {
    bar.max = Math.max(status.total, 1);
    bar.value = status.done;
    bar.textContent = status.done + " / " + status.total;
    done.textContent = String(status.done);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { window.setTimeout(poll, 2000); return; }
        show(status);
        if (status.state === "done" || status.state === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 500);
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }

  window.setTimeout(poll, 300);
}());
