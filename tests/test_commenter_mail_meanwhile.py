"""Mail about replies waits for the address's owner to answer (the confirmation mail, or "Is
this comment yours?"), as the status page says: "once the address's owner has answered". The
replies approved meanwhile come then, in one mail listing them, never twice, and never those
approved before the wish was made."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.services import approve
from tests.mail_helpers import run_mail_queue, verify

MARIA = "maria@example.com"


@pytest.fixture(autouse=True)
def _no_flood_interval(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


def post(browser, article, comment_form_data, **fields) -> Comment:
    data = comment_form_data(article, email=MARIA, **fields)
    assert browser.post(reverse("comments:post", args=[article.pk]), data).status_code == 302
    return Comment.objects.latest("pk")


def to_maria() -> list:
    return [m for m in mail.outbox if m.to == [MARIA]]


def link_in(message, path: str) -> str:
    return re.search(rf"https?://\S+{re.escape(path)}\S+/", message.body).group(0)


def reply_to(make_comment, moderator, comment, name: str, body: str) -> Comment:
    n = Comment.objects.count()
    reply = make_comment(
        comment.article,
        parent=comment,
        name=name,
        email=f"{name.lower()}{n}@example.com",
        body=body,
    )
    approve(comment=reply, by=moderator)
    return reply


def test_replies_approved_before_the_owner_confirmed_her_address_come_in_one_mail(
    article, comment_form_data, moderator, make_comment
):
    mine = post(Client(), article, comment_form_data, notify_reply="on")
    approve(comment=mine, by=moderator)
    bob = reply_to(make_comment, moderator, mine, "Bob", "Welcome to the discussion.")
    carol = reply_to(make_comment, moderator, mine, "Carol", "I disagree entirely.")
    run_mail_queue()
    [confirmation] = to_maria()
    assert confirmation.subject == "[Newsportal] Please confirm your e-mail address"

    Client().post(link_in(confirmation, "/comments/confirm/"))
    run_mail_queue()

    [confirmation, replies] = to_maria()
    assert replies.subject == "[Newsportal] Replies to your comment"
    assert "2 replies came to your comment on " in replies.body
    for reply in (bob, carol):
        assert f"{reply.name} replied:\n\n{reply.body}\n" in replies.body
        assert f"#comment-{reply.pk}\n" in replies.body
    assert "Welcome to the discussion." in replies.alternatives[0].content
    assert "/comments/unsubscribe/" in replies.body and "/comments/stop-mail/" in replies.body

    # A later reply comes on its own, as usual; the earlier ones are not told again.
    reply_to(make_comment, moderator, mine, "Dan", "Late to this.")
    run_mail_queue()
    assert [m.subject for m in to_maria()][2:] == ["[Newsportal] Someone replied to your comment"]
    assert "Welcome" not in to_maria()[-1].body


def test_a_reply_approved_before_the_owner_said_the_comment_is_hers_comes_after_her_answer(
    article, comment_form_data, moderator, make_comment
):
    verify(MARIA)  # confirmed long ago, from another browser: she is asked about this one
    mine = post(Client(), article, comment_form_data, notify_reply="on")
    approve(comment=mine, by=moderator)
    bob = reply_to(make_comment, moderator, mine, "Bob", "Good point.")
    run_mail_queue()
    [question] = to_maria()
    assert question.subject == "[Newsportal] Is this comment yours?"

    answer = Client().post(link_in(question, "/comments/confirm-comment/"))
    Client().post(link_in(question, "/comments/confirm-comment/"))  # a second press
    assert "its review and its replies, if they came meanwhile, come now" in answer.text
    run_mail_queue()

    [_, replies] = to_maria()
    assert replies.subject == "[Newsportal] Someone replied to your comment"
    assert "1 reply came to your comment on " in replies.body
    assert f"Bob replied:\n\n{bob.body}\n" in replies.body


def test_replies_approved_before_the_wish_was_made_are_not_mailed(
    article, comment_form_data, moderator, make_comment
):
    browser = Client()
    mine = post(browser, article, comment_form_data)  # no box ticked
    approve(comment=mine, by=moderator)
    reply_to(make_comment, moderator, mine, "Bob", "Before she asked.")
    browser.post(reverse("comments:follow", args=[mine.status_url.split("/")[-2]]))
    carol = reply_to(make_comment, moderator, mine, "Carol", "After she asked.")
    run_mail_queue()

    Client().post(link_in(to_maria()[0], "/comments/confirm/"))
    run_mail_queue()

    [_, replies] = to_maria()
    assert "1 reply came to your comment on " in replies.body
    assert carol.body in replies.body and "Before she asked." not in replies.body


def test_a_conversation_s_replies_are_mailed_once_to_an_address_whatever_comments_asked(
    article, comment_form_data, moderator, make_comment
):
    top = make_comment(article, status=Comment.Status.APPROVED, email="olga@example.com")
    browser = Client()  # hers: confirming there vouches for both (one asked for the mail)
    first, second = (
        post(browser, article, comment_form_data, notify_reply="on", parent=str(top.pk), body=b)
        for b in ("My first reply.", "My second reply.")
    )
    for mine in (first, second):
        approve(comment=mine, by=moderator)
    reply_to(make_comment, moderator, top, "Bob", "Later in the conversation.")
    run_mail_queue()

    browser.post(link_in(to_maria()[0], "/comments/confirm/"))
    run_mail_queue()

    [_, replies] = to_maria()
    assert replies.subject == "[Newsportal] A new reply in a conversation you joined"
    assert "1 reply came in the conversation you joined on " in replies.body
    assert "Maria Lopez replied" not in replies.body  # not about her own second reply


def test_the_mail_lists_ten_replies_and_links_to_the_rest(
    article, comment_form_data, moderator, make_comment
):
    mine = post(Client(), article, comment_form_data, notify_reply="on")
    approve(comment=mine, by=moderator)
    replies = [
        reply_to(make_comment, moderator, mine, "Bob", f"Reply number {n}.") for n in range(12)
    ]
    withdrawn = replies.pop(0)
    Comment.objects.filter(pk=withdrawn.pk).update(withdrawn_at=withdrawn.created_at)
    run_mail_queue()

    Client().post(link_in(to_maria()[0], "/comments/confirm/"))
    run_mail_queue()

    [_, message] = to_maria()
    assert "11 replies came to your comment on " in message.body
    assert message.body.count("Bob replied:") == 10
    assert "Reply number 0." not in message.body and "Reply number 10." in message.body
    assert "Reply number 11." not in message.body
    assert "And 1 more reply: read it on the article:\n\n" in message.body
    assert f"#comment-{replies[-1].pk}\n" in message.body
