"""A commenter in control, with their hands: asks for reply mail, opens their private status
page, edits the comment, reads the privacy note from the form, and deletes the comment; and
pages through all their comments from the export link."""

import re

import pytest
from playwright.sync_api import expect

from comments import links
from comments.models import Comment, CommenterAddress, CommentVersion, ReplySubscription
from tests.browser.helpers import fill_comment_form

pytestmark = pytest.mark.browser


def test_commenter_edits_then_deletes_their_comment_from_the_status_page(page, article, snap):
    page.goto(article.get_absolute_url())
    form = page.locator("#comment-form")
    fill_comment_form(page, name="Maria Lopez", email="maria@example.com", body="Teh first try.")
    form.get_by_label("E-mail me when someone replies").check()
    form.get_by_role("button", name="Send comment").click()
    page.get_by_role("link", name="private status page").click()
    expect(page.locator(".comment-status")).to_contain_text("waiting for review")
    snap("status-page", phone_layout=True)

    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label(re.compile(r"^\s*Your comment")).fill("The first try, fixed.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".messages")).to_contain_text("A moderator will review the new text")
    expect(page.locator(".comment-body")).to_have_text("The first try, fixed.")
    comment = Comment.objects.get()
    assert CommentVersion.objects.filter(comment=comment, body="Teh first try.").exists()
    assert ReplySubscription.objects.filter(comment=comment).exists()

    page.get_by_role("link", name="Delete", exact=True).click()
    page.get_by_role("button", name="Delete my comment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your comment is deleted")
    assert not Comment.objects.exists()


def test_the_privacy_note_is_one_click_from_the_comment_form(page, article):
    page.goto(article.get_absolute_url())
    page.locator("#comment-form").get_by_role(
        "link", name="comment policy and privacy note"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Comments and your privacy")
    expect(page.get_by_role("button", name="Export my comments")).to_be_visible()
    expect(page.get_by_role("button", name="Erase my comments")).to_be_visible()


def test_the_export_links_pages_keep_the_readers_place_when_they_come_back_from_a_comment(
    page, article, make_comment, settings, snap
):
    settings.COMMENTS_PER_PAGE = 2
    for n in range(5):
        make_comment(article, email="maria@example.com", body=f"Thought number {n}")
    address = CommenterAddress.objects.claim("maria@example.com")
    page.goto(links.privacy_url(address.pk, "export").removeprefix(settings.SITE_URL))
    excerpts = page.locator("main li span")
    expect(excerpts).to_have_text(["“Thought number 4”", "“Thought number 3”"])

    page.get_by_role("link", name="Next page").click()
    expect(excerpts).to_have_text(["“Thought number 2”", "“Thought number 1”"])
    page.get_by_role("link", name="Your comment on").first.click()
    expect(page.locator(".comment-body")).to_have_text("Thought number 2")
    page.go_back()

    # This page is never kept, so Back asks for it again: the reader is on page 2 still.
    expect(excerpts).to_have_text(["“Thought number 2”", "“Thought number 1”"])
    snap("export-page-2", phone_layout=True)
    page.get_by_role("link", name="Next page").click()
    expect(excerpts).to_have_text(["“Thought number 0”"])
    expect(page.get_by_text("No more pages to load")).to_be_visible()


def test_back_from_the_deleted_page_says_the_comment_is_deleted(
    browser, live_server, article, make_comment
):
    """Back fetches the delete page anew (it is never kept): it said "This link no longer
    works", as if the delete had failed; Delete pressed twice, where a browser sends it twice,
    is answered alike (tests/test_commenter_delete_twice.py)."""
    comment = make_comment(article, body="Deleted, then Back")
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    context.set_default_timeout(5_000)
    page = context.new_page()
    page.goto(comment.status_url)
    page.get_by_role("link", name="Delete", exact=True).click()
    page.get_by_role("button", name="Delete my comment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your comment is deleted")

    page.go_back()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your comment is deleted")
    expect(page.get_by_role("link", name="Back to the article")).to_have_attribute(
        "href", article.get_absolute_url()
    )
    page.go_back()  # the status page: its link no longer works, as the answer said
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    context.close()
