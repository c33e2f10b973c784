"""On a phone, the masthead's "Search" on a page that has a search box of its own: the search
results and "Page not found" leave the masthead's box out, and the button takes the reader to
the page's box, their words still in it, rather than to an empty search page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "address, box_label, words",
    [
        ("/search/?q=Xiaomi", "Search for", "Xiaomi"),
        ("/no-such-page/", "Search the archive", ""),
    ],
    ids=["results", "not-found"],
)
def test_on_a_phone_search_in_the_masthead_goes_to_the_pages_own_box(
    page, article, watch, address, box_label, words
):
    page.set_viewport_size(PHONE)
    page.goto(address)
    box = page.get_by_label(box_label, exact=True)
    expect(box).to_have_value(words)
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    # What the reader taps, whatever it is drawn as (a button, with JavaScript).
    toggle = page.locator(".site-header .search-toggle")
    expect(toggle).to_have_accessible_name("Search")
    toggle.click()

    expect(box).to_be_focused()
    expect(box).to_be_in_viewport()
    expect(box).to_have_value(words)
    expect(page).to_have_url(re.compile(re.escape(address) + "$"))
    # Typing goes on from the end of the words already there.
    page.keyboard.type(" car")
    expect(box).to_have_value(f"{words} car")
    if address == "/no-such-page/":
        # The page was answered "not found" on purpose.
        watch.problems = [problem for problem in watch.problems if "404" not in problem]
