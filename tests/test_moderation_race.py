"""Two moderators deciding the same comment at once: exactly one decision lands, the other
moderator is told, and the approved count moves once. A reply approved while its comment comes
off the page waits for it."""

import threading
import time
from functools import partial

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from articles.models import Article
from comments.commenter_services import edit_comment
from comments.models import Comment
from comments.services import approve, decide, reject, return_to_queue, take_down


def test_the_second_of_two_moderators_loses_and_nothing_is_overwritten(
    article, make_comment, moderator, second_moderator
):
    comment = make_comment(article)
    # Both loaded the pending comment before either decided.
    seen_by_first = Comment.objects.get(pk=comment.pk)
    seen_by_second = Comment.objects.get(pk=comment.pk)

    first = approve(comment=seen_by_first, by=moderator)
    second = reject(comment=seen_by_second, by=second_moderator, reason="too late")

    comment.refresh_from_db()
    assert (first, second) == (True, False)
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == moderator
    assert comment.rejection_reason == ""
    assert Article.objects.get(pk=article.pk).approved_comment_count == 1


def test_approving_twice_counts_once(article, make_comment, moderator):
    comment = make_comment(article)

    assert approve(comment=comment, by=moderator) is True
    assert approve(comment=comment, by=moderator) is False
    assert Article.objects.get(pk=article.pk).approved_comment_count == 1


def test_bulk_decisions_report_what_someone_else_already_decided(
    article, make_comment, moderator, second_moderator
):
    comments = [make_comment(article) for _ in range(3)]
    approve(comment=comments[0], by=second_moderator)

    result = decide(
        Comment.objects.filter(pk__in=[c.pk for c in comments]),
        status=Comment.Status.APPROVED,
        by=moderator,
    )

    assert (result.decided, result.lost, result.waiting, result.edited) == (2, 1, 0, 0)
    assert Article.objects.get(pk=article.pk).approved_comment_count == 3


def test_the_moderator_who_lost_in_the_admin_sees_a_warning(
    moderator_client, article, make_comment, second_moderator
):
    comment = make_comment(article)
    approve(comment=comment, by=second_moderator)

    response = moderator_client.post(f"/admin/comments/comment/{comment.pk}/reject/", follow=True)

    html = response.content.decode()
    assert "had already been approved by moderator2" in html
    assert "your decision was not applied" in html
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_enter_in_a_cards_reason_box_without_javascript_after_another_decided_it_says_so(
    moderator_client, article, make_comment, second_moderator
):
    comment = make_comment(article)
    approve(comment=comment, by=second_moderator)  # while the page was open

    # Without JavaScript, Enter submits the list's form through "Go", with no action chosen.
    response = moderator_client.post(
        "/admin/comments/comment/",
        {"action": "", "index": "0", f"reason-{comment.pk}": "Off topic"},
        follow=True,
    )

    html = response.content.decode()
    assert "had already been approved by moderator2" in html
    assert "Items must be selected" not in html
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_a_bulk_action_on_the_queue_counts_ticked_comments_another_moderator_decided(
    moderator_client, article, make_comment, second_moderator
):
    from comments.services import mark_spam

    comments = [make_comment(article) for _ in range(3)]
    ticked = {f"seen-{c.pk}": c.revision for c in comments}
    mark_spam(comment=comments[0], by=second_moderator)  # while the page was open

    response = moderator_client.post(
        "/admin/comments/comment/",  # the queue: pending only, so the spam one has left it
        {"action": "approve_selected", "_selected_action": [c.pk for c in comments], **ticked},
        follow=True,
    )

    html = response.content.decode()
    assert "2 comments approved." in html
    assert "1 comment had already been decided" in html


def test_all_of_a_commenters_waiting_comments_counts_one_another_moderator_decided(
    moderator_client, article, make_comment, second_moderator
):
    from comments.services import mark_spam

    theirs = [make_comment(article, email="reader7@example.net") for _ in range(4)]
    shown = {f"seen-{c.pk}": c.revision for c in theirs}
    mark_spam(comment=theirs[0], by=second_moderator)

    response = moderator_client.post(
        "/admin/comments/comment/commenter/?email=reader7@example.net",
        {"action": "reject_all", "reason": "Repetitive", **shown},
        follow=True,
    )

    html = response.content.decode()
    assert "3 pending comments from reader7@example.net: rejected" in html
    assert "1 of them had been decided meanwhile" in html
    assert Comment.objects.get(pk=theirs[0].pk).status == Comment.Status.SPAM


