"""A reader who clicks the footer's or a section's feed link gets a page explaining how to follow
us, with the feeds' addresses to copy: readable on a phone, accessible, and a Copy button that
copies (with JavaScript; the boxes alone without it)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_reader_follows_the_site_from_the_footer(page, article, snap, assert_accessible):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/")

    page.get_by_role("link", name="Follow by feed (RSS, Atom)").click()

    expect(page).to_have_url(re.compile(r"/follow/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow Newsportal by feed")
    address = page.get_by_label("Newsportal, RSS feed")
    expect(address).to_have_value(re.compile(r"^https?://[^/]+/feed/$"))
    page.get_by_role("button", name="Copy the RSS feed address").click()
    expect(page.get_by_role("status")).to_have_text(f"Copied: {address.input_value()}")
    assert page.evaluate("navigator.clipboard.readText()") == address.input_value()
    assert_accessible("follow")
    snap("follow", phone_layout=True)


def test_a_reader_follows_one_section_from_its_page(page, article, section, assert_accessible):
    page.goto(section.get_absolute_url())

    page.get_by_role("link", name="Follow Technology by feed (RSS, Atom)").click()

    expect(page).to_have_url(re.compile(r"/section/technology/follow/$"))
    expect(page.get_by_label("Technology, Atom feed")).to_have_value(
        re.compile(r"/section/technology/atom/$")
    )
    # Focused, the box's address is selected whole, ready to copy from the keyboard or menu.
    box = page.get_by_label("Technology, Atom feed")
    box.focus()
    selected = "(box) => box.value.slice(box.selectionStart, box.selectionEnd)"
    assert box.evaluate(selected) == box.input_value()
    assert_accessible("section follow")
    # On a phone each address shows whole, wrapped, not cut at the box's edge.
    page.set_viewport_size({"width": 390, "height": 844})
    cut = "(box) => box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight + 1"
    for name in ("Technology, RSS feed", "Technology, Atom feed"):
        assert not page.get_by_label(name).evaluate(cut), name
