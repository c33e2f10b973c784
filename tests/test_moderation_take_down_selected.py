"""One "Take down selected" is one decision: the comments readers' reports hid and the
published ones ticked with them come down together or not at all, each as the page showed it:
one its readers' reports hid in the moment before comes down all the same, and the moderator
is told which, and why."""

import time
from functools import partial
from unittest import mock

import pytest
from django.db import OperationalError, connection

from articles.models import Article
from comments import services
from comments.desk import report_comment
from comments.models import Comment, ModerationPolicy, Report
from comments.services import REPLY_TAKEN_DOWN
from tests.comment_fixtures import as_shown
from tests.test_moderation_report_race import _at_once

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def hidden_and_up(article, make_comment):
    """A comment its reader's report hid, and a published one: both on the All list."""
    ModerationPolicy.objects.create(hide_after_reports=1)
    hidden, up = (make_comment(article, status="approved") for _ in range(2))
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    report_comment(comment=hidden, reason="abuse", ip="198.51.100.7")
    assert Comment.objects.get(pk=hidden.pk).status == Comment.Status.PENDING
    return Comment.objects.get(pk=hidden.pk), up


def test_a_failure_while_taking_down_leaves_every_ticked_comment_as_it_was(
    moderator_client, hidden_and_up
):
    # The hidden comment was rejected and committed on its own; the database then failed on
    # the published one: half the bulk action done, and a server error said none of it.
    hidden, up = hidden_and_up
    data = {"action": "take_down_selected", "_selected_action": [hidden.pk, up.pk]}
    data |= as_shown([hidden, up]) | {"reason": "Libel"}
    failing = mock.Mock(side_effect=OperationalError("canceling statement due to timeout"))
    moderator_client.raise_request_exception = False

    with mock.patch.object(services, "take_down_replies", failing):
        answer = moderator_client.post(f"{CHANGELIST}?status=all", data)

    assert answer.status_code == 500
    assert failing.called  # it failed where it takes the published comment down
    assert Comment.objects.get(pk=hidden.pk).status == Comment.Status.PENDING
    assert Report.objects.open().filter(comment=hidden).count() == 1
    assert Comment.objects.get(pk=up.pk).status == Comment.Status.APPROVED
    assert Article.objects.get(pk=up.article_id).approved_comment_count == 1


def _post_until_unlocked(client, url, data) -> str:
    """The moderator's Go: SQLite's shared in-memory test database answers "locked" at once
    (the site's 503) while the other moderator's or reader's write is open, where PostgreSQL
    waits: pressed again, as the moderator would."""
    for _ in range(200):
        answer = client.post(url, data, follow=True)
        if answer.status_code != 503 or connection.vendor != "sqlite":
            assert answer.status_code == 200
            return answer.content.decode()
        time.sleep(0.02)
    raise AssertionError("still locked")


def _ticked(comments, status) -> dict:
    """A bulk take-down's post, each row as the page showed it: its words and its status."""
    data = {"action": "take_down_selected", "_selected_action": [c.pk for c in comments]}
    return data | as_shown(comments) | {f"status-{c.pk}": status for c in comments}


class TestReadersAndModeratorsMeanwhile:
    """Another writer's transaction open while "Take down selected" waits for the rows: they
    commit for real, so a class of their own (tests/conftest.py says why)."""

    @pytest.mark.parametrize("listed", ["approved", "all", "reported"])
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_comment_reports_hide_as_take_down_selected_locks_it_comes_down_and_is_said(
        self, moderator_client, article, make_comment, listed
    ):
        # Shown published, hidden by a reader's report in the moment before the take-down got
        # its row: it was left waiting, hidden, and the moderator read "None of those comments
        # was published." (On the Approved list it had left the list: "left as it was".)
        ModerationPolicy.objects.create(hide_after_reports=2)
        comment = make_comment(article, status="approved", name="Ann")
        reply = make_comment(article, status="approved", parent=comment)
        Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
        report_comment(comment=comment, reason="abuse", ip="198.51.100.7")  # on the list
        data = _ticked([comment], "approved") | {"reason": "Libel"}

        results = _at_once(
            partial(report_comment, comment=comment, reason="spam", ip="192.0.2.9"),
            partial(_post_until_unlocked, moderator_client, f"{CHANGELIST}?status={listed}", data),
        )

        comment.refresh_from_db()
        assert (comment.status, comment.rejection_reason) == ("rejected", "Libel")
        assert comment.taken_down_at is not None
        assert list(Report.objects.values_list("outcome", flat=True)) == ["taken-down"] * 2
        assert Comment.objects.get(pk=reply.pk).rejection_reason == REPLY_TAKEN_DOWN
        assert Article.objects.get(pk=article.pk).approved_comment_count == 0
        html = results["second"]
        assert "1 comment taken down." in html
        assert (
            "The comment by Ann was hidden by readers’ reports after your page showed it "
            "published: taken down all the same, its reports upheld."
        ) in html
        assert "None of those comments was published." not in html


def test_each_row_posts_the_status_it_shows_the_comment_in(moderator_client, article, make_comment):
    pending = make_comment(article)
    rejected = make_comment(article, status="rejected")

    table = moderator_client.get(f"{CHANGELIST}?status=all").content.decode()
    cards = moderator_client.get(CHANGELIST).content.decode()

    assert f'name="status-{rejected.pk}" value="rejected"' in table
    assert f'name="status-{pending.pk}" value="pending"' in table
    assert f'name="status-{pending.pk}" value="pending"' in cards
