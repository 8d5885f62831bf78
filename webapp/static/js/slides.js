/* Slides: the one-slide viewer on talk pages, the processing poller, and the "Slides" section of
   those who upload them (the upload form and the list of versions, kept up to date).
   Everything works without this script: the talk page then lists every slide (image and text),
   the upload form posts normally and the pages show the status they had when loaded. */
(function () {
  "use strict";

  var SLIDE_HASH = /^#slide-(\d+)$/;
  var SWIPE_MIN_PX = 40;

  function slideFromHash() {
    var match = SLIDE_HASH.exec(window.location.hash);
    return match ? parseInt(match[1], 10) : null;
  }

  function isTyping(element) {
    return element && /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName);
  }

  /* Viewer ------------------------------------------------------------------------------ */

  function SlideViewer(root) {
    this.root = root;
    this.section = root.closest(".slides");
    this.stage = root.querySelector("[data-slide-stage]");
    this.image = root.querySelector("[data-slide-image]");
    this.current = root.querySelector("[data-slide-current]");
    this.previousButton = root.querySelector("[data-slide-previous]");
    this.nextButton = root.querySelector("[data-slide-next]");
    this.thumbs = Array.prototype.slice.call(root.querySelectorAll("[data-slide-thumb]"));
    this.announcement = root.querySelector("[data-slide-announcement]");
    this.announcementTemplate = root.getAttribute("data-announcement") || "{n}";
    this.number = 0;
  }

  SlideViewer.prototype.start = function () {
    this.section.classList.add("slides--enhanced");
    this.root.hidden = false;
    var textView = this.section.querySelector("[data-slide-text]");
    if (textView) {
      textView.open = false;
    }
    this.bindControls();
    this.bindKeyboard();
    this.bindSwipe();
    this.show(slideFromHash() || 1, false);
    this.announcing = true;  /* from now on, each change of slide is told to screen readers */
    this.followHash();
  };

  SlideViewer.prototype.bindControls = function () {
    var viewer = this;
    this.previousButton.addEventListener("click", function () { viewer.show(viewer.number - 1, true); });
    this.nextButton.addEventListener("click", function () { viewer.show(viewer.number + 1, true); });
    this.thumbs.forEach(function (thumb) {
      thumb.addEventListener("click", function (event) {
        event.preventDefault();
        viewer.show(parseInt(thumb.getAttribute("data-slide-thumb"), 10), true);
        viewer.stage.focus({ preventScroll: true });
      });
    });
  };

  SlideViewer.prototype.bindKeyboard = function () {
    var viewer = this;
    var moves = {
      ArrowLeft: function (n) { return n - 1; }, ArrowRight: function (n) { return n + 1; },
      PageUp: function (n) { return n - 1; }, PageDown: function (n) { return n + 1; },
      Home: function () { return 1; }, End: function () { return viewer.thumbs.length; }
    };
    this.root.addEventListener("keydown", function (event) {
      var move = moves[event.key];
      if (!move || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) {
        return;
      }
      event.preventDefault();
      viewer.show(move(viewer.number), true);
    });
  };

  SlideViewer.prototype.bindSwipe = function () {
    var viewer = this;
    var start = null;
    this.stage.addEventListener("pointerdown", function (event) {
      start = { x: event.clientX, y: event.clientY, id: event.pointerId };
    });
    this.stage.addEventListener("pointercancel", function () { start = null; });
    this.stage.addEventListener("pointerup", function (event) {
      if (!start || start.id !== event.pointerId) {
        return;
      }
      var dx = event.clientX - start.x;
      var dy = event.clientY - start.y;
      start = null;
      if (Math.abs(dx) >= SWIPE_MIN_PX && Math.abs(dx) > Math.abs(dy)) {
        viewer.show(viewer.number + (dx < 0 ? 1 : -1), true);
      }
    });
  };

  SlideViewer.prototype.followHash = function () {
    var viewer = this;
    window.addEventListener("hashchange", function () {
      var number = slideFromHash();
      if (number) {
        viewer.show(number, false);
        viewer.root.scrollIntoView({ block: "start" });
      }
    });
    if (slideFromHash()) {
      /* The browser scrolls to the text of the slide; bring the viewer into view instead. */
      window.addEventListener("load", function () { viewer.revealFromHash(); });
      this.revealFromHash();
    }
  };

  SlideViewer.prototype.revealFromHash = function () {
    var textView = this.section.querySelector("[data-slide-text]");
    if (textView) {
      textView.open = false;
    }
    this.root.scrollIntoView({ block: "start" });
  };

  SlideViewer.prototype.show = function (number, updateHash) {
    var total = this.thumbs.length;
    number = Math.min(Math.max(number, 1), total);
    if (number === this.number) {
      return;
    }
    var thumb = this.thumbs[number - 1];
    this.number = number;
    this.image.src = thumb.getAttribute("data-large-src");
    this.image.width = parseInt(thumb.getAttribute("data-width"), 10);
    this.image.height = parseInt(thumb.getAttribute("data-height"), 10);
    this.image.alt = thumb.getAttribute("data-alt") || this.announcementTemplate.replace("{n}", String(number));
    this.describe(thumb);
    this.current.textContent = String(number);
    if (this.announcing) {
      this.announcement.textContent = this.announcementTemplate.replace("{n}", String(number));
    }
    this.previousButton.disabled = number === 1;
    this.nextButton.disabled = number === total;
    this.markThumb(thumb);
    this.preload(number + 1);
    if (updateHash) {
      window.history.replaceState(null, "", "#slide-" + number);
    }
  };

  SlideViewer.prototype.describe = function (thumb) {
    var describedBy = thumb.getAttribute("data-described-by");
    if (describedBy) {
      this.image.setAttribute("aria-describedby", describedBy);
    } else {
      this.image.removeAttribute("aria-describedby");
    }
  };

  SlideViewer.prototype.markThumb = function (active) {
    this.thumbs.forEach(function (thumb) {
      if (thumb === active) {
        thumb.setAttribute("aria-current", "true");
      } else {
        thumb.removeAttribute("aria-current");
      }
    });
    var strip = active.closest("ol");
    var item = active.parentNode;
    if (strip && item) {
      strip.scrollLeft = item.offsetLeft - (strip.clientWidth - item.offsetWidth) / 2;
    }
  };

  SlideViewer.prototype.preload = function (number) {
    var thumb = this.thumbs[number - 1];
    if (thumb) {
      new Image().src = thumb.getAttribute("data-large-src");
    }
  };

  /* Processing status ------------------------------------------------------------------- */

  var POLL_FIRST_MS = 3000;
  var POLL_MAX_MS = 20000;
  var POLL_GIVE_UP_MS = 60 * 60 * 1000;

  /* The decks of a talk as the API lists them (its status endpoint), or null. */
  function fetchDecks(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { return body && Array.isArray(body.decks) ? body.decks : null; });
  }

  /* Run later, once the page is visible (no polling from a background tab). */
  function whenVisible(callback) {
    if (!document.hidden) {
      callback();
      return;
    }
    document.addEventListener("visibilitychange", function resume() {
      document.removeEventListener("visibilitychange", resume);
      callback();
    });
  }

  function StatusPoller(element) {
    this.element = element;
    this.url = element.getAttribute("data-slides-poll");
    this.deckId = parseInt(element.getAttribute("data-deck-id"), 10);
    this.status = element.getAttribute("data-deck-status");
    this.delay = POLL_FIRST_MS;
    this.startedAt = Date.now();
  }

  StatusPoller.prototype.start = function () {
    this.schedule();
  };

  StatusPoller.prototype.schedule = function () {
    var poller = this;
    if (Date.now() - this.startedAt > POLL_GIVE_UP_MS) {
      return;
    }
    window.setTimeout(function () { poller.poll(); }, this.delay);
  };

  StatusPoller.prototype.poll = function () {
    var poller = this;
    whenVisible(function () {
      fetchDecks(poller.url)
        .then(function (decks) { poller.receive(decks); })
        .catch(function () { poller.backOff(); });
    });
  };

  StatusPoller.prototype.receive = function (decks) {
    if (!decks) {
      this.backOff();
      return;
    }
    var deck = decks.filter(function (d) { return d.id === this.deckId; }, this)[0];
    if (!deck || deck.status !== this.status) {
      window.location.reload();
      return;
    }
    this.showProgress(deck);
    this.backOff();
  };

  StatusPoller.prototype.showProgress = function (deck) {
    var done = typeof deck.pages_done === "number" ? deck.pages_done : null;
    var total = typeof deck.pages === "number" ? deck.pages : null;
    var bar = this.element.querySelector("[data-slides-bar]");
    var text = this.element.querySelector("[data-slides-progress]");
    if (done === null || !total || !bar || !text) {
      return;
    }
    bar.max = total;
    bar.value = done;
    text.textContent = " " + this.element.getAttribute("data-progress-template")
      .replace("{done}", String(done)).replace("{total}", String(total));
  };

  StatusPoller.prototype.backOff = function () {
    this.delay = Math.min(this.delay * 1.5, POLL_MAX_MS);
    this.schedule();
  };

  /* Versions of a talk's slides (its workspace page, the speakers' page) --------------- */

  var LIST_POLL_FIRST_MS = 1000;
  var LIST_POLL_MAX_MS = 10000;

  function DeckList(section) {
    this.url = section.getAttribute("data-slides-status");
    this.rows = section.querySelector("[data-deck-rows]");
    this.table = section.querySelector("[data-deck-table]");
    this.empty = section.querySelector("[data-no-decks]");
    this.timer = null;
    this.restart();
  }

  DeckList.prototype.restart = function () {
    this.delay = LIST_POLL_FIRST_MS;
    this.startedAt = Date.now();
    this.schedule();
  };

  DeckList.prototype.isProcessing = function () {
    return Boolean(this.rows.querySelector('[data-deck-row][data-deck-status="processing"]'));
  };

  /* A version just uploaded: its row (rendered by the server) goes first, and is the current one. */
  DeckList.prototype.add = function (rowHtml) {
    var template = document.createElement("template");
    template.innerHTML = rowHtml.trim();
    var row = template.content.querySelector("[data-deck-row]");
    if (!row) {
      return false;
    }
    this.rows.querySelectorAll("[data-deck-row]").forEach(markNotCurrent);
    this.rows.insertBefore(row, this.rows.firstElementChild);
    this.table.hidden = false;
    this.empty.hidden = true;
    this.restart();
    return true;
  };

  function markNotCurrent(row) {
    row.removeAttribute("aria-current");
    ["[data-deck-current]", "[data-deck-view]"].forEach(function (selector) {
      var element = row.querySelector(selector);
      if (element) {
        element.hidden = true;
      }
    });
  }

  DeckList.prototype.schedule = function () {
    var list = this;
    window.clearTimeout(this.timer);
    if (!this.isProcessing() || Date.now() - this.startedAt > POLL_GIVE_UP_MS) {
      return;
    }
    this.timer = window.setTimeout(function () { list.poll(); }, this.delay);
  };

  DeckList.prototype.poll = function () {
    var list = this;
    whenVisible(function () {
      fetchDecks(list.url)
        .then(function (decks) { list.receive(decks || []); })
        .catch(function () { list.backOff(); });
    });
  };

  DeckList.prototype.receive = function (decks) {
    decks.forEach(function (deck) {
      var row = this.rows.querySelector('[data-deck-row="' + deck.id + '"]');
      if (row) {
        showDeckStatus(row, deck);
      }
    }, this);
    this.backOff();
  };

  DeckList.prototype.backOff = function () {
    this.delay = Math.min(this.delay * 1.5, LIST_POLL_MAX_MS);
    this.schedule();
  };

  function showDeckStatus(row, deck) {
    row.setAttribute("data-deck-status", deck.status);
    row.setAttribute("data-deck-stage", deck.stage);
    var text = row.querySelector("[data-deck-status-text]");
    text.textContent = deck.status_text;
    text.classList.toggle("deck-versions__error", deck.status === "failed");
    var bar = row.querySelector("[data-deck-progress]");
    bar.hidden = deck.status !== "processing";
    if (deck.pages) {
      bar.max = deck.pages;
      bar.value = deck.pages_done;
    }
    var view = row.querySelector("[data-deck-view]");
    if (view) {
      view.hidden = !(deck.is_current && deck.status === "ready" && deck.pages);
    }
  }

  /* Upload form ------------------------------------------------------------------------- */

  function UploadForm(form, list) {
    this.form = form;
    this.list = list;
    this.licence = form.querySelector("select[name=licence]");
    this.input = form.querySelector("input[type=file]");
    this.zone = form.querySelector("[data-drop-zone]");
    this.chosen = form.querySelector("[data-chosen-file]");
    this.progress = form.querySelector("[data-upload-progress]");
    this.bar = form.querySelector("[data-upload-bar]");
    this.percent = form.querySelector("[data-upload-percent]");
    this.message = form.querySelector("[data-upload-message]");
    this.button = form.querySelector("[type=submit]");
    this.maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
  }

  UploadForm.prototype.start = function () {
    var upload = this;
    this.input.addEventListener("change", function () { upload.showChosen(); });
    this.bindDrop();
    this.form.addEventListener("submit", function (event) {
      if (window.FormData && window.XMLHttpRequest) {
        event.preventDefault();
        upload.send();
      }
    });
    this.form.setAttribute("data-enhanced", "");
  };

  UploadForm.prototype.bindDrop = function () {
    var upload = this;
    ["dragenter", "dragover"].forEach(function (name) {
      upload.zone.addEventListener(name, function (event) {
        event.preventDefault();
        upload.zone.classList.add("is-dragover");
      });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      upload.zone.addEventListener(name, function () { upload.zone.classList.remove("is-dragover"); });
    });
    this.zone.addEventListener("drop", function (event) {
      event.preventDefault();
      upload.zone.classList.remove("is-dragover");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        upload.input.files = event.dataTransfer.files;
        upload.showChosen();
      }
    });
  };

  UploadForm.prototype.file = function () {
    return this.input.files && this.input.files[0];
  };

  UploadForm.prototype.showChosen = function () {
    var file = this.file();
    this.say("", false);
    this.chosen.textContent = file ? file.name : "";
  };

  UploadForm.prototype.say = function (text, isError) {
    this.message.textContent = text;
    this.message.classList.toggle("is-error", Boolean(isError));
  };

  UploadForm.prototype.text = function (name) {
    return this.form.getAttribute("data-text-" + name) || "";
  };

  UploadForm.prototype.send = function () {
    var file = this.file();
    if (!file) {
      this.say(this.text("no-file"), true);
      return;
    }
    if (this.maxBytes && file.size > this.maxBytes) {
      this.say(this.text("too-big"), true);
      return;
    }
    if (this.licence && !this.licence.value) {
      this.say(this.text("no-licence"), true);
      this.licence.focus();
      return;
    }
    this.transmit(new FormData(this.form));
  };

  UploadForm.prototype.transmit = function (data) {
    var upload = this;
    var request = new XMLHttpRequest();
    request.open("POST", this.form.action);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        upload.showPercent(Math.round(event.loaded / event.total * 100));
      }
    });
    request.addEventListener("load", function () { upload.finish(request); });
    request.addEventListener("error", function () { upload.fail(upload.text("network")); });
    request.addEventListener("abort", function () { upload.fail(upload.text("network")); });
    this.button.disabled = true;
    this.progress.hidden = false;
    this.showPercent(0);
    this.say(this.text("sending"), false);
    request.send(data);
  };

  UploadForm.prototype.showPercent = function (percent) {
    this.bar.value = percent;
    this.percent.textContent = percent + " %";
  };

  UploadForm.prototype.finish = function (request) {
    var body = null;
    try {
      body = JSON.parse(request.responseText);
    } catch (error) {
      body = null;
    }
    if (request.status >= 200 && request.status < 300 && body) {
      this.showPercent(100);
      this.succeed(body);
    } else {
      var fallback = request.status === 413 ? this.text("too-big") : this.text("failed");
      this.fail(body && body.message ? body.message : fallback);
    }
  };

  /* The new version is listed at once, with its status; the licence is asked again next time. */
  UploadForm.prototype.succeed = function (body) {
    this.say(body.message || "", false);
    this.form.reset();
    this.chosen.textContent = "";
    this.button.disabled = false;
    this.progress.hidden = true;
    if (!(this.list && body.row && this.list.add(body.row)) && body.redirect) {
      window.location.assign(body.redirect);
    }
  };

  UploadForm.prototype.fail = function (text) {
    this.button.disabled = false;
    this.progress.hidden = true;
    this.say(text, true);
  };

  /* Start ------------------------------------------------------------------------------- */

  function startAll() {
    document.querySelectorAll("[data-slide-viewer]").forEach(function (root) {
      new SlideViewer(root).start();
    });
    document.querySelectorAll("[data-slides-poll]").forEach(function (element) {
      new StatusPoller(element).start();
    });
    document.querySelectorAll("[data-deck-list]").forEach(function (section) {
      var list = new DeckList(section);
      section.querySelectorAll("form[data-slide-upload]").forEach(function (form) {
        new UploadForm(form, list).start();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
