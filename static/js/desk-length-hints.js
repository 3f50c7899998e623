/* Under each field with data-recommended-length, "42 of 70 characters" as the editor types,
   marked when the text runs longer than search results or social cards show in full. */
(function () {
  "use strict";

  function setUp() {
    document.querySelectorAll("[data-recommended-length]").forEach(function (field) {
      if (field.dataset.hinted) { return; }
      field.dataset.hinted = "1";
      var limit = parseInt(field.dataset.recommendedLength, 10);
      var hint = document.createElement("div");
      hint.className = "help nr-length";
      hint.id = field.id + "_length";
      hint.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", hint);
      field.setAttribute("aria-describedby",
        ((field.getAttribute("aria-describedby") || "") + " " + hint.id).trim());
      function update() {
        var count = field.value.length;
        hint.textContent = count + " of " + limit + " characters" +
          (count > limit ? ": longer than shows in full" : "");
        hint.classList.toggle("nr-length--over", count > limit);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
