/* Slide pages viewed: when the slide viewer (slides.js) shows a page, tell the server once per
   page and page load with navigator.sendBeacon (a same-origin POST that never delays the page).
   The server counts it anonymously like any page view (webapp/services/stats_recording.py).
   Without JavaScript, or without sendBeacon, nothing is sent. */
(function () {
  "use strict";

  var script = document.currentScript;
  var url = script && script.getAttribute("data-views-url");
  var viewer = document.querySelector("[data-slide-viewer]");
  if (!url || !viewer || !navigator.sendBeacon || !window.URLSearchParams) {
    return;
  }
  var counter = viewer.querySelector("[data-slide-current]");
  var reported = {};

  function reportShownPage() {
    var page = parseInt(counter.textContent, 10);
    if (viewer.hidden || !page || reported[page]) {
      return;
    }
    reported[page] = true;
    var body = new URLSearchParams();
    body.set("page", String(page));
    navigator.sendBeacon(url, body);
  }

  new MutationObserver(reportShownPage).observe(counter, { childList: true, characterData: true, subtree: true });
  new MutationObserver(reportShownPage).observe(viewer, { attributes: true, attributeFilter: ["hidden"] });
  reportShownPage();
}());
