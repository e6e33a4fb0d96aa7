// Material wraps wide tables in a scrolling <div> at run time; a region that scrolls must be
// reachable by keyboard (WCAG 2.1.1), so each one becomes a focusable, labelled region.
(function () {
  "use strict";
  function fix() {
    document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach(function (el) {
      el.tabIndex = 0;
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", "表格（可左右滚动）");
    });
  }
  new MutationObserver(fix).observe(document.body, { childList: true, subtree: true });
  fix();
})();
