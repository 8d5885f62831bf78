/* Search in the offline copy of the archive (`flask export static`): the talks of the index that
   search-index.js holds (window.CAUSERIES_SEARCH_INDEX, written at export time) whose words begin
   with every word of ?q=, accents and case aside ("mediation numerique" finds "Médiation
   numérique"). Results are built with textContent only. */
(function () {
  "use strict";

  var list = document.querySelector("[data-offline-search-results]");
  var summary = document.querySelector("[data-offline-search-summary]");
  var input = document.querySelector("[data-offline-search-input]");
  var talks = window.CAUSERIES_SEARCH_INDEX;
  if (!list || !summary || !input || !Array.isArray(talks)) {
    return;
  }

  function words(text) {
    return text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase()
      .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function matches(talk, queryWords) {
    var tokens = talk.tokens.split(" ");
    return queryWords.every(function (word) {
      return tokens.some(function (token) { return token.indexOf(word) === 0; });
    });
  }

  function resultItem(talk) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = "../" + talk.url;
    link.textContent = talk.title;
    var details = document.createElement("p");
    details.textContent = [talk.event, talk.speakers].filter(Boolean).join(" — ");
    item.appendChild(link);
    item.appendChild(details);
    return item;
  }

  function countText(count) {
    if (count === 0) { return summary.getAttribute("data-none"); }
    if (count === 1) { return summary.getAttribute("data-one"); }
    return summary.getAttribute("data-many").replace("{count}", String(count));
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  var queryWords = words(query);
  if (queryWords.length === 0) {
    summary.textContent = summary.getAttribute("data-hint");
    return;
  }
  var found = talks.filter(function (talk) { return matches(talk, queryWords); });
  summary.textContent = countText(found.length);
  found.forEach(function (talk) { list.appendChild(resultItem(talk)); });
}());
