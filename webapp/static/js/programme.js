/* The programme editor on /manage/events/<id>/programme: talks reordered without a reload.
 *
 * - With a mouse, a finger or a pen: drag a talk by its handle (pointer events).
 * - With the keyboard: on a talk's handle, Space or Enter picks it up; the up and down arrows, Home
 *   and End move it; Space or Enter drops it; Escape (or Tab) puts it back where it was. Each step
 *   is announced in the page's live region.
 * - The "Up" and "Down" buttons move a talk by one place.
 *
 * After each change the whole order is posted as JSON {"talk_ids": [...]} with the CSRF token in
 * the X-CSRFToken header; the answer carries the warnings about start times, shown at once. If the
 * order cannot be saved, the last saved order comes back. Without JavaScript the page keeps its
 * "Up" and "Down" forms and the "Sort by start time" button, which reload the page. */
(function () {
  "use strict";

  var EDGE_PX = 48; // a drag this close to the window's top or bottom scrolls it
  var SCROLL_STEP_PX = 16;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function Editor(list) {
    this.list = list;
    this.status = document.querySelector("[data-programme-status]");
    this.warnings = document.querySelector("[data-programme-warnings]");
    this.savedIds = this.ids();
    this.saving = false;
    this.pending = null; // what to say once the order shown now is saved, while another is sent
    this.grabbed = null; // keyboard: {row, from}
    this.drag = null; // pointer: {row, from, pointerId}
  }

  Editor.prototype.start = function () {
    var editor = this;
    var help = document.querySelector("[data-programme-help]");
    if (help) {
      help.hidden = false;
    }
    this.rows().forEach(function (row) {
      var handle = row.querySelector("[data-programme-handle]");
      handle.hidden = false;
      handle.addEventListener("keydown", function (event) { editor.onKey(event, row); });
      handle.addEventListener("pointerdown", function (event) { editor.onPointerDown(event, row); });
      handle.addEventListener("pointermove", function (event) { editor.onPointerMove(event); });
      handle.addEventListener("pointerup", function () { editor.onPointerUp(); });
      handle.addEventListener("lostpointercapture", function () { editor.onPointerUp(); });
      handle.addEventListener("pointercancel", function () { editor.onPointerCancel(); });
    });
    this.list.addEventListener("submit", function (event) { editor.onMoveButton(event); });
  };

  /* The order ------------------------------------------------------------------------------ */

  Editor.prototype.rows = function () {
    return Array.prototype.slice.call(this.list.querySelectorAll("[data-talk-id]"));
  };

  Editor.prototype.ids = function () {
    return this.rows().map(function (row) { return parseInt(row.getAttribute("data-talk-id"), 10); });
  };

  Editor.prototype.place = function (row) {
    return this.rows().indexOf(row);
  };

  /* Moves the row by `steps` places (negative: up) by moving its neighbours, so that the row, and
     the focus inside it, never leave the page. Returns whether it moved. */
  Editor.prototype.moveBy = function (row, steps) {
    var moved = false;
    for (; steps < 0 && row.previousElementSibling; steps += 1) {
      this.list.insertBefore(row.previousElementSibling, row.nextElementSibling);
      moved = true;
    }
    for (; steps > 0 && row.nextElementSibling; steps -= 1) {
      this.list.insertBefore(row.nextElementSibling, row);
      moved = true;
    }
    return moved;
  };

  Editor.prototype.moveTo = function (row, place) {
    return this.moveBy(row, place - this.place(row));
  };

  Editor.prototype.restore = function (ids) {
    var list = this.list;
    var byId = {};
    this.rows().forEach(function (row) { byId[row.getAttribute("data-talk-id")] = row; });
    ids.forEach(function (id) { list.appendChild(byId[String(id)]); });
  };

  /* Messages ------------------------------------------------------------------------------- */

  Editor.prototype.text = function (name, row) {
    var template = this.list.getAttribute("data-text-" + name) || "";
    if (!row) {
      return template;
    }
    return format(template, {title: row.getAttribute("data-title"), position: this.place(row) + 1,
                             total: this.rows().length});
  };

  Editor.prototype.say = function (message, isError) {
    if (this.status) {
      this.status.textContent = message;
      this.status.classList.toggle("is-error", Boolean(isError));
    }
  };

  Editor.prototype.showWarnings = function (warnings) {
    if (!this.warnings) {
      return;
    }
    var items = this.warnings.querySelector("[data-programme-warning-list]");
    items.textContent = "";
    warnings.forEach(function (warning) {
      var item = document.createElement("li");
      item.textContent = warning;
      items.appendChild(item);
    });
    this.warnings.hidden = warnings.length === 0;
  };

  /* Saving --------------------------------------------------------------------------------- */

  /* Posts the order shown; one request at a time, the latest order last. `done` is said before
     the server's message once it is saved. */
  Editor.prototype.save = function (done) {
    done = done || "";
    if (this.saving) {
      this.pending = done;
      return;
    }
    var editor = this;
    var ids = this.ids();
    this.saving = true;
    this.say(this.text("saving"), false);
    this.post(ids).then(function (data) {
      editor.savedIds = ids;
      editor.showWarnings(data.warnings);
      editor.finish(done ? done + " " + data.message : data.message, false);
    }).catch(function (error) {
      editor.pending = null;
      editor.abandonMoves();
      editor.restore(editor.savedIds);
      editor.finish(error.reason || editor.text("failed"), true);
    });
  };

  /* The server's answer {message, warnings}; an error whose `reason` is the server's message when
     it refused the order (an answer that is not JSON, such as the login page, has none). */
  Editor.prototype.post = function (ids) {
    return fetch(this.list.getAttribute("data-order-url"), {
      method: "POST", credentials: "same-origin", body: JSON.stringify({talk_ids: ids}),
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": this.list.getAttribute("data-csrf-token")}
    }).then(function (response) {
      var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      return (isJson ? response.json() : Promise.resolve({})).then(function (data) {
        if (!response.ok || !Array.isArray(data.warnings)) {
          var error = new Error("HTTP " + response.status);
          error.reason = data.message;
          throw error;
        }
        return data;
      });
    });
  };

  Editor.prototype.finish = function (message, isError) {
    var next = this.pending;
    this.saving = false;
    this.pending = null;
    if (next !== null) {
      this.save(next);
    } else {
      this.say(message, isError);
    }
  };

  /* A talk picked up or being dragged when a save fails is let go: the saved order comes back. */
  Editor.prototype.abandonMoves = function () {
    if (this.grabbed) {
      this.release();
    }
    if (this.drag) {
      this.endDrag();
    }
  };

  /* Keyboard ------------------------------------------------------------------------------- */

  Editor.prototype.onKey = function (event, row) {
    if (this.drag) {
      return;
    }
    var key = event.key;
    if (!this.grabbed) {
      if (key === " " || key === "Enter") {
        event.preventDefault();
        this.grab(row);
      }
      return;
    }
    if (key === "Tab" || key === "Escape") {
      if (key === "Escape") {
        event.preventDefault();
      }
      this.cancelGrab();
      return;
    }
    var total = this.rows().length;
    var steps = {ArrowUp: -1, ArrowDown: 1, Home: -total, End: total}[key];
    if (steps) {
      event.preventDefault();
      if (this.moveBy(row, steps)) {
        this.say(this.text("moved", row), false);
      }
    } else if (key === " " || key === "Enter") {
      event.preventDefault();
      this.drop();
    }
  };

  Editor.prototype.grab = function (row) {
    this.grabbed = {row: row, from: this.place(row)};
    row.classList.add("is-grabbed");
    row.querySelector("[data-programme-handle]").setAttribute("aria-pressed", "true");
    this.say(this.text("grabbed", row), false);
  };

  Editor.prototype.release = function () {
    var row = this.grabbed.row;
    row.classList.remove("is-grabbed");
    row.querySelector("[data-programme-handle]").removeAttribute("aria-pressed");
    this.grabbed = null;
    return row;
  };

  Editor.prototype.drop = function () {
    var from = this.grabbed.from;
    var row = this.release();
    var message = this.text("dropped", row);
    if (this.place(row) === from) {
      this.say(message, false);
    } else {
      this.save(message);
    }
  };

  Editor.prototype.cancelGrab = function () {
    var from = this.grabbed.from;
    var row = this.release();
    this.moveTo(row, from);
    this.say(this.text("cancelled", row), false);
  };

  /* Pointer (mouse, touch, pen) ----------------------------------------------------------- */

  Editor.prototype.onPointerDown = function (event, row) {
    if (this.drag || this.grabbed || (event.pointerType === "mouse" && event.button !== 0)) {
      return;
    }
    event.preventDefault(); // no text selection, no focus change: the drag has begun
    event.currentTarget.setPointerCapture(event.pointerId);
    this.drag = {row: row, from: this.place(row), pointerId: event.pointerId};
    row.classList.add("is-dragging");
    this.list.classList.add("is-sorting");
  };

  Editor.prototype.onPointerMove = function (event) {
    if (!this.drag || event.pointerId !== this.drag.pointerId) {
      return;
    }
    var row = this.drag.row;
    var y = event.clientY;
    while (row.previousElementSibling && y < middle(row.previousElementSibling)) {
      this.moveBy(row, -1);
    }
    while (row.nextElementSibling && y > middle(row.nextElementSibling)) {
      this.moveBy(row, 1);
    }
    if (y < EDGE_PX) {
      window.scrollBy(0, -SCROLL_STEP_PX);
    } else if (y > window.innerHeight - EDGE_PX) {
      window.scrollBy(0, SCROLL_STEP_PX);
    }
  };

  function middle(element) {
    var box = element.getBoundingClientRect();
    return box.top + box.height / 2;
  }

  Editor.prototype.endDrag = function () {
    var drag = this.drag;
    drag.row.classList.remove("is-dragging");
    this.list.classList.remove("is-sorting");
    this.drag = null;
    return drag;
  };

  Editor.prototype.onPointerUp = function () {
    if (!this.drag) {
      return;
    }
    var drag = this.endDrag();
    if (this.place(drag.row) !== drag.from) {
      this.save(this.text("dropped", drag.row));
    }
  };

  Editor.prototype.onPointerCancel = function () {
    if (this.drag) {
      var drag = this.endDrag();
      this.moveTo(drag.row, drag.from);
    }
  };

  /* The "Up" and "Down" buttons ------------------------------------------------------------ */

  Editor.prototype.onMoveButton = function (event) {
    var form = event.target;
    var direction = form.querySelector("input[name=direction]");
    var row = form.closest("[data-talk-id]");
    if (!direction || !row || this.drag || this.grabbed) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button");
    if (this.moveBy(row, direction.value === "up" ? -1 : 1)) {
      if (!button.offsetParent) { // the first row has no "Up", the last no "Down"
        row.querySelector("[data-programme-handle]").focus();
      }
      this.save(this.text("moved", row));
    }
  };

  function setUp() {
    var list = document.querySelector("[data-programme-editor]");
    if (list && window.fetch && window.Promise) {
      new Editor(list).start();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());
