/* Deals board: drag a card onto another column to move the deal.
 *
 * A drop only fills in the card's own "Move" form (the select fallback) and submits it,
 * so dragging, the keyboard and pages without JavaScript share one server path. htmx
 * posts the form with the CSRF token and swaps the re-rendered board in; a lost column
 * first opens the small form asking why. Listeners sit on the document, so they keep
 * working after htmx replaces the board.
 */
(function () {
  "use strict";

  var dragged = null;

  function columnOf(node) {
    return node && node.closest ? node.closest(".board-column[data-stage]") : null;
  }

  function clearHighlights() {
    document.querySelectorAll(".board-column.is-over").forEach(function (column) {
      column.classList.remove("is-over");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest(".deal-card[data-deal]") : null;
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.deal);
    card.classList.add("is-dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    clearHighlights();
  });

  document.addEventListener("dragover", function (event) {
    var column = columnOf(event.target);
    if (!column || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("is-over")) {
      clearHighlights();
      column.classList.add("is-over");
    }
  });

  document.addEventListener("dragleave", function (event) {
    var column = columnOf(event.target);
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("is-over");
  });

  document.addEventListener("drop", function (event) {
    var column = columnOf(event.target);
    var card = dragged;
    if (!column || !card) return;
    event.preventDefault();
    clearHighlights();
    var form = card.querySelector("form.deal-move");
    var select = form ? form.querySelector("select[name=stage]") : null;
    if (!select || select.value === column.dataset.stage) return;
    if (column.dataset.outcome === "lost") {
      // The reason is asked for on its own small page; come back to this board after.
      var query = new URLSearchParams({
        stage: column.dataset.stage,
        next: window.location.pathname + window.location.search,
      });
      window.location.assign(form.getAttribute("action") + "?" + query.toString());
      return;
    }
    select.value = column.dataset.stage;
    column.querySelector(".deal-cards").appendChild(card);
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });
})();
