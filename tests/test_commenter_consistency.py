"""The count and the page agree whatever a commenter and the moderators do at once: a delete
racing a moderator, a double press of Delete, an erase racing a delete, an edit that sends a
comment with replies back to the queue, and the placeholder a deleted comment leaves."""

import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from articles.models import Article
from comments.commenter_services import edit_comment
from comments.deletion import delete_comments
from comments.models import Comment, Report
from comments.privacy import erase_comments
from comments.services import approve, decide, take_down
from comments.withdrawal import withdraw_comment
from tests import commenter_links

# The racing tests commit for real; serialized_rollback puts back what the migrations wrote
# (content types, preset reasons) for the tests after them, as tests/test_moderation_race.py does.
published = commenter_links.published  # the fixture: a comment on the page


def count(article) -> int:
    return Article.objects.get(pk=article.pk).approved_comment_count


def run_beside(hold, other) -> None:
    """`hold` runs in a transaction of this thread, kept open while `other` starts in a thread
    of its own (its own connection and transaction) and reaches our locks; then we commit.
    On PostgreSQL `other` waits for our row locks; SQLite answers "locked" at once, and
    `other` retries, as its busy timeout does in production."""
    errors = []

    def target():
        try:
            for attempt in range(500):
                try:
                    other()
                    return
                except OperationalError as exc:
                    if connection.vendor != "sqlite" or "locked" not in str(exc):
                        raise
                    time.sleep(0.01 * (attempt % 5 + 1))
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    with transaction.atomic():
        hold()
        thread.start()
        time.sleep(0.5)
    thread.join(timeout=30)
    assert errors == []


def test_an_edit_that_sends_a_comment_back_takes_its_replies_off_the_count_until_approved(
    reader, article, published, make_comment, moderator
):
    comment = published(body="Published words")
    make_comment(article, parent=comment, status=Comment.Status.APPROVED, body="A reply to it")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)

    edit_comment(comment=comment, body="Changed words")

    page = reader.get(article.get_absolute_url()).content.decode()
    assert "A reply to it" not in page
    assert count(article) == 0
    assert approve(comment=comment, by=moderator) is True
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "Changed words" in page and "A reply to it" in page
    assert count(article) == 2


def test_a_deleted_comment_that_waited_is_no_blank_comment_in_the_queue_and_cannot_be_approved(
    reader, article, published, make_comment, moderator, moderator_client
):
    comment = published(body="Published words")
    make_comment(article, parent=comment, status=Comment.Status.APPROVED, body="A reply to it")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    edit_comment(comment=comment, body="Changed words")

    withdraw_comment(comment=comment)

    assert list(Comment.objects.pending()) == []
    queue = moderator_client.get("/admin/comments/comment/?status__exact=pending")
    assert f"/admin/comments/comment/{comment.pk}/change/" not in queue.content.decode()
    assert decide([comment], status=Comment.Status.APPROVED, by=moderator).decided == 0
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "withdrawn by its author" in page and "A reply to it" in page
    assert count(article) == 1  # the reply, back on the page; the placeholder is not counted


def test_a_placeholder_cannot_be_reported(reader, article, published, make_comment):
    comment = published(body="Published words")
    make_comment(article, parent=comment, status=Comment.Status.APPROVED, body="A reply to it")

    withdraw_comment(comment=comment)

    assert reader.get(f"/comments/report/{comment.pk}/").status_code == 404
    response = reader.post(f"/comments/report/{comment.pk}/", {"reason": "spam"})
    assert response.status_code == 404
    assert not comment.reports.exists()


def test_a_reply_hidden_under_an_edited_comment_and_deleted_by_its_author_was_not_counted(
    article, published, make_comment, moderator
):
    comment = published(body="Published words")
    reply = make_comment(article, parent=comment, status=Comment.Status.APPROVED, body="Reply")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    edit_comment(comment=comment, body="Changed words")

    withdraw_comment(comment=reply)

    assert count(article) == 0
    approve(comment=comment, by=moderator)
    assert count(article) == 1


def test_deleting_a_rejected_edit_with_replies_it_hid_leaves_the_count_alone(
    article, published, make_comment, moderator
):
    comment = published(body="Published words")
    make_comment(article, parent=comment, status=Comment.Status.APPROVED, body="A reply to it")
    published(body="Another comment")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=3)
    edit_comment(comment=comment, body="Changed words")
    decide([comment], status=Comment.Status.REJECTED, by=moderator)
    assert count(article) == 2  # its reply stays, under its placeholder

    delete_comments(Comment.objects.filter(pk=comment.pk))  # the admin's delete, or the pruning

    assert count(article) == 1
    assert count(article) == Comment.objects.counted().filter(article=article).count()


