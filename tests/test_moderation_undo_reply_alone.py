"""A reply cannot be put up on its own while the comment it answers is down: taken down with
that comment, it comes back with it (that comment's Undo); taken down on its own before, it
waits until that comment is up. Its page offers no Undo then, and a stale Undo is refused,
saying which comment to put up first (its page linked)."""

from django.core import mail
from django.test import Client

from articles.models import Article
from comments.desk import report_comment
from comments.models import Comment
from comments.services import REPLY_TAKEN_DOWN, approve, return_to_queue, take_down
from tests.mail_helpers import run_mail_queue, verify
from tests.test_moderation_undo import _decide as _card
from tests.test_moderation_undo import _undo as _card_undo
from tests.test_moderation_undo_take_down_elsewhere import (
    CHANGELIST,
    _take_down_from_approved_list,
)


def _reply(parent, make_comment):
    reply = make_comment(parent.article, parent=parent, status="approved", body="Quite so.")
    Article.objects.filter(pk=parent.article_id).update(approved_comment_count=2)
    return reply


def _undo(client, reply):
    return client.post(
        f"{CHANGELIST}undo-take-down/",
        {"undo": reply.pk},
        HTTP_REFERER=f"{CHANGELIST}{reply.pk}/change/",
        follow=True,
    ).content.decode()


def test_a_reply_taken_down_with_its_comment_is_not_put_up_alone(
    moderator_client, approved_comment, make_comment
):
    reply = _reply(approved_comment, make_comment)
    Comment.objects.filter(pk=reply.pk).update(notify_on_decision=True)
    verify(reply.email)
    _take_down_from_approved_list(moderator_client, approved_comment)
    run_mail_queue()
    assert [m.subject for m in mail.outbox] == ["[Newsportal] Your comment was taken down"]
    page = moderator_client.get(f"{CHANGELIST}{reply.pk}/change/").content.decode()
    assert "Undo the take-down" not in page

    answer = _undo(moderator_client, reply)  # a page drawn before, or a forged post

    assert "This reply came down with the comment it answers: undo that comment" in answer
    assert f'href="{CHANGELIST}{approved_comment.pk}/change/"' in answer
    assert "is up again" not in answer
    reply.refresh_from_db()
    assert (reply.status, reply.rejection_reason) == (Comment.Status.REJECTED, REPLY_TAKEN_DOWN)
    assert reply.taken_down_at is not None
    assert Article.objects.get(pk=reply.article_id).approved_comment_count == 0
    assert "Quite so." not in Client().get(reply.article.get_absolute_url()).content.decode()
    run_mail_queue()
    assert len(mail.outbox) == 1  # never told it is published


def test_a_reply_taken_down_before_its_comment_waits_for_that_comment(
    moderator_client, approved_comment, make_comment
):
    reply = _reply(approved_comment, make_comment)
    _take_down_from_approved_list(moderator_client, reply)
    _take_down_from_approved_list(moderator_client, approved_comment)
    page = moderator_client.get(f"{CHANGELIST}{reply.pk}/change/").content.decode()
    assert "Undo the take-down" not in page

    answer = _undo(moderator_client, reply)

    assert "The comment this reply answers is not up: put that comment up first" in answer
    assert f'href="{CHANGELIST}{approved_comment.pk}/change/"' in answer
    reply.refresh_from_db()
    assert reply.status == Comment.Status.REJECTED
    # Once that comment is up again, the reply's own take-down is undone as any other.
    _undo(moderator_client, approved_comment)
    assert (
        "Undo the take-down"
        in moderator_client.get(f"{CHANGELIST}{reply.pk}/change/").content.decode()
    )
    assert "The comment by Reader 2 is up again." in _undo(moderator_client, reply)
    assert Article.objects.get(pk=reply.article_id).approved_comment_count == 2


def test_a_reported_cards_undo_on_such_a_reply_says_which_comment_to_put_up(
    moderator_client, approved_comment, make_comment
):
    reply = _reply(approved_comment, make_comment)
    report_comment(comment=reply, reason="abuse", ip="198.51.100.7")
    assert _card(moderator_client, reply, "take-down").json()["outcome"] == "taken-down"
    _take_down_from_approved_list(moderator_client, approved_comment)

    answer = _card_undo(moderator_client, reply, "taken-down").json()

    assert answer["outcome"] is None
    assert answer["message"] == (
        "The comment this reply answers is not up: put that comment up first "
        "(the comment by Early Bird)."
    )
    assert Comment.objects.get(pk=reply.pk).status == Comment.Status.REJECTED


