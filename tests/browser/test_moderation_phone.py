"""The queue on a phone: what a thumb presses after a decision (Undo, the way on at the end of
the page) is as easy to hit as the decision's own buttons."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.helpers import open_queue

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("presets")]


def _height(locator) -> float:
    return locator.bounding_box()["height"]


def test_undo_and_the_end_of_the_page_are_thumb_sized_on_a_phone(
    page, moderator, article, make_comment
):
    start = timezone.now() - timedelta(hours=1)
    first = make_comment(article, body="The only comment waiting.", created_at=start)
    open_queue(page, moderator.username)
    page.set_viewport_size(PHONE)
    card = page.locator(f"#queue-{first.pk}")
    approve = card.get_by_role("button", name="Approve")
    thumb = _height(approve)  # about 35 px; the undo was 21

    approve.click()

    undo = card.get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    assert _height(undo) >= thumb - 0.5, f"Undo is {_height(undo)} px tall on a phone"
    check = page.get_by_role("button", name="Check for new comments")
    expect(check).to_be_visible()
    assert _height(check) >= thumb - 0.5


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_queue_opens_at_its_top_with_a_long_first_comment_selected(
    page, moderator, article, make_comment, width
):
    # Taller than what the screen has left under the tabs, the search and the action bar.
    first = make_comment(article, body="A long first comment, line after line. " * 80)
    make_comment(article, body="A second comment.")
    if width == "phone":
        page.set_viewport_size(PHONE)

    open_queue(page, moderator.username)

    expect(page.locator(f"#queue-{first.pk}")).to_have_class(re.compile(r"\bis-selected\b"))
    # Not scrolled to the card's end: the tabs and the search stay in view, and j, a, ... work.
    assert page.evaluate("window.scrollY") == 0
    expect(page.get_by_role("link", name="Reported (0)").first).to_be_in_viewport()
