// Sortable tables (data-sortable): each column header becomes a button; a click sorts the
// rows by that column (a cell's data-sort, else its text; numbers as numbers), again to
// reverse. aria-sort tells screen readers the order. Without script the table stays in the
// order the page was built in.
(function () {
  "use strict";
  var collator = new Intl.Collator("zh-CN", { numeric: true });

  function key(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === "") return 1; // empty cells last, whichever the order
    if (b === "") return -1;
    var x = Number(a), y = Number(b);
    if (!isNaN(x) && !isNaN(y)) return x - y;
    return collator.compare(a, b);
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), function (table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    table.setAttribute("data-sort-ready", "");
    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "portal-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var ka = key(a, index), kb = key(b, index);
          if (ka === "" || kb === "") return compare(ka, kb);
          return ascending ? compare(ka, kb) : compare(kb, ka);
        });
        rows.forEach(function (row) { body.appendChild(row); });
        table.setAttribute("data-sorted-by", String(index));
      });
    });
  });
})();
