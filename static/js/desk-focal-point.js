/* The photo form's focal point: a click on the preview writes where it landed, as fractions of
   the picture's width and height, into the two number fields (saved with the form), and a
   marker shows the point. Typing in the fields moves the marker; they work without this script.
   Positions are set through element.style (the CSSOM), which the CSP allows; it refuses only
   style attributes written in the markup. */
(function () {
  "use strict";

  function fraction(value) {
    var number = parseFloat(value);
    if (isNaN(number)) { return null; }
    return Math.min(1, Math.max(0, number));
  }

  function setUp() {
    var picker = document.querySelector("[data-focal-picker]");
    var across = document.getElementById("id_focal_x");
    var down = document.getElementById("id_focal_y");
    if (!picker || !across || !down) { return; }
    var picture = picker.querySelector("img");
    var marker = picker.querySelector(".nr-focal__marker");
    if (!picture || !marker) { return; }

    function showMarker() {
      var x = fraction(across.value);
      var y = fraction(down.value);
      if (x === null || y === null) {
        marker.hidden = true;
        return;
      }
      marker.style.left = (x * 100) + "%";
      marker.style.top = (y * 100) + "%";
      marker.hidden = false;
    }

    picture.addEventListener("click", function (event) {
      var box = picture.getBoundingClientRect();
      if (!box.width || !box.height) { return; }
      across.value = fraction((event.clientX - box.left) / box.width).toFixed(3);
      down.value = fraction((event.clientY - box.top) / box.height).toFixed(3);
      // As typing would: anything listening to the fields hears of the new value.
      across.dispatchEvent(new Event("change", { bubbles: true }));
      down.dispatchEvent(new Event("change", { bubbles: true }));
      showMarker();
    });
    across.addEventListener("input", showMarker);
    down.addEventListener("input", showMarker);
    picker.classList.add("nr-focal--active");
    showMarker();
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
