/* Video players behind a click-to-load facade, on talk pages.

   Until the visitor asks, nothing is loaded from the video's provider: the page shows our own
   button (naming the provider and what loading its player means), and the Content-Security-Policy
   of the page lets it frame that provider's player only. A click (or Enter/Space: it is a real
   <button>) replaces the button with the player's iframe and moves the focus to it. Without this
   script the container stays hidden and the page keeps its plain link to the video.

   Markup (webapp/catalogue/templates/public/talk.html):
     <div data-video-player data-player-src="..."      the player's address, as first loaded
          data-embed-src="..."                         the same without a start offset
          data-start-style="query|fragment|none"      how the player takes one (?start=N, #t=Ns)
          data-frame-title="...">                      the iframe's title (it names the talk)
       <button data-video-facade>...</button>
     </div>

   For other scripts (a transcript, a table of contents...):
   - Dispatch a "causeries:seek" CustomEvent on a [data-video-player] element:
       player.dispatchEvent(new CustomEvent("causeries:seek", { detail: { seconds: 754 } }));
     The player is loaded at that time, or, when it is already playing, loaded again there (the
     providers' players take a start offset in their address; no provider script is used). The
     focus stays where it is. A provider without offsets (Canal-U) loads at the beginning.
   - Or call window.causeriesVideo.seek(seconds[, playerElement]): the page's first player when no
     element is given. window.causeriesVideo.playerUrl(embedSrc, startStyle, seconds) returns the
     address the player would get, and window.causeriesVideo.load(playerElement) loads it as the
     button does. */
(function () {
  "use strict";

  var SEEK_EVENT = "causeries:seek";

  function playerUrl(embedSrc, startStyle, seconds) {
    var url = new URL(embedSrc);
    var start = Math.max(0, Math.floor(Number(seconds) || 0));
    if (url.protocol !== "https:") {
      throw new Error("a video player is only loaded over https");
    }
    if (start > 0 && startStyle === "query") {
      url.searchParams.set("start", String(start));
    } else if (start > 0 && startStyle === "fragment") {
      url.hash = "t=" + start + "s";
    }
    return url.href;
  }

  function makeFrame(player, src) {
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = player.getAttribute("data-frame-title") || "";
    frame.setAttribute("allow", "fullscreen");
    frame.setAttribute("allowfullscreen", "");
    // Eager: the visitor asked for this player, it is where they are looking.
    frame.setAttribute("loading", "eager");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    return frame;
  }

  // Put a player at src in place of the facade (or of the player already there).
  function show(player, src, moveFocus) {
    var frame = makeFrame(player, src);
    player.replaceChildren(frame);
    if (moveFocus) {
      frame.focus();
    }
    return frame;
  }

  function load(player) {
    return show(player, player.getAttribute("data-player-src"), true);
  }

  function seek(player, seconds) {
    var src = playerUrl(player.getAttribute("data-embed-src"), player.getAttribute("data-start-style"), seconds);
    return show(player, src, false);
  }

  function enhance(player) {
    var facade = player.querySelector("[data-video-facade]");
    if (!facade) {
      return;
    }
    facade.addEventListener("click", function () { load(player); });
    player.addEventListener(SEEK_EVENT, function (event) {
      seek(player, event.detail && event.detail.seconds);
    });
    player.hidden = false;
  }

  window.causeriesVideo = {
    playerUrl: playerUrl,
    load: load,
    seek: function (seconds, player) {
      var target = player || document.querySelector("[data-video-player]");
      if (target) {
        target.dispatchEvent(new CustomEvent(SEEK_EVENT, { detail: { seconds: seconds } }));
      }
    }
  };

  function start() {
    document.querySelectorAll("[data-video-player]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
