/* Reorder the rows of a desk table ("reorderable" inlines): drag a row, or use its arrows.
   The order is kept in each row's position field, renumbered top to bottom on every move,
   so the form saves what the editor sees; typing a position still works without a mouse. */
(function () {
  "use strict";

  function rows(tbody) {
    return Array.from(tbody.querySelectorAll("tr.form-row:not(.empty-form)"));
  }

  function renumber(tbody) {
    rows(tbody).forEach(function (row, index) {
      var input = row.querySelector('input[name$="-position"]');
      if (input) { input.value = index; }
    });
  }

  function button(label, text, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "nr-reorder";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", onClick);
    return b;
  }

  function enhance(row, tbody) {
    if (row.dataset.reorder) { return; }
    row.dataset.reorder = "1";
    var cell = row.querySelector("td.field-position");
    if (!cell) { return; }
    cell.appendChild(button("Move up", "▲", function () {
      var previous = row.previousElementSibling;
      if (previous && !previous.classList.contains("empty-form")) { tbody.insertBefore(row, previous); }
      renumber(tbody);
    }));
    cell.appendChild(button("Move down", "▼", function () {
      var next = row.nextElementSibling;
      if (next && !next.classList.contains("empty-form") && next.classList.contains("form-row")) {
        tbody.insertBefore(next, row);
      }
      renumber(tbody);
    }));
    row.draggable = true;
    row.addEventListener("dragstart", function (event) {
      // Dragging starts from the row itself, not from text being selected in a field.
      if (event.target !== row) { return; }
      tbody.dataset.dragging = rows(tbody).indexOf(row);
      row.classList.add("nr-dragging");
      event.dataTransfer.effectAllowed = "move";
    });
    row.addEventListener("dragend", function () {
      row.classList.remove("nr-dragging");
      renumber(tbody);
    });
    row.addEventListener("dragover", function (event) {
      var dragged = tbody.querySelector(".nr-dragging");
      if (!dragged || dragged === row) { return; }
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      tbody.insertBefore(dragged, after ? row.nextSibling : row);
    });
  }

  function setUp() {
    document.querySelectorAll("fieldset.reorderable tbody").forEach(function (tbody) {
      rows(tbody).forEach(function (row) { enhance(row, tbody); });
    });
  }

  document.addEventListener("DOMContentLoaded", setUp);
  // Rows added with "Add another" become reorderable too.
  document.addEventListener("formset:added", setUp);
})();
