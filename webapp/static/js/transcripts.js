/* The transcripts of a talk page (webapp/transcripts/templates/transcripts/_talk.html).

   Each cue's moment is a link to #t=<second>, the cue's own anchor: without this script it
   scrolls there. With it:
   - the transcript holding the anchor is opened (a closed <details> would hide it), on arrival
     and whenever the address's #t= changes; a #t= no cue starts at goes to the cue being said then;
   - when the page has a video player ([data-video-player], webapp/static/js/video_player.js), a
     click on a moment sends it there: a "causeries:seek" CustomEvent {detail: {seconds}}, which
     loads the player at that moment (or moves it there); the address keeps the moment (#t=), and
     the player is scrolled into view. */
(function () {
  "use strict";

  var MOMENT = /^#t=(\d+)$/;

  function cueAt(seconds) {
    var exact = document.getElementById("t=" + seconds);
    if (exact) {
      return exact;
    }
    var best = null;
    document.querySelectorAll("[data-transcript] [data-cue-second]").forEach(function (cue) {
      var start = Number(cue.getAttribute("data-cue-second"));
      if (start <= seconds && (!best || start > Number(best.getAttribute("data-cue-second")))) {
        best = cue;
      }
    });
    return best;
  }

  function markCurrent(cue) {
    document.querySelectorAll(".transcript__cue.is-current").forEach(function (other) {
      other.classList.remove("is-current");
    });
    cue.classList.add("is-current");
  }

  function showCue(cue) {
    var details = cue.closest("details");
    if (details && !details.open) {
      details.open = true;
    }
    markCurrent(cue);
    cue.scrollIntoView({ block: "center" });
  }

  function followAddress() {
    var match = MOMENT.exec(window.location.hash);
    var cue = match && cueAt(Number(match[1]));
    if (cue) {
      showCue(cue);
    }
  }

  function seekPlayer(event) {
    var link = event.target.closest("[data-transcript-seek]");
    var player = document.querySelector("[data-video-player]");
    if (!link || !player || player.hidden) {
      return; // no player on this page (or its script did not run): the link goes to the cue
    }
    event.preventDefault();
    var seconds = Number(link.getAttribute("data-transcript-seek"));
    history.replaceState(null, "", "#t=" + seconds);
    var cue = link.closest("[data-cue-second]");
    if (cue) {
      markCurrent(cue);
    }
    player.dispatchEvent(new CustomEvent("causeries:seek", { bubbles: true, detail: { seconds: seconds } }));
    player.scrollIntoView({ block: "nearest" });
  }

  function start() {
    var section = document.querySelector("[data-transcripts]");
    if (!section) {
      return;
    }
    section.addEventListener("click", seekPlayer);
    window.addEventListener("hashchange", followAddress);
    followAddress();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
