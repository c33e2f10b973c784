""" "Take down selected" on a comment its author deleted (a placeholder kept for its published
replies): the replies come down, and the message says so, not "0 comments taken down.", with an
Undo that puts them back up under it (the placeholder itself never came down: nothing else would
bring them back)."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.report_answers import REPLY_TAKEN_DOWN
from tests.mail_helpers import run_mail_queue, verify
from tests.test_moderation_requeue_decided_again import (
    CHANGELIST,
    messages,
    page_fields,
    press_back_to_the_queue,
)
from tests.test_moderation_undo_take_down_elsewhere import _undo_form

URL = f"{CHANGELIST}?status=approved"
UNDER_DELETED = "The replies to a comment its author deleted were taken down."


@pytest.fixture
def placeholder(article, make_comment):
    placeholder = make_comment(article, status="approved", name="", withdrawn_at=timezone.now())
    for n in (1, 2):
        make_comment(article, status="approved", parent=placeholder, body=f"Reply {n} stays.")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    return placeholder


def _take_down(client, placeholder):
    data = page_fields(client, URL, placeholder.pk)
    data |= {"action": "take_down_selected", "_selected_action": [placeholder.pk]}
    return client.post(URL, data, follow=True).content.decode()


def test_taking_down_a_placeholder_says_its_replies_came_down(
    moderator_client, article, placeholder
):
    replies = list(placeholder.replies.all())

    said = messages(_take_down(moderator_client, placeholder))

    # The message's Undo button (its text read with the message's).
    assert said == ["2 published replies to a comment its author deleted taken down.Undo"]
    assert {c.status for c in Comment.objects.filter(pk__in=[r.pk for r in replies])} == {
        "rejected"
    }
    assert Comment.objects.get(pk=placeholder.pk).withdrawn_at is not None
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0


def test_the_undo_of_a_placeholder_s_take_down_puts_its_replies_back_up(
    moderator_client, article, placeholder
):
    page = _take_down(moderator_client, placeholder)
    assert "Reply 1 stays." not in Client().get(article.get_absolute_url()).content.decode()

    url, fields = _undo_form(page)
    said = messages(moderator_client.post(url, fields, follow=True).content.decode())

    assert said == ["Not taken down after all: 2 comments are up again."]
    assert set(placeholder.replies.values_list("status", "taken_down_at", "rejection_reason")) == {
        ("approved", None, "")
    }
    assert Article.objects.get(pk=article.pk).approved_comment_count == 2
    shown = Client().get(article.get_absolute_url()).content.decode()
    assert "Reply 1 stays." in shown and "Reply 2 stays." in shown


def test_a_reply_taken_down_with_a_placeholder_offers_its_undo_on_its_page(
    moderator_client, article, placeholder
):
    _take_down(moderator_client, placeholder)
    reply = placeholder.replies.first()

    page = moderator_client.get(f"{CHANGELIST}{reply.pk}/change/").content.decode()

    assert "Undo the take-down" in page


@pytest.mark.parametrize("where", ["rejected list", "comment page"])
def test_back_to_the_queue_on_a_reply_taken_down_with_a_placeholder_puts_it_in_the_queue(
    moderator_client, second_moderator, article, placeholder, where
):
    # Its page offers "Back to the queue" (the reply came down alone, not with a comment):
    # it goes there, alone.
    _take_down(moderator_client, placeholder)
    reply, other_reply = placeholder.replies.order_by("pk")
    other = Client()
    other.force_login(second_moderator)
    assert "Back to the queue" in other.get(f"{CHANGELIST}{reply.pk}/change/").content.decode()

    said = press_back_to_the_queue(other, reply, where)()

    assert (
        said
        == {
            "rejected list": ["1 comment back in the queue."],
            "comment page": [f"The comment by {reply.name} is back in the queue, undecided."],
        }[where]
    )
    statuses = dict(placeholder.replies.values_list("pk", "status"))
    assert statuses == {reply.pk: "pending", other_reply.pk: "rejected"}
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0


def test_replies_taken_down_under_a_placeholder_are_told_truly_why(moderator_client, placeholder):
    # Not "The comment it answered was taken down.": its author deleted it, and it stays.
    replies = list(placeholder.replies.all())
    Comment.objects.filter(pk__in=[r.pk for r in replies]).update(notify_on_decision=True)
    for reply in replies:
        verify(reply.email)

    _take_down(moderator_client, placeholder)
    run_mail_queue()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in replies)
    for letter in mail.outbox:
        assert f"Reason: {UNDER_DELETED}" in letter.body
        assert "was taken down." not in letter.body.replace(UNDER_DELETED, "")
    page = Client().get(replies[0].status_url).content.decode()
    assert f"Moderator’s reason: {UNDER_DELETED}" in page


def test_a_reply_taken_down_under_a_placeholder_before_this_release_is_told_truly_why(
    moderator_client, placeholder
):
    # Stored then with the words of a reply whose comment came down: its page says what is so.
    _take_down(moderator_client, placeholder)
    reply = placeholder.replies.first()
    Comment.objects.filter(pk=reply.pk).update(rejection_reason=REPLY_TAKEN_DOWN)

    page = Client().get(reply.status_url).content.decode()

    assert f"Moderator’s reason: {UNDER_DELETED}" in page
    assert REPLY_TAKEN_DOWN not in page
