"""Nothing on a phone moves under the reader by itself: more stories arriving late after "Load
more", and the web font arriving after the first paint (Chromium at 390 px). Measured as Chromium
does for CLS: its layout-shift entries, counting only those the reader did not cause (none in the
500 ms after an input). The tests add up every one after the moment they watch, more than CLS's
largest window of shifts could hold."""

import pytest
from playwright.sync_api import expect

from articles.list_pages import PAGE_SIZE
from tests.browser.conftest import PHONE
from tests.browser.helpers import release_when_asked
from tests.browser.layout import TITLES

pytestmark = pytest.mark.browser

# Core Web Vitals call a CLS under 0.1 good.
GOOD_CLS = 0.1
# Chromium counts a shift as the reader's own (hadRecentInput) for 500 ms after a click or key.
INPUT_GRACE_MS = 500

# Recorded from the page's start, before its own scripts run (an init script, not inline).
RECORD_SHIFTS = """
window.__npShifts = [];
window.__npShiftObserver = new PerformanceObserver((list) => {
  window.__npShifts.push(...list.getEntries());
});
window.__npShiftObserver.observe({type: "layout-shift", buffered: true});
"""

# The shifts the reader did not cause since `since` (performance.now()), once two frames have
# been drawn: Chromium reports a frame's shifts after painting it.
UNEXPECTED_SHIFTS_SINCE = """async (since) => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  window.__npShifts.push(...window.__npShiftObserver.takeRecords());
  return window.__npShifts
    .filter((entry) => entry.startTime >= since && !entry.hadRecentInput)
    .map((entry) => ({
      value: entry.value,
      at: Math.round(entry.startTime - since),
      moved: entry.sources.map((source) => source.node ? source.node.nodeName + "." +
        (source.node.className || "") : "(gone)"),
    }));
}"""


def _cls(shifts: list[dict]) -> float:
    return round(sum(shift["value"] for shift in shifts), 4)


# Where the list ends and its pager starts, in the page.
LIST_ENDS = """() => {
  const list = document.querySelector("[data-load-more-list]");
  const pager = document.querySelector("[data-load-more-nav]");
  return [list.getBoundingClientRect().bottom + scrollY,
          pager.getBoundingClientRect().top + scrollY];
}"""


@pytest.fixture
def three_pages(make_article):
    """A lead story and two full pages of others, headlines of every length."""
    return [make_article(title=TITLES[n % len(TITLES)]) for n in range(1 + PAGE_SIZE * 2)]


def test_more_stories_arriving_late_do_not_push_the_page_about(page, three_pages):
    page.add_init_script(RECORD_SHIFTS)
    page.set_viewport_size(PHONE)
    held = []
    page.route("**/?page=2", lambda route: held.append(route))
    page.goto("/")
    cards = page.locator(".article-list .article-card")
    expect(cards).to_have_count(PAGE_SIZE)
    load_more = page.get_by_role("button", name="Load more")
    load_more.scroll_into_view_if_needed()

    clicked_at = page.evaluate("() => performance.now()")
    load_more.click()
    # A slow connection: the next page comes back after the click no longer excuses a shift.
    release_when_asked(page, held, "the next page", not_before=clicked_at + 2 * INPUT_GRACE_MS)
    expect(cards).to_have_count(PAGE_SIZE * 2)

    shifts = page.evaluate(UNEXPECTED_SHIFTS_SINCE, clicked_at)
    assert _cls(shifts) < GOOD_CLS, f"CLS {_cls(shifts)} from one Load more: {shifts}"
    # What Load more did before, it still does: focus on the first new headline, the pager
    # taken over (no more pages here).
    expect(cards.nth(PAGE_SIZE).locator("h3 a[href]")).to_be_focused()
    expect(page.locator(".end-of-list")).to_have_text("No more pages to load")


def test_more_stories_that_fail_to_load_leave_the_plain_link_and_no_gap(page, three_pages, watch):
    page.set_viewport_size(PHONE)
    page.route("**/?page=2", lambda route: route.fulfill(status=503, body="Try later"))
    page.goto("/")
    list_ends = page.evaluate(LIST_ENDS)
    page.get_by_role("button", name="Load more").click()

    expect(page.get_by_role("link", name="Next page")).to_be_visible()
    expect(page.locator(".article-list .article-card")).to_have_count(PAGE_SIZE)
    # The room kept for the stories is given back: the link sits under the list again.
    assert page.evaluate(LIST_ENDS) == list_ends
    # The 503 and the browser's console line about it: provoked on purpose.
    watch.problems[:] = [problem for problem in watch.problems if "?page=2" not in problem]


@pytest.fixture
def long_story(make_article):
    return make_article(
        title="Xiaomi aims to mass-produce its electric car as early as 2024",
        slug="xiaomi-car",
        standfirst=(
            "The phone maker will build the car in its own plant near Beijing, and says the "
            "first deliveries could reach buyers before the end of next year."
        ),
    )


# How tall the article's headline and standfirst are, and in how many lines.
OPENING = """() => [".article-title", ".article-standfirst"].map((selector) => {
  const element = document.querySelector(selector);
  const style = getComputedStyle(element);
  return {selector, height: element.getBoundingClientRect().height,
          lines: Math.round(element.getBoundingClientRect().height /
                            parseFloat(style.lineHeight))};
})"""


def _drawn_in(page, selector: str) -> list[str]:
    """The fonts Chromium really drew the element's text with (not what the CSS asked for)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return [font["familyName"] for font in fonts]
    finally:
        cdp.detach()


def test_the_web_font_arriving_late_does_not_rewrap_the_article_s_opening(page, long_story):
    page.add_init_script(RECORD_SHIFTS)
    page.set_viewport_size(PHONE)
    held = []
    page.route("**/source-serif-4-latin-wght-normal.*.woff2", lambda route: held.append(route))
    page.goto(long_story.get_absolute_url(), wait_until="domcontentloaded")
    # The first paint, in the fallback font: the web font is still on its way.
    page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length")
    assert "Source Serif 4" not in _drawn_in(page, ".article-title")
    before = page.evaluate(OPENING)

    release_when_asked(page, held, "the web font")
    page.wait_for_function("() => document.fonts.check('700 16px \"Source Serif 4\"')")
    page.evaluate("() => document.fonts.ready")
    assert _drawn_in(page, ".article-title") == ["Source Serif 4"]
    assert _drawn_in(page, ".article-standfirst") == ["Source Serif 4"]
    after = page.evaluate(OPENING)

    assert [(o["selector"], o["lines"]) for o in before] == [
        (o["selector"], o["lines"]) for o in after
    ], f"the fallback font wraps the article's opening differently: {before} then {after}"
    for fallback, web in zip(before, after, strict=True):
        assert abs(fallback["height"] - web["height"]) <= 2, (fallback, web)
    shifts = page.evaluate(UNEXPECTED_SHIFTS_SINCE, 0)
    assert _cls(shifts) < 0.01, f"CLS {_cls(shifts)} as the web font arrives: {shifts}"
