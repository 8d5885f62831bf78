/* Search box autocompletion: the ARIA 1.2 combobox pattern, no external library.
 *
 * Enhances every <input data-suggest-url="..."> (the header box #site-search, the home page's and
 * the /search page's). Typing asks the suggest API (debounced); ArrowDown/ArrowUp move through the
 * options, Enter opens the chosen talk, speaker or tag page (or submits the form when nothing is
 * chosen), Escape closes the list (a second Escape clears the box), a click picks an option.
 * Every word it shows comes from the page, in the page's language (macros/suggest.html): the list's
 * name (data-suggest-label), the count read out (data-count-template) and each kind's label
 * (data-label-talk, data-label-speaker, data-label-tag). The list floats over the page (site.css).
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var MIN_LENGTH = 2;
  var counter = 0;

  function typeLabel(input, type) {
    return input.getAttribute("data-label-" + type) || "";
  }

  function Combobox(input) {
    this.input = input;
    this.url = input.getAttribute("data-suggest-url");
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    this.lastQuery = null;
    this.build();
    this.bind();
  }

  Combobox.prototype.build = function () {
    var id = (this.input.id || "search") + "-suggestions-" + (++counter);
    this.listbox = document.createElement("ul");
    this.listbox.id = id;
    this.listbox.className = "suggest-listbox";
    this.listbox.setAttribute("role", "listbox");
    var name = this.input.getAttribute("data-suggest-label");
    if (name) { this.listbox.setAttribute("aria-label", name); }
    this.listbox.hidden = true;
    this.status = document.createElement("div");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    var wrapper = document.createElement("div");
    wrapper.className = "suggest";
    this.input.parentNode.insertBefore(wrapper, this.input);
    wrapper.appendChild(this.input);
    wrapper.appendChild(this.listbox);
    wrapper.appendChild(this.status);
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", id);
    this.input.setAttribute("autocomplete", "off");
  };

  Combobox.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () { self.schedule(); });
    this.input.addEventListener("keydown", function (event) { self.onKey(event); });
    this.input.addEventListener("blur", function () {
      window.setTimeout(function () { self.close(); }, 150);
    });
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { self.pick(Number(option.getAttribute("data-index"))); }
    });
  };

  Combobox.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.fetch(); }, DEBOUNCE_MS);
  };

  Combobox.prototype.fetch = function () {
    var query = this.input.value.trim();
    if (query.length < MIN_LENGTH) { this.lastQuery = null; this.close(); return; }
    if (query === this.lastQuery) { return; }
    this.lastQuery = query;
    if (this.request) { this.request.abort(); }
    var controller = this.request = new AbortController();
    var self = this;
    var url = this.url + (this.url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
    window.fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) {
        if (self.input.value.trim() === query) { self.render(data.suggestions || []); }
      })
      .catch(function (error) { if (error.name !== "AbortError") { self.close(); } });
  };

  Combobox.prototype.render = function (suggestions) {
    var self = this;
    this.options = suggestions;
    this.active = -1;
    this.listbox.textContent = "";
    suggestions.forEach(function (suggestion, index) {
      var item = document.createElement("li");
      item.id = self.listbox.id + "-" + index;
      item.className = "suggest-option suggest-option--" + suggestion.type;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.setAttribute("data-index", String(index));
      var label = document.createElement("span");
      label.className = "suggest-option__label";
      label.textContent = suggestion.label;
      item.appendChild(label);
      var kindLabel = typeLabel(self.input, suggestion.type);
      if (kindLabel) {
        var kind = document.createElement("span");
        kind.className = "suggest-option__type";
        kind.textContent = kindLabel;
        item.appendChild(document.createTextNode(" ")); // read out apart from the label
        item.appendChild(kind);
      }
      self.listbox.appendChild(item);
    });
    if (suggestions.length) { this.open(); } else { this.close(); }
    var template = this.input.getAttribute("data-count-template");
    this.status.textContent = suggestions.length && template ? template.replace("%d", suggestions.length) : "";
  };

  Combobox.prototype.open = function () {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Combobox.prototype.isOpen = function () { return !this.listbox.hidden; };

  Combobox.prototype.move = function (step) {
    if (!this.options.length) { return; }
    if (!this.isOpen()) { this.open(); }
    var count = this.options.length;
    this.highlight(this.active < 0 && step < 0 ? count - 1 : (this.active + step + count) % count);
  };

  Combobox.prototype.highlight = function (index) {
    var items = this.listbox.querySelectorAll("[role=option]");
    for (var i = 0; i < items.length; i++) {
      items[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    this.active = index;
    this.input.setAttribute("aria-activedescendant", items[index].id);
    items[index].scrollIntoView({ block: "nearest" });
  };

  Combobox.prototype.pick = function (index) {
    var suggestion = this.options[index];
    if (suggestion && suggestion.url) { window.location.assign(suggestion.url); }
  };

  Combobox.prototype.onKey = function (event) {
    if (event.key === "ArrowDown" || event.key === "Down") { event.preventDefault(); this.move(1); }
    else if (event.key === "ArrowUp" || event.key === "Up") { event.preventDefault(); this.move(-1); }
    else if (event.key === "Enter" && this.isOpen() && this.active >= 0) {
      event.preventDefault();
      this.pick(this.active);
    } else if (event.key === "Escape" || event.key === "Esc") {
      if (this.isOpen()) { event.preventDefault(); this.close(); }
      else if (this.input.value) { event.preventDefault(); this.input.value = ""; this.lastQuery = null; }
    }
  };

  function enhance() {
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    for (var i = 0; i < inputs.length; i++) {
      if (!inputs[i].hasAttribute("data-suggest-ready")) {
        inputs[i].setAttribute("data-suggest-ready", "");
        new Combobox(inputs[i]);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
