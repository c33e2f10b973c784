"""Two moderators on the same reported comment at once, one pressing Take down and the other
Dismiss: one of them decides it, and the other's press changes nothing (the comment is not
taken down with its reports dismissed, and neither moderator gets a server error)."""

import threading
import time
from functools import partial
from unittest import mock

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from articles.models import Article
from comments import admin_decisions, desk
from comments.commenter_services import edit_comment
from comments.desk import dismiss_reports, report_comment, take_down_reported
from comments.models import Comment, ModerationPolicy, Report
from comments.services import reject
from tests.comment_fixtures import as_shown
from tests.test_moderation_race import _retrying_while_sqlite_is_locked


def _at_once(first, second, *, started=None):
    """`first` runs and keeps its transaction open half a second; `second` starts meanwhile
    (or once `started` is set, by `first` on its way). Returns what each returned."""
    started = started or threading.Event()
    results, errors = {}, []

    def run_first():
        try:
            with transaction.atomic():
                results["first"] = first()
                started.set()
                time.sleep(0.5)  # still deciding when the other moderator presses
        except Exception as exc:  # reported by the assertions, not lost in the thread
            errors.append(exc)
        finally:
            started.set()
            connections.close_all()

    def run_second():
        try:
            started.wait(timeout=10)
            results["second"] = _retrying_while_sqlite_is_locked(second)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


def _reported(article, make_comment, *, hidden=False):
    """A published comment with one reader's report (which hides it, if `hidden`), and the
    comment as both moderators' cards read it."""
    comment = make_comment(article, status="approved")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    if hidden:
        ModerationPolicy.objects.create(hide_after_reports=1)
    report_comment(comment=comment, reason="abuse", ip="198.51.100.7")
    return comment, Comment.objects.get(pk=comment.pk)


def _stands(comment, *, status, outcome, counted):
    comment.refresh_from_db()
    assert comment.status == status
    assert list(Report.objects.values_list("outcome", flat=True)) == [outcome]
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == counted


class TestTakeDownAndDismissAtOnce:
    """They commit for real: a class of their own (tests/conftest.py says why)."""

    @pytest.mark.parametrize("hidden", [False, True], ids=["up", "hidden by its reports"])
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_take_down_pressed_while_another_dismisses_changes_nothing(
        self, article, make_comment, moderator, second_moderator, hidden
    ):
        # On PostgreSQL the Take down read the reports still open (the Dismiss not committed)
        # and took the comment down: down, with its reports dismissed by the other moderator.
        comment, shown = _reported(article, make_comment, hidden=hidden)

        results = _at_once(
            partial(dismiss_reports, comment=shown, by=second_moderator),
            partial(
                take_down_reported,
                comment=shown,
                by=moderator,
                seen={comment.pk: shown.revision},
            ),
        )

        assert results == {"first": 1, "second": None}  # "its reports were answered meanwhile"
        _stands(comment, status=Comment.Status.APPROVED, outcome="dismissed", counted=1)

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_dismiss_pressed_while_another_takes_down_changes_nothing(
        self, article, make_comment, moderator, second_moderator
    ):
        comment, shown = _reported(article, make_comment)

        results = _at_once(
            partial(take_down_reported, comment=shown, by=moderator, reason="Libel"),
            partial(dismiss_reports, comment=shown, by=second_moderator),
        )

        assert results == {"first": True, "second": 0}
        _stands(comment, status=Comment.Status.REJECTED, outcome="taken-down", counted=0)
        assert comment.taken_down_by == moderator

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_rejection_in_the_queue_while_another_dismisses_the_reports_is_no_error(
        self, article, make_comment, moderator, second_moderator
    ):
        # Hidden by its reports, the comment is on both desks: the pending queue (Reject) and
        # the Reported queue (Dismiss). The Dismiss had closed the reports and was about to put
        # the comment back up when the Reject took the comment's row and waited for the reports:
        # each waited on the other, and PostgreSQL ended one with a deadlock (a server error).
        comment, shown = _reported(article, make_comment, hidden=True)
        closed, real = threading.Event(), desk.hidden_by_reports

        def after_closing(row):
            closed.set()
            time.sleep(0.5)  # the other moderator's Reject lands now
            return real(row)

        with mock.patch.object(desk, "hidden_by_reports", after_closing):
            results = _at_once(
                partial(dismiss_reports, comment=shown, by=second_moderator),
                partial(reject, comment=shown, by=moderator, reason="Abusive"),
                started=closed,
            )

        assert results == {"first": 1, "second": False}
        _stands(comment, status=Comment.Status.APPROVED, outcome="dismissed", counted=1)

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_take_down_selected_in_the_reported_queue_while_another_dismisses_changes_nothing(
        self, moderator_client, article, make_comment, second_moderator
    ):
        # The list read the reports still open (the Dismiss not committed), and the take-down,
        # waiting for the comment's row, then took it down: down, its reports dismissed.
        comment, shown = _reported(article, make_comment)
        data = {"action": "take_down_selected", "_selected_action": [comment.pk]}
        data |= as_shown([comment]) | {"reason": "Libel"}

        def take_down_selected():
            for _ in range(200):
                answer = moderator_client.post(
                    "/admin/comments/comment/?status=reported", data, follow=True
                )
                # SQLite's shared in-memory test database answers "locked" at once (the site's
                # 503): pressed again, as _retrying_while_sqlite_is_locked does.
                if answer.status_code != 503 or connection.vendor != "sqlite":
                    return answer.content.decode()
                time.sleep(0.02)
            raise AssertionError("still locked")

        results = _at_once(
            partial(dismiss_reports, comment=shown, by=second_moderator), take_down_selected
        )

        _stands(comment, status=Comment.Status.APPROVED, outcome="dismissed", counted=1)
        assert "taken down." not in results["second"]
        assert "1 comment ticked had left this list since the page showed it" in results["second"]


def test_an_edit_landing_during_a_dismiss_of_a_hidden_comment_keeps_it_waiting(
    moderator_client, client, article, make_comment
):
    # The card's Dismiss checked the words it showed before taking the comment's row: an edit
    # landing in between was put up unread, with the reports that hid it dismissed.
    comment = make_comment(article, status="approved", moderated_at=timezone.now())
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    ModerationPolicy.objects.create(hide_after_reports=1)
    report_comment(comment=comment, reason="abuse", ip="198.51.100.7")
    real = admin_decisions.dismiss_reports

    def edited_first(**kwargs):
        edit_comment(comment=Comment.objects.get(pk=comment.pk), body="Words nobody read.")
        return real(**kwargs)

    with mock.patch.object(admin_decisions, "dismiss_reports", edited_first):
        answer = moderator_client.post(
            f"/admin/comments/comment/{comment.pk}/dismiss/",
            as_shown([comment]),
            HTTP_ACCEPT="application/json",
        )

    assert answer.status_code == 409
    assert answer.json()["edited"] is True
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert Report.objects.open().filter(comment=comment).count() == 1
    assert "Words nobody read." not in client.get(article.get_absolute_url()).content.decode()
