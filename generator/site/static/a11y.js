// Material wraps wide tables in a scrolling <div> at run time; a region that scrolls must be
// reachable by keyboard (WCAG 2.1.1), so each one becomes a focusable, labelled region. And
// filters fold away on phones.
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

  // Filters fold behind one button on small screens, so the first result is on the first
  // screen; they stay open when the address chose one (and without JavaScript).
  var phone = window.matchMedia("(max-width: 44.9375em)");
  var chosen = false;
  new URLSearchParams(window.location.search).forEach(function (value, key) {
    if (value && key !== "q" && key !== "sort") chosen = true;
  });
  var folds = document.querySelectorAll("details[data-fold]");
  folds.forEach(function (fold) { if (phone.matches && !chosen) fold.open = false; });
  phone.addEventListener("change", function () {  // a wide screen has no button to open them
    if (!phone.matches) folds.forEach(function (fold) { fold.open = true; });
  });
})();
