"""A commenter in control, with their hands: asks for reply mail, opens their private status
page, edits the comment, reads the privacy note from the form, and deletes the comment."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment, CommentVersion, ReplySubscription
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
