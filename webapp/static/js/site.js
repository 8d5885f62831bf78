/* Progressive enhancements for the public pages; everything works without this script. */
(function () {
  "use strict";

  function announce(message) {
    var status = document.querySelector(".copy-status");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
  }

  function enableCopyButtons() {
    if (!navigator.clipboard) {
      return;
    }
    var status = document.querySelector(".copy-status");
    var message = status ? status.getAttribute("data-copied-message") : "";
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("data-copy-target"));
      if (!target) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
          announce(message);
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enableCopyButtons);
  } else {
    enableCopyButtons();
  }
})();