def test_taking_down_a_reply_hidden_under_an_edited_comment_leaves_the_count_alone(
    article, published, make_comment, moderator
):
    comment = published(body="Published words")
    reply = make_comment(article, parent=comment, status=Comment.Status.APPROVED, body="Reply")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    edit_comment(comment=comment, body="Changed words")

    assert take_down([reply], by=moderator, reason="Rude") == 1

    assert count(article) == 0
    approve(comment=comment, by=moderator)
    assert count(article) == 1


def test_a_reported_comment_deleted_by_its_author_leaves_the_reported_queue(
    article, published, make_comment, moderator_client
):
    comment = published(body="Reported words")
    make_comment(article, parent=comment, status=Comment.Status.APPROVED, body="A reply to it")
    Report.objects.create(comment=comment, reason=Report.Reason.ABUSE, reporter="a")

    withdraw_comment(comment=comment)

    assert not Report.objects.open().exists()
    queue = moderator_client.get("/admin/comments/comment/?status=reported").content.decode()
    assert f'id="queue-{comment.pk}"' not in queue


def test_a_placeholder_left_pending_by_an_earlier_version_is_not_in_the_queue(
    article, make_comment, moderator_client
):
    legacy = make_comment(article, name="", email="", body="", withdrawn_at=timezone.now())
    waiting = make_comment(article, body="Waiting for a moderator")

    queue = moderator_client.get("/admin/comments/comment/?status=pending").content.decode()

    assert f'id="queue-{waiting.pk}"' in queue
    assert f'id="queue-{legacy.pk}"' not in queue


def test_a_reply_hidden_under_an_edited_comment_cannot_be_reported(
    reader, article, published, make_comment
):
    comment = published(body="Published words")
    reply = make_comment(article, parent=comment, status=Comment.Status.APPROVED, body="Reply")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    assert reader.get(f"/comments/report/{reply.pk}/").status_code == 200

    edit_comment(comment=comment, body="Changed words")

    assert reader.get(f"/comments/report/{reply.pk}/").status_code == 404


class TestRacesInRealTransactions:
    """They commit for real: a class of their own (tests/conftest.py says why)."""

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_delete_racing_a_moderators_take_down_takes_the_comment_off_the_count_once(
        self, article, published, moderator
    ):
        comment = published(body="Going, going")

        run_beside(
            lambda: take_down([comment], by=moderator, reason="Off-topic"),
            lambda: withdraw_comment(comment=comment),
        )

        assert not Comment.objects.filter(pk=comment.pk).exists()
        assert count(article) == 0

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_two_presses_of_delete_at_once_take_the_comment_off_the_count_once(
        self, article, published
    ):
        published(body="Stays")
        comment = published(body="Pressed twice")

        run_beside(
            lambda: withdraw_comment(comment=comment), lambda: withdraw_comment(comment=comment)
        )

        assert not Comment.objects.filter(pk=comment.pk).exists()
        assert count(article) == 1

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_an_erase_racing_a_delete_counts_each_comment_once(
        self, article, published, make_comment
    ):
        published(body="Someone else's")
        first = published(email="maria@example.com", body="First")
        published(email="maria@example.com", body="Second")
        make_comment(article, parent=first, status=Comment.Status.APPROVED, body="A reply")
        Article.objects.filter(pk=article.pk).update(approved_comment_count=4)

        run_beside(
            lambda: withdraw_comment(comment=first),
            lambda: erase_comments(email="maria@example.com"),
        )

        assert not Comment.objects.filter(email="maria@example.com").exists()
        placeholder = Comment.objects.get(pk=first.pk)
        assert placeholder.withdrawn_at is not None
        assert count(article) == 2  # someone else's and the reply
        assert count(article) == Comment.objects.approved().filter(withdrawn_at=None).count()

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_moderator_approving_a_comment_being_deleted_never_counts_it(
        self, article, make_comment
    ):
        comment = make_comment(article, body="Waiting")
        moderator = Comment._meta.get_field("moderated_by").related_model.objects.create(
            username="racer", is_staff=True
        )

        run_beside(
            lambda: withdraw_comment(comment=comment),
            lambda: approve(comment=comment, by=moderator),
        )

        assert not Comment.objects.filter(pk=comment.pk).exists()
        assert count(article) == 0
