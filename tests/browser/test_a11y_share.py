"""The share buttons under a story, as a screen reader and a phone reader meet them."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

NETWORKS = ["X", "Facebook", "WhatsApp", "LinkedIn"]


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["1280", "phone"])
def test_each_share_link_says_what_it_shares_on_and_that_it_opens_a_new_tab(
    page, article, viewport
):
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(article.get_absolute_url())
    share = page.get_by_role("region", name="Share this article")
    # A screen reader's list of the page's links reads each name alone, without the heading.
    for network in NETWORKS:
        link = share.get_by_role("link", name=f"Share on {network} (opens a new tab)", exact=True)
        expect(link).to_have_attribute("target", "_blank")
    expect(share.get_by_role("link", name="Share by E-mail", exact=True)).to_be_visible()
    expect(share.get_by_role("link", name="Copy link", exact=True)).to_be_visible()
    # What the eye reads is unchanged: the network's name (on a phone, its icon alone).
    names = share.locator(".share-label")
    expect(names).to_have_text([*NETWORKS, "E-mail", "Copy link"])


def test_on_a_phone_copy_link_says_in_words_whether_it_copied(page, article, artifacts):
    """On a phone the buttons are icons; once "Copy link" is pressed its words show: the icon
    alone turned green on success and showed nothing when the browser refused."""
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(article.get_absolute_url())
    copy = page.locator(".share-copy")
    words = copy.locator(".share-label")
    assert words.bounding_box()["width"] <= 1  # an icon until pressed
    copy.click()
    expect(words).to_have_text("Link copied")
    assert words.bounding_box()["width"] > 40, "'Link copied' is not shown"
    artifacts.screenshot(page.locator(".share"), "copied.png")

    page.add_init_script(
        "navigator.clipboard.writeText = () =>"
        " Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));"
    )
    page.reload()
    page.locator(".share-copy").click()
    expect(words).to_have_text("Could not copy: the link is in the address bar")
    box = words.bounding_box()
    assert box["width"] > 40, "the refusal is not shown"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    artifacts.screenshot(page.locator(".share"), "refused.png")


def test_a_screen_reader_hears_what_copy_link_did(page, article):
    """The link's own words change where focus is, which screen readers do not read out: a
    status message says it (WCAG 4.1.3), and says nothing until then."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(article.get_absolute_url())
    status = page.get_by_role("region", name="Share this article").get_by_role("status")
    expect(status).to_have_text("")
    page.get_by_role("link", name="Copy link").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Link copied")

    page.add_init_script(
        "navigator.clipboard.writeText = () =>"
        " Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));"
    )
    page.reload()
    page.get_by_role("link", name="Copy link").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Could not copy: the link is in the address bar")
