"""One "Take down selected" is one decision: the comments readers' reports hid and the
published ones ticked with them come down together or not at all, each as the page showed it:
one its readers' reports hid in the moment before comes down all the same, one whose reports
another moderator dismissed stays up, and the moderator is told which, and why."""

import time
from functools import partial
from unittest import mock

import pytest
from django.db import OperationalError, connection

from articles.models import Article
from comments import services
from comments.desk import dismiss_reports, report_comment
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

    @pytest.mark.parametrize("listed", ["pending", "all"])
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_hidden_comment_whose_reports_another_dismisses_meanwhile_stays_up_and_is_named(
        self, moderator_client, second_moderator, article, make_comment, listed
    ):
        # The Dismiss committed while the take-down waited for the row: the moderator read
        # "None of those comments was published." (On the Pending list, pressed after it: "1
        # comment ticked had left this list"; on the All list it was taken down, the other
        # moderator's Dismiss overridden unseen.)
        ModerationPolicy.objects.create(hide_after_reports=1)
        comment = make_comment(article, status="approved", name="Ann")
        Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
        report_comment(comment=comment, reason="abuse", ip="198.51.100.7")
        shown = Comment.objects.get(pk=comment.pk)
        assert shown.status == Comment.Status.PENDING
        data = _ticked([comment], "pending") | {"reason": "Libel"}

        results = _at_once(
            partial(dismiss_reports, comment=shown, by=second_moderator),
            partial(_post_until_unlocked, moderator_client, f"{CHANGELIST}?status={listed}", data),
        )

        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED and comment.taken_down_at is None
        assert list(Report.objects.values_list("outcome", flat=True)) == ["dismissed"]
        assert Article.objects.get(pk=article.pk).approved_comment_count == 1
        html = results["second"]
        assert (
            "The reports on the comment by Ann were dismissed by moderator2 meanwhile: it "
            "stays up, as they left it."
        ) in html
        assert "taken down." not in html
        assert "None of those comments was published." not in html


def test_each_row_posts_the_status_it_shows_the_comment_in(moderator_client, article, make_comment):
    pending = make_comment(article)
    rejected = make_comment(article, status="rejected")

    table = moderator_client.get(f"{CHANGELIST}?status=all").content.decode()
    cards = moderator_client.get(CHANGELIST).content.decode()

    assert f'name="status-{rejected.pk}" value="rejected"' in table
    assert f'name="status-{pending.pk}" value="pending"' in table
    assert f'name="status-{pending.pk}" value="pending"' in cards


def test_a_comment_another_moderator_took_down_meanwhile_is_named_with_who(
    moderator_client, second_moderator, approved_comment, make_comment
):
    # Ticked on the All list with another that is not published: the page showed both, then
    # another moderator took the first down. It read "None of those comments was published."
    waiting = make_comment(approved_comment.article)
    data = _ticked([approved_comment], "approved") | _ticked([waiting], "pending")
    data["_selected_action"] = [approved_comment.pk, waiting.pk]
    services.take_down([approved_comment], by=second_moderator, reason="Off topic")

    html = moderator_client.post(f"{CHANGELIST}?status=all", data, follow=True).content.decode()

    assert (
        "The comment by Early Bird had been taken down by moderator2 meanwhile: that decision "
        "stands."
    ) in html
    assert "1 comment ticked was not published and was left as it was." in html
    assert "None of those comments was published." not in html
    assert Comment.objects.get(pk=approved_comment.pk).rejection_reason == "Off topic"
    assert Comment.objects.get(pk=waiting.pk).status == Comment.Status.PENDING
