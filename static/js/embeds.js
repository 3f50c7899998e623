/* Embeds load only when the reader asks: the "Load" button swaps the placeholder for a
   same-site frame (/embed/?url=...), whose own response lets the provider's frame in.
   Without JavaScript the placeholder's link opens the post on the provider's site. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".block-embed__load");
    if (!button) { return; }
    var figure = button.closest(".block-embed");
    var frame = document.createElement("iframe");
    frame.src = figure.dataset.embedFrame;
    frame.title = button.textContent.replace(/^Load the /, "");
    frame.className = "block-embed__frame";
    frame.setAttribute("allowfullscreen", "");
    var placeholder = figure.querySelector(".block-embed__placeholder");
    figure.replaceChild(frame, placeholder);
    frame.focus();
  });
})();
