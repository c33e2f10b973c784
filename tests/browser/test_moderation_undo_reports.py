"""The Reported queue's Undo: `t` pressed by mistake takes a comment down at once; `u` (or the
card's Undo) puts it back up, its reports open, the card ready to be decided again."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from comments.desk import report_comment
from comments.models import Comment, Report
from tests.browser.helpers import log_in_to_admin

pytestmark = pytest.mark.browser


def test_a_take_down_by_a_stray_t_is_undone_with_u(page, moderator, approved_comment):
    report_comment(comment=approved_comment, reason="off-topic", ip="198.51.100.7")
    log_in_to_admin(page, moderator.username)
    page.goto("/admin/comments/comment/?status=reported")
    card = page.locator(f"#queue-{approved_comment.pk}")
    expect(card).to_have_class(re.compile(r"\bis-selected\b"))

    page.keyboard.press("t")
    expect(card.locator(".queue-outcome")).to_have_text("Comment by Early Bird taken down.")
    expect(card.get_by_role("button", name="Undo")).to_be_visible()
    page.keyboard.press("u")

    expect(card.locator(".queue-outcome")).to_have_text(
        "Undone: Not taken down after all. The comment by Early Bird is up again, its reports "
        "open: decide again."
    )
    expect(card).to_have_class(re.compile(r"\bis-selected\b"))
    expect(card.get_by_role("button", name="Undo")).to_have_count(0)
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED
    assert Report.objects.open().filter(comment=approved_comment).count() == 1
    assert Article.objects.get(pk=approved_comment.article_id).approved_comment_count == 1

    # Dismissed instead, as meant.
    page.keyboard.press("x")
    expect(card.locator(".queue-outcome")).to_contain_text("dismissed: it stays up.")


def test_a_reported_reply_taken_down_with_its_comment_closes_and_opens_with_it(
    page, moderator, approved_comment, make_comment
):
    reply = make_comment(
        approved_comment.article, parent=approved_comment, status="approved", name="Late Owl"
    )
    Article.objects.filter(pk=approved_comment.article_id).update(approved_comment_count=2)
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    report_comment(comment=reply, reason="abuse", ip="198.51.100.7")
    log_in_to_admin(page, moderator.username)
    page.goto("/admin/comments/comment/?status=reported")
    reply_card = page.locator(f"#queue-{reply.pk}")

    page.keyboard.press("t")  # the first card: the comment, its reply under it

    expect(reply_card.locator(".queue-outcome")).to_have_text(
        "Taken down with the comment it answers: its reports upheld."
    )
    expect(reply_card).to_have_class(re.compile(r"\bis-decided\b"))
    assert Report.objects.open().count() == 0

    page.keyboard.press("u")

    expect(reply_card.locator(".queue-outcome")).to_have_text(
        "Up again with the comment it answers, its reports open."
    )
    expect(reply_card).not_to_have_class(re.compile(r"\bis-decided\b"))
    assert Report.objects.open().filter(comment=reply).count() == 1
