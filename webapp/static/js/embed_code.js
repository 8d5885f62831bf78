/* "Embed these slides" on the talk page (webapp/embeds/): the button copies the embed code with the
   Clipboard API; where the browser refuses (no API, not a secure context, permission denied) it
   selects the code for Ctrl+C instead. Either way a status read out by screen readers says so.
   Without this script the code stays in its read-only field, to select and copy by hand. */
(function () {
  "use strict";

  function say(status, message) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function enable(block) {
    var field = block.querySelector("[data-embed-code-field]");
    var button = block.querySelector("[data-embed-code-copy]");
    var status = block.querySelector("[data-embed-code-status]");
    if (!field || !button || !status) {
      return;
    }
    function selectForCopy() {
      field.focus();
      field.select();
      say(status, status.getAttribute("data-selected-message"));
    }
    field.addEventListener("focus", function () { field.select(); });
    button.hidden = false;
    button.addEventListener("click", function () {
      if (!navigator.clipboard || !window.isSecureContext) {
        selectForCopy();
        return;
      }
      navigator.clipboard.writeText(field.value).then(function () {
        say(status, status.getAttribute("data-copied-message"));
      }, selectForCopy);
    });
  }

  function enableAll() {
    document.querySelectorAll("[data-embed-code]").forEach(enable);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enableAll);
  } else {
    enableAll();
  }
})();
