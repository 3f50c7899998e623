/* A live file refreshes its updates without reloading. Every 30 seconds (while the tab is
   visible) it fetches the updates list alone, <story>/updates/, a small fragment the page
   cache keeps until an update is approved, and swaps it in when it changed. New updates are
   announced politely to screen readers; the reader's focus stays where it was; the brief
   highlight of a new update is CSS, shown only to readers who have not asked for reduced
   motion. Without JavaScript the page shows the updates as of its loading. */
(function () {
  "use strict";
  var section = document.getElementById("live-updates");
  if (!section || !section.dataset.liveSource || !window.fetch || !window.DOMParser) { return; }
  var seconds = Math.max(parseInt(section.dataset.liveRefresh, 10) || 30, 10);
  var announcer = section.querySelector("[data-live-announcer]");
  var current = section.querySelector("[data-live-list]");
  if (!current) { return; }
  var lastSeen = current.innerHTML;
  var timer = null;

  function updateIds(list) {
    return Array.prototype.map.call(list.querySelectorAll(".live-update"), function (item) {
      return item.id;
    });
  }

  function announce(added) {
    if (!announcer || !added.length) { return; }
    var latest = added[0].querySelector(".live-update__headline");
    var text = added.length === 1 ? "1 new update" : added.length + " new updates";
    announcer.textContent = text + (latest ? ": " + latest.textContent.trim() : ".");
  }

  function swapIn(fresh) {
    var known = updateIds(current);
    var added = Array.prototype.filter.call(fresh.querySelectorAll(".live-update"), function (item) {
      return known.indexOf(item.id) === -1;
    });
    added.forEach(function (item) { item.classList.add("live-update--new"); });
    // Keep the reader's focus: on the same update's headline link after the swap.
    var active = document.activeElement;
    var focusedUpdate = active && current.contains(active) ? active.closest(".live-update") : null;
    var adopted = document.adoptNode(fresh);
    current.replaceWith(adopted);
    current = adopted;
    if (focusedUpdate && focusedUpdate.id) {
      var again = document.getElementById(focusedUpdate.id);
      var link = again && again.querySelector(".live-update__headline a");
      if (link) { link.focus({ preventScroll: true }); }
    }
    announce(added);
  }

  function refresh() {
    if (document.hidden) { return; }
    fetch(section.dataset.liveSource, {
      headers: { Accept: "text/html" }, credentials: "omit", cache: "no-cache"
    })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-list]");
        if (!fresh) { return; }
        if (fresh.innerHTML !== lastSeen) {
          lastSeen = fresh.innerHTML;
          swapIn(fresh);
        }
        if (!fresh.hasAttribute("data-live-open")) { stop(); }
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }

  function stop() {
    window.clearInterval(timer);
    document.removeEventListener("visibilitychange", onVisible);
  }

  function onVisible() { if (!document.hidden) { refresh(); } }

  timer = window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", onVisible);
})();
