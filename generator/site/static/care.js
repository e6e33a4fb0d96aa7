// Elderly-friendly mode (适老化): larger text, wider line spacing, stronger contrast; remembered
// across pages in localStorage. The <head> applies it before the first paint.
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
})();