def test_a_reply_taken_down_again_by_another_since_says_by_whom(
    moderator_client, second_moderator, approved_comment, make_comment
):
    reply = _reply(approved_comment, make_comment)
    _take_down_from_approved_list(moderator_client, reply)
    # Put back and published by another moderator, then taken down with its comment by them.
    return_to_queue([reply], by=second_moderator)
    approve(comment=reply, by=second_moderator)
    take_down([approved_comment], by=second_moderator, reason="Off topic")

    answer = _undo(moderator_client, reply)

    assert "was decided again meanwhile: taken down by moderator2" in answer
    assert "came down with the comment it answers" not in answer
    assert Comment.objects.get(pk=reply.pk).status == Comment.Status.REJECTED


def test_a_reply_taken_down_with_its_comment_is_not_sent_back_to_the_queue_alone(
    moderator_client, approved_comment, make_comment
):
    # Waiting in the queue on its own, the comment's Undo no longer brought it back: the
    # comment was up again and its reply left waiting, the count one short.
    reply = _reply(approved_comment, make_comment)
    _take_down_from_approved_list(moderator_client, approved_comment)
    page = moderator_client.get(f"{CHANGELIST}{reply.pk}/change/").content.decode()
    assert "Back to the queue" not in page
    assert "This reply comes back with" in page

    answer = moderator_client.post(
        f"{CHANGELIST}{reply.pk}/requeue/", {}, follow=True
    ).content.decode()  # a page drawn before, or a forged post

    assert "it comes back with that comment, not on its own" in answer
    _still_down_until_its_comment_is_undone(moderator_client, approved_comment, reply)


def _still_down_until_its_comment_is_undone(client, comment, reply):
    reply.refresh_from_db()
    assert reply.status == Comment.Status.REJECTED
    _undo(client, comment)
    reply.refresh_from_db()
    assert reply.status == Comment.Status.APPROVED
    assert Article.objects.get(pk=reply.article_id).approved_comment_count == 2


def _requeue_selected(client, *chosen):
    """The Rejected list's "Put selected decided comments back in the queue", as drawn now."""
    revisions = dict(
        Comment.objects.filter(pk__in=[c.pk for c in chosen]).values_list("pk", "revision")
    )
    return client.post(
        f"{CHANGELIST}?status=rejected",
        {
            "action": "requeue_selected",
            "_selected_action": list(revisions),
            **{f"seen-{pk}": revision for pk, revision in revisions.items()},
        },
        follow=True,
    ).content.decode()


def test_a_reply_taken_down_with_its_comment_is_not_sent_back_by_the_bulk_action(
    moderator_client, approved_comment, make_comment
):
    reply = _reply(approved_comment, make_comment)
    _take_down_from_approved_list(moderator_client, approved_comment)

    answer = _requeue_selected(moderator_client, reply)

    assert "1 reply came down with the comment it answers: it comes back with that" in answer
    assert "back in the queue." not in answer
    _still_down_until_its_comment_is_undone(moderator_client, approved_comment, reply)


def test_the_bulk_action_sends_back_a_comment_with_the_reply_that_came_down_with_it(
    moderator_client, approved_comment, make_comment
):
    reply = _reply(approved_comment, make_comment)
    _take_down_from_approved_list(moderator_client, approved_comment)
    chosen = [approved_comment, Comment.objects.get(pk=reply.pk)]

    answer = moderator_client.post(
        f"{CHANGELIST}?status=rejected",
        {
            "action": "requeue_selected",
            "_selected_action": [c.pk for c in chosen],
            **{f"seen-{c.pk}": Comment.objects.get(pk=c.pk).revision for c in chosen},
        },
        follow=True,
    ).content.decode()

    assert "1 comment back in the queue." in answer
    assert "came down with" not in answer
    statuses = dict(Comment.objects.values_list("pk", "status"))
    # The reply hangs on its comment again: shown with it once it is approved.
    assert statuses == {approved_comment.pk: "pending", reply.pk: "approved"}
