/* A live file refreshes its updates without reloading: every 30 seconds it fetches the page
   itself (served from the page cache) and swaps in the new #live-updates. Without JavaScript
   the page simply shows the updates as of its loading. */
(function () {
  "use strict";
  var section = document.getElementById("live-updates");
  if (!section || !window.fetch || !window.DOMParser) { return; }
  var seconds = parseInt(section.dataset.liveRefresh, 10) || 30;

  function refresh() {
    fetch(window.location.pathname, { headers: { Accept: "text/html" }, credentials: "omit" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live-updates");
        if (!fresh) { return; }
        var current = document.getElementById("live-updates");
        // Keep the reader's focus and place: swap only the list and the count.
        current.querySelector(".live__updates").replaceWith(fresh.querySelector(".live__updates"));
        current.querySelector(".live__status").textContent = fresh.querySelector(".live__status").textContent;
        if (!fresh.dataset.liveRefresh) { window.clearInterval(timer); }
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }

  var timer = window.setInterval(refresh, seconds * 1000);
})();
