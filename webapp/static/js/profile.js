/* Live preview of the speaker's biography on /profile/<slug>.
 *
 * The Markdown is posted (with the form's CSRF token) to the preview endpoint, which answers the
 * HTML rendered and sanitised by the very function that renders the saved page. No inline
 * script; without JavaScript the form still saves and the page shows the saved biography. */
(function () {
  "use strict";

  var DELAY_MS = 300;

  function setUp(container) {
    var form = container.closest("form");
    var source = container.querySelector("textarea");
    var output = container.querySelector("[data-preview-output]");
    var status = container.querySelector("[data-preview-status]");
    var token = form && form.querySelector("input[name=csrf_token]");
    if (!form || !source || !output || !token) {
      return;
    }
    var timer = null;
    var sequence = 0;

    function show(html, number) {
      if (number === sequence) {
        output.innerHTML = html; // sanitised on the server by webapp/sanitize.py
        status.textContent = "";
      }
    }

    function refresh() {
      var number = ++sequence;
      var body = new FormData();
      body.append("csrf_token", token.value);
      body.append("bio_source", source.value);
      fetch(container.dataset.previewUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}
      }).then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      }).then(function (data) {
        show(data.html, number);
      }).catch(function () {
        if (number === sequence) {
          status.textContent = container.dataset.textFailed;
        }
      });
    }

    source.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY_MS);
    });
  }

  document.querySelectorAll("[data-bio-preview]").forEach(setUp);
}());
