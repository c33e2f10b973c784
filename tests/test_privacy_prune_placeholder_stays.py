"""A rejected or spam top-level comment the daily prune emptied into the placeholder of its
replies (no name, address or words left) stayed in the Rejected and Spam lists like any other:
"Back to the queue", "Not spam" or an Undo of its take-down put it back, and once approved an
empty comment was published on the site. Every such decision now refuses it, saying why, and
the lists and its page show it as emptied, with no "Back to the queue" button."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.report_undo import undo_take_downs
from comments.services import mark_spam, reject
from tests.comment_fixtures import as_shown
from tests.test_moderation_edit_rejected_replies import REMOVED, _article_page, _count, _edit
from tests.test_privacy_prune_keeps_replies import LONG_AGO_DAYS, _prune
from tests.test_privacy_prune_keeps_waiting_replies import taken_down_and_pruned

CHANGELIST = "/admin/comments/comment/"
EMPTIED = "This comment’s words were deleted at the 90-day prune"


def _long_ago():
    return timezone.now() - timedelta(days=LONG_AGO_DAYS)


def _removed_and_pruned(reader, article, make_comment, moderator, decision) -> tuple:
    """A's published comment, B's published reply, A's edit turned down long ago, pruned."""
    now = timezone.now()
    first = make_comment(
        article, status="approved", moderated_at=now, name="Anna Author", body="A says hello"
    )
    reply = make_comment(
        article, parent=first, status="approved", moderated_at=now, body="B answers A"
    )
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    _edit(reader, first, "A says something vile")
    decision(comment=Comment.objects.get(pk=first.pk), by=moderator)
    Comment.objects.filter(pk=first.pk).update(moderated_at=_long_ago(), created_at=_long_ago())
    _prune()
    return Comment.objects.get(pk=first.pk), reply


def _row(comment) -> tuple:
    row = Comment.objects.get(pk=comment.pk)
    return row.status, row.name, row.body, row.moderated_at


def _still_a_placeholder(reader, article, reply) -> None:
    page = _article_page(reader, article)
    assert REMOVED in page and "B answers A" in page
    assert "A says" not in page
    assert _count(article) == 1


@pytest.fixture
def rejected(reader, article, make_comment, moderator):
    return _removed_and_pruned(
        reader, article, make_comment, moderator, lambda **kw: reject(**kw, reason="Abusive")
    )


@pytest.fixture
def spam(reader, article, make_comment, moderator):
    return _removed_and_pruned(reader, article, make_comment, moderator, mark_spam)


def test_its_page_and_the_rejected_list_show_it_emptied_with_no_back_to_the_queue(
    moderator_client, rejected
):
    first, _reply = rejected
    assert (first.status, first.body) == ("rejected", "")

    page = moderator_client.get(f"{CHANGELIST}{first.pk}/change/").content.decode()
    listed = moderator_client.get(f"{CHANGELIST}?status=rejected").content.decode()

    assert EMPTIED in page
    assert f"{first.pk}/requeue/" not in page
    assert "Emptied at the 90-day prune" in listed


def test_back_to_the_queue_from_its_page_is_refused(reader, article, moderator_client, rejected):
    first, reply = rejected
    before = _row(first)

    told = moderator_client.post(
        f"{CHANGELIST}{first.pk}/requeue/",
        {f"status-{first.pk}": "rejected"},
        follow=True,
    ).content.decode()

    assert EMPTIED in told
    assert _row(first) == before
    _still_a_placeholder(reader, article, reply)


def test_back_to_the_queue_from_the_rejected_list_is_refused_then_approve_publishes_nothing(
    reader, article, moderator_client, rejected
):
    first, reply = rejected
    before = _row(first)

    told = moderator_client.post(
        f"{CHANGELIST}?status=rejected",
        {"action": "requeue_selected", "_selected_action": [first.pk], **as_shown([first])},
        follow=True,
    ).content.decode()
    moderator_client.post(f"{CHANGELIST}{first.pk}/approve/", as_shown([first]))

    assert EMPTIED in told
    assert "back in the queue." not in told
    assert _row(first) == before
    _still_a_placeholder(reader, article, reply)


def test_not_spam_from_the_spam_list_is_refused(reader, article, moderator_client, spam):
    first, reply = spam
    before = _row(first)
    assert first.status == "spam"

    told = moderator_client.post(
        f"{CHANGELIST}?status=spam",
        {"action": "not_spam_selected", "_selected_action": [first.pk], **as_shown([first])},
        follow=True,
    ).content.decode()

    assert EMPTIED in told
    assert "approved: not spam after all" not in told
    assert _row(first) == before
    _still_a_placeholder(reader, article, reply)


def test_an_undo_of_its_take_down_does_not_put_it_up(reader, article, make_comment, moderator):
    first, waiting = taken_down_and_pruned(article, make_comment, moderator)
    before = _row(first)
    assert before[2] == ""

    assert undo_take_downs([Comment.objects.get(pk=first.pk)], by=moderator) == []

    assert _row(first) == before
    assert Comment.objects.get(pk=waiting.pk).status == "pending"
    assert "A says" not in _article_page(reader, article)
    assert _count(article) == 0