def _retrying_while_sqlite_is_locked(work):
    # SQLite's shared in-memory test database answers "locked" instead of waiting (see below).
    for attempt in range(200):
        try:
            return work()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.01 * (attempt % 5 + 1))


def test_deciding_a_comment_deleted_meanwhile_returns_to_the_queue_with_a_word(
    moderator_client, article, make_comment
):
    from django.urls import reverse

    comment = make_comment(article)
    url = reverse("admin:comments_comment_approve", args=[comment.pk])
    comment.delete()

    response = moderator_client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:comments_comment_changelist")
    assert "That comment no longer exists" in response.content.decode()
    assert not Comment.objects.exists()


class TestRealConcurrentTransactions:
    """They commit for real: a class of their own (tests/conftest.py says why)."""

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_two_moderators_in_real_concurrent_transactions_make_exactly_one_decision(
        self, article, make_comment, moderator, second_moderator
    ):
        # Real threads, each with its own database connection and transaction: on PostgreSQL the
        # loser's UPDATE waits for the winner's row lock and then finds the row no longer pending.
        # SQLite's test database is in memory with a shared cache, which answers "table is locked"
        # at once instead of waiting like the real file database does (timeout=20): there the
        # loser retries, which is what the busy timeout does in production.
        comment = make_comment(article)
        barrier = threading.Barrier(2)
        results = {}
        errors = []

        def decide_as(user, verdict):
            try:
                loaded = Comment.objects.get(pk=comment.pk)
                barrier.wait(timeout=10)
                if verdict == "approve":
                    decision = partial(approve, comment=loaded, by=user)
                else:
                    decision = partial(reject, comment=loaded, by=user, reason="race")
                results[user.username] = _retrying_while_sqlite_is_locked(decision)
            except Exception as exc:  # reported by the assertions below, not lost in the thread
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=decide_as, args=(moderator, "approve")),
            threading.Thread(target=decide_as, args=(second_moderator, "reject")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        comment.refresh_from_db()
        assert errors == []
        assert sorted(results.values()) == [False, True], connection.vendor
        winner = next(name for name, won in results.items() if won)
        assert comment.moderated_by.username == winner
        expected_count = 1 if comment.status == Comment.Status.APPROVED else 0
        assert Article.objects.get(pk=article.pk).approved_comment_count == expected_count

    @pytest.mark.parametrize("change", ["take_down", "return_to_queue", "edit"])
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_reply_approved_while_its_comment_comes_off_the_page_waits_for_it(
        self, change, article, make_comment, moderator, second_moderator
    ):
        parent = make_comment(article, status=Comment.Status.APPROVED, moderated_at=timezone.now())
        Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
        reply = make_comment(article, parent=parent)
        changing = threading.Event()
        errors = []

        def off_the_page():
            parents = Comment.objects.filter(pk=parent.pk)
            try:
                with transaction.atomic():  # still changing when the reply's approval comes
                    if change == "take_down":
                        take_down(parents, by=second_moderator, reason="Libel")
                    elif change == "return_to_queue":
                        return_to_queue(parents, by=second_moderator)
                    else:
                        edit_comment(comment=parent, body="Edited by its author: waits again.")
                    changing.set()
                    time.sleep(0.5)
            except Exception as exc:
                errors.append(exc)
            finally:
                changing.set()
                connections.close_all()

        def approve_the_reply():
            try:
                changing.wait(timeout=10)
                _retrying_while_sqlite_is_locked(partial(approve, comment=reply, by=moderator))
            except Exception as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=off_the_page),
            threading.Thread(target=approve_the_reply),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert errors == []
        parent.refresh_from_db()
        reply.refresh_from_db()
        assert parent.status != Comment.Status.APPROVED
        assert reply.status == Comment.Status.PENDING  # waits for its comment, as readers see it
        shown = Comment.objects.counted().filter(article=article).count()
        assert Article.objects.get(pk=article.pk).approved_comment_count == shown == 0
