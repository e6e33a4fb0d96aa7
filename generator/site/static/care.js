// Reading tools. Elderly-friendly mode (适老化): larger text, wider line spacing, stronger
// contrast; the text size (字号 大/中/小); both remembered across pages in localStorage and
// applied by the <head> before the first paint. 打印本页 opens the print dialog (the print
// stylesheet prints the text, its items and its channels; no forms, no navigation).
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "portal-care";
  document.querySelectorAll("[data-care-toggle]").forEach(function (button) {
    var sync = function () {
      var on = root.dataset.care === "on";
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "标准模式" : "长辈模式";
    };
    sync();
    button.addEventListener("click", function () {
      var on = root.dataset.care !== "on";
      if (on) root.dataset.care = "on"; else delete root.dataset.care;
      try { localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode: this page only */ }
      sync();
    });
  });

  var SIZE = "portal-size";
  var tools = document.querySelectorAll("[data-tools]");
  var syncSize = function () {
    var size = root.dataset.size || "medium";
    document.querySelectorAll("button[data-size]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.dataset.size === size ? "true" : "false");
    });
  };
  document.querySelectorAll("button[data-size]").forEach(function (button) {
    button.addEventListener("click", function () {
      var size = button.dataset.size;
      if (size === "medium") delete root.dataset.size; else root.dataset.size = size;
      try { localStorage.setItem(SIZE, size); } catch (e) { /* private mode: this page only */ }
      syncSize();
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  tools.forEach(function (bar) { bar.hidden = false; });
  syncSize();
})();
