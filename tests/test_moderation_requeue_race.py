"""Two moderators on one taken-down comment at once: the one who took it down presses Undo, the
other "Back to the queue" (the Rejected list's bulk action, or the comment's page, which offers
both buttons). One of them lands; the other changes nothing, is told what the first did, and
neither gets a server error."""

from functools import partial

import pytest
from django.test import Client

from articles.models import Article
from comments.models import Comment
from comments.report_undo import undo_take_downs
from comments.services import return_to_queue, take_down
from tests.comment_fixtures import as_shown
from tests.test_moderation_report_race import _at_once
from tests.test_moderation_take_down_selected import _post_until_unlocked

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def taken_down(article, make_comment, moderator):
    comment = make_comment(article, status="approved", name="Ann")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    take_down([comment], by=moderator, reason="Libel")
    return Comment.objects.get(pk=comment.pk)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _back_to_the_queue(comment, where) -> tuple[str, dict]:
    """The post of "Back to the queue" as the page showed the comment: taken down (rejected)."""
    shown = as_shown([comment]) | {f"status-{comment.pk}": comment.status}
    if where == "rejected list":
        action = {"action": "requeue_selected", "_selected_action": [comment.pk]}
        return f"{CHANGELIST}?status=rejected", shown | action
    return f"{CHANGELIST}{comment.pk}/requeue/", shown


class TestUndoAndBackToTheQueueAtOnce:
    """They commit for real: a class of their own (tests/conftest.py says why)."""

    @pytest.mark.parametrize("where", ["rejected list", "comment page"])
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_back_to_the_queue_pressed_while_the_take_down_is_undone_changes_nothing(
        self, taken_down, moderator, second_moderator, where
    ):
        # Both landed: the Undo put the comment up, then "Back to the queue" (waiting for its
        # row, or pressed just after) took it off the page again, undecided, and the moderator
        # who undid the take-down read "is up again" about a comment nobody could see.
        url, data = _back_to_the_queue(taken_down, where)

        results = _at_once(
            partial(undo_take_downs, [taken_down], by=moderator),
            partial(_post_until_unlocked, _client(second_moderator), url, data),
        )

        assert results["first"] == [taken_down.pk]
        comment = Comment.objects.get(pk=taken_down.pk)
        assert comment.status == Comment.Status.APPROVED and comment.taken_down_at is None
        assert Article.objects.get(pk=comment.article_id).approved_comment_count == 1
        html = results["second"]
        assert (
            "The take-down of the comment by Ann was undone by moderator meanwhile: it is up "
            "again, and stays so."
        ) in html
        assert "1 comment back in the queue." not in html
        assert "is back in the queue, undecided." not in html
        assert "None of those comments was decided." not in html

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_an_undo_pressed_while_another_puts_the_comment_back_in_the_queue_is_told(
        self, taken_down, moderator, second_moderator
    ):
        undo = {"undo": [taken_down.pk]}

        results = _at_once(
            partial(return_to_queue, [taken_down], by=second_moderator),
            partial(_post_until_unlocked, _client(moderator), f"{CHANGELIST}undo-take-down/", undo),
        )

        assert results["first"] == 1
        comment = Comment.objects.get(pk=taken_down.pk)
        assert comment.status == Comment.Status.PENDING and comment.taken_down_at is None
        assert Article.objects.get(pk=comment.article_id).approved_comment_count == 0
        assert (
            "The comment by Ann is back in the queue already (put back by another moderator, or "
            "edited by its author): nothing to undo."
        ) in results["second"]


def test_the_comments_page_posts_the_status_it_shows_with_back_to_the_queue(
    moderator_client, taken_down
):
    page = moderator_client.get(f"{CHANGELIST}{taken_down.pk}/change/").content.decode()

    assert "Back to the queue" in page
    assert f'name="status-{taken_down.pk}" value="rejected"' in page
