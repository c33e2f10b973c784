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
