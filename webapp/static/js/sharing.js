/* Share links (webapp/sharing/): what needs a script. Without it, Bluesky, LinkedIn and email stay
   plain links. With it:
   - Mastodon: the visitor types their own server (there is no central share address); it is checked
     as a host name, remembered in localStorage, and https://<server>/share?text=... opens in a new tab;
   - "Copy the link" (Clipboard API), with a confirmation read out by screen readers;
   - the system's share sheet (Web Share API), only where the browser has one (phones).
   Nothing is requested from another site until the visitor clicks. */
(function () {
  "use strict";

  var STORAGE_KEY = "causeries.mastodonInstance";
  // Labels of letters, digits and hyphens, at least two of them; the last one alphabetic or punycode.
  var HOST_NAME = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

  function remembered() {
    try {
      return window.localStorage.getItem(STORAGE_KEY) || "";
    } catch (error) {
      return "";  // storage refused (private browsing, a policy): nothing is remembered
    }
  }

  function remember(host) {
    try {
      window.localStorage.setItem(STORAGE_KEY, host);
    } catch (error) {
      /* not remembered, still shared */
    }
  }

  /* "https://Mastodon.Social/@alice", "@alice@mastodon.social" or "mastodon.social" -> "mastodon.social";
     an international name in its ASCII (punycode) form; "" when it is not a host name. */
  function hostName(typed) {
    var value = typed.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
    value = value.replace(/^@?[^@/\s]+@/, "").split(/[/?#]/)[0].replace(/\.$/, "");
    if (!value || /[\s:@]/.test(value)) {
      return "";
    }
    try {
      value = new URL("https://" + value + "/").hostname;
    } catch (error) {
      return "";
    }
    return HOST_NAME.test(value) ? value : "";
  }

  function mastodonUrl(host, text) {
    return "https://" + host + "/share?text=" + encodeURIComponent(text);
  }

  function say(status, message) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function enableMastodon(section, text) {
    var item = section.querySelector("[data-share-mastodon-item]");
    var toggle = section.querySelector("[data-share-mastodon-toggle]");
    var form = section.querySelector("[data-share-mastodon-form]");
    var input = section.querySelector("[data-share-mastodon-instance]");
    var error = section.querySelector("[data-share-mastodon-error]");
    if (!item || !toggle || !form || !input || !error) {
      return;
    }
    item.hidden = false;
    input.value = remembered();
    toggle.addEventListener("click", function () {
      var opening = form.hidden;
      form.hidden = !opening;
      toggle.setAttribute("aria-expanded", String(opening));
      if (opening) {
        input.focus();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var host = hostName(input.value);
      if (!host) {
        error.textContent = form.getAttribute("data-invalid-message");
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      error.textContent = "";
      input.removeAttribute("aria-invalid");
      input.value = host;
      remember(host);
      window.open(mastodonUrl(host, text), "_blank", "noopener,noreferrer");
    });
  }

  function enableCopy(section, url, status) {
    var item = section.querySelector("[data-share-copy-item]");
    if (!item || !navigator.clipboard || !window.isSecureContext) {
      return;
    }
    item.hidden = false;
    item.querySelector("[data-share-copy]").addEventListener("click", function () {
      navigator.clipboard.writeText(url).then(function () {
        say(status, status.getAttribute("data-copied-message"));
      }, function () {
        say(status, status.getAttribute("data-copy-failed-message"));
      });
    });
  }

  function enableNativeShare(section, data) {
    var item = section.querySelector("[data-share-native-item]");
    if (!item || typeof navigator.share !== "function" || (navigator.canShare && !navigator.canShare(data))) {
      return;
    }
    item.hidden = false;
    item.querySelector("[data-share-native]").addEventListener("click", function () {
      navigator.share(data).catch(function () { /* dismissed by the visitor */ });
    });
  }

  function enable(section) {
    var text = section.getAttribute("data-share-text");
    var url = section.getAttribute("data-share-url");
    var status = section.querySelector("[data-share-status]");
    enableMastodon(section, text);
    if (status) {
      enableCopy(section, url, status);
    }
    // The share sheet adds the address itself: the text without it.
    var message = text.replace(url, "").trim();
    enableNativeShare(section, {title: section.getAttribute("data-share-title"), text: message, url: url});
  }

  function enableAll() {
    document.querySelectorAll("[data-share]").forEach(enable);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enableAll);
  } else {
    enableAll();
  }
})();
