"""A reader who opens a feed in a browser that still draws XSLT (a link from elsewhere: ours lead
to the follow pages, tests/browser/test_reader_follow.py) gets a page, not raw XML: what a
feed is, its address to copy into a feed reader, and the stories in it, in the site's colours
(dark too), readable on a phone, with nothing the feed's CSP blocks."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# What Chromium's own notice over XSLT-drawn pages (it is removing XSLT) tries and the feed's CSP
# refuses: its inline style and its close button's handler. Nothing of ours: the test checks the
# page we draw has no inline style or handler before it lets these pass.
BROWSER_NOTICE_REFUSED = re.compile(
    r"^(console error: (Applying inline style|Executing inline event handler) violates"
    r"|CSP violation of (style|script)-src-attr: blocked 'inline')"
)
OWN_INLINE_JS = """() => Array.from(document.querySelectorAll("*"))
    .filter((el) => !el.closest("xslt-warning-banner"))
    .filter((el) => Array.from(el.attributes)
        .some((a) => a.name === "style" || a.name.startsWith("on")))
    .map((el) => el.outerHTML.slice(0, 120))"""


def let_the_browser_notice_pass(watch):
    watch.problems[:] = [p for p in watch.problems if not BROWSER_NOTICE_REFUSED.match(p)]


@pytest.mark.parametrize("url", ["/feed/", "/atom/", "/section/technology/atom/"])
def test_a_feed_opened_in_a_browser_explains_itself_and_lists_its_stories(
    page, watch, make_article, snap, assert_accessible, url
):
    make_article(
        title="Bridge reopens after repairs",
        slug="bridge-reopens",
        standfirst='R&D at the <blink> lab "paid" for it, the council\'s engineer said.',
    )

    page.goto(url)

    expect(page.get_by_role("heading", level=1)).to_have_text("This is a news feed")
    assert page.evaluate(OWN_INLINE_JS) == []
    expect(page.get_by_text("Paste it into your feed reader")).to_be_visible()
    address = page.get_by_label("Feed address")
    expect(address).to_have_value(re.compile(re.escape(url) + "$"))
    story = page.get_by_role("link", name="Bridge reopens after repairs")
    expect(story).to_have_attribute("href", re.compile(r"/articles/bridge-reopens/$"))
    expect(page.locator(".feed-item-meta")).to_have_text(re.compile(r"^Marta Ribeiro · \S.{8,15}$"))
    # The lead as the editor typed it: its escapes undone, nothing of it drawn as markup.
    expect(page.locator(".feed-item-lead")).to_have_text(
        'R&D at the <blink> lab "paid" for it, the council\'s engineer said.'
    )
    assert page.locator("blink").count() == 0
    # Chromium's notice about XSLT, which covered the instructions on a phone, is not shown.
    expect(page.locator("xslt-warning-banner")).to_be_hidden()
    assert_accessible(f"feed {url}")
    snap("feed", phone_layout=True)

    page.emulate_media(color_scheme="dark")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(20, 22, 26)", background
    let_the_browser_notice_pass(watch)
