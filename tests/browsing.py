"""What browser tests wait for on the search page: the end of the run an action asked for.

``search-page.js`` marks the results list busy in the very event that starts a run, and counts
the runs it has shown (``data-search-runs``); waiting for a count above the one before the
action can never mistake the previous results, or an empty list being rebuilt, for the new
ones."""

from __future__ import annotations

from playwright.sync_api import Page

RESULTS = "[data-search-results]"
_SHOWN = """n => {
  const list = document.querySelector('[data-search-results]');
  return list !== null && list.dataset.searchState === 'done'
    && Number(list.dataset.searchRuns || 0) > n;
}"""


def search_runs(page: Page) -> int:
    """How many runs the search page has shown so far."""
    return int(page.locator(RESULTS).get_attribute("data-search-runs") or 0)


def search_shown(page: Page, after: int = 0, timeout: float = 20_000) -> str:
    """Wait until a run later than the ``after``-th is shown; the status line it ended with."""
    page.wait_for_function(_SHOWN, arg=after, timeout=timeout)
    return page.locator("[data-search-status]").text_content() or ""


FIRST_SHOWN = """
window.__firstShown = null;
new MutationObserver(() => {
  const list = document.querySelector('[data-search-results]');
  if (window.__firstShown || !list || !list.firstElementChild) return;
  list.firstElementChild.dataset.firstShown = "1";
  window.__firstShown = {
    status: document.querySelector('[data-search-status]').textContent,
    busy: list.dataset.searchState,
  };
  window.firstShown();
}).observe(document, {childList: true, subtree: true});
"""
"""An init script: when the first result enters the list, marks it (``data-first-shown``),
keeps the status line and the list's state then (``window.__firstShown``), and calls the
page's ``firstShown`` binding (which the test exposes) at that very moment."""
