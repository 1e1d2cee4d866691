// Ranking of a position's candidates: "move up / move down" buttons that reorder the rows and renumber the
// ranked boxes 1, 2, 3… in the new order. Without JavaScript the number boxes work on their own.
(function () {
  "use strict";
  var form = document.querySelector("form[data-ranking]");
  if (!form) { return; }
  var list = form.querySelector(".ranking-list");

  function renumber() {
    var rank = 0;
    list.querySelectorAll("[data-ranking-row] .rank-input").forEach(function (input) {
      if (input.value.trim() !== "") { rank += 1; input.value = rank; }
    });
  }

  function button(label, symbol, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm btn-outline-secondary";
    b.setAttribute("aria-label", label);
    b.title = label;
    b.textContent = symbol;
    b.addEventListener("click", onClick);
    return b;
  }

  list.querySelectorAll("[data-ranking-row]").forEach(function (row) {
    var box = row.querySelector(".rank-box");
    var moves = document.createElement("div");
    moves.className = "rank-moves";
    moves.appendChild(button(form.dataset.labelUp, "↑", function () {
      var before = row.previousElementSibling;
      if (before) { list.insertBefore(row, before); renumber(); this.focus(); }
    }));
    moves.appendChild(button(form.dataset.labelDown, "↓", function () {
      var after = row.nextElementSibling;
      if (after) { list.insertBefore(after, row); renumber(); this.focus(); }
    }));
    box.appendChild(moves);
  });
})();
