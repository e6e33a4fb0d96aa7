// Item ledger filters: works on the rendered table, no server. The filter state lives in the
// query string so a supervisor can share "all overdue items of 2021" as a link.
(function () {
  "use strict";
  var form = document.querySelector("[data-ledger-filters]");
  var table = document.querySelector("[data-ledger]");
  var count = document.querySelector("[data-ledger-count]");
  if (!form || !table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var keys = ["status", "issuer", "round", "year", "overdue", "unreported"].filter(function (k) { return form.elements[k]; });

  function state() {
    var s = {};
    keys.forEach(function (k) {
      var el = form.elements[k];
      s[k] = el.type === "checkbox" ? (el.checked ? "1" : "") : el.value;
    });
    return s;
  }

  function apply() {
    var s = state();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = keys.every(function (k) { return !s[k] || row.dataset[k] === s[k]; });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = "显示 " + shown + " / " + rows.length + " 项";
    var params = new URLSearchParams();
    keys.forEach(function (k) { if (s[k]) params.set(k, s[k]); });
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  }

  var initial = new URLSearchParams(location.search);
  keys.forEach(function (k) {
    var el = form.elements[k];
    var v = initial.get(k) || "";
    if (el.type === "checkbox") el.checked = v === "1";
    else if (Array.prototype.some.call(el.options, function (o) { return o.value === v; })) el.value = v;
  });
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  apply();
})();
