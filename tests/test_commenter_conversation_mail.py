"""A reply's writer who asked to hear of replies follows the conversation (replies are one
level deep): mailed about the replies approved there after theirs, once per address, and one
unsubscribe stops the whole conversation."""

import re

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comments.models import Comment, ReplySubscription
from comments.services import approve, decide
from tests.mail_helpers import run_mail_queue, verify
from tests.test_commenter_mail import mailed_to
from tests.test_commenter_mail import thread as _thread

thread = _thread  # Maria's subscribed comment and Bob's waiting reply (a fixture)


def bob_follows_the_conversation(bob, moderator):
    """Bob's reply, published, at his confirmed address, with mail about later replies asked."""
    ReplySubscription.objects.create(comment=bob)
    verify("bob@example.com")
    approve(comment=bob, by=moderator)


def test_a_replier_who_asked_for_replies_hears_of_later_replies_in_the_conversation(
    article, thread, moderator, make_comment
):
    parent, bob = thread
    bob_follows_the_conversation(bob, moderator)
    run_mail_queue()
    mail.outbox.clear()

    carol = make_comment(article, parent=parent, email="carol@example.com", name="Carol")
    approve(comment=carol, by=moderator)
    run_mail_queue()

    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["bob@example.com", "maria@example.com"]  # never Carol herself
    to_bob = by_address["bob@example.com"]
    assert to_bob.subject == "[Newsportal] A new reply in a conversation you joined"
    assert "Carol replied in the conversation you joined" in to_bob.body
    assert "No more mail about this conversation" in to_bob.body
    assert "Carol replied to your comment" in by_address["maria@example.com"].body


def test_a_reply_written_later_is_not_told_of_earlier_ones_approved_again(
    article, thread, moderator, make_comment
):
    parent, bob = thread
    approve(comment=bob, by=moderator)
    dan = make_comment(article, parent=parent, email="dan@example.com", name="Dan")
    ReplySubscription.objects.create(comment=dan)
    verify("dan@example.com")
    run_mail_queue()
    mail.outbox.clear()

    # Bob's reply back in the queue and approved again: Dan joined after it.
    Comment.objects.filter(pk=bob.pk).update(status=Comment.Status.PENDING)
    approve(comment=Comment.objects.get(pk=bob.pk), by=moderator)
    run_mail_queue()

    assert [m.to for m in mail.outbox if "dan@example.com" in m.to] == []


def test_the_status_page_asks_for_a_confirmation_only_while_the_address_lacks_one(
    reader, article, thread
):
    parent, bob = thread
    ReplySubscription.objects.create(comment=bob)

    on_reply = reader.get(bob.status_url).content.decode()
    assert "when someone replies in this conversation (once you have confirmed" in on_reply
    # Maria confirmed hers.
    on_comment = reader.get(parent.status_url).content.decode()
    assert "We e-mail you when someone replies.</span>" in on_comment


def test_no_more_mail_about_a_conversation_means_none_through_another_comment_in_it(
    article, thread, moderator, make_comment
):
    parent, bob = thread
    # Maria replied in her own conversation too, asking again.
    own = make_comment(article, parent=parent, email=parent.email, status="approved")
    ReplySubscription.objects.create(comment=own)
    approve(comment=bob, by=moderator)
    [message] = mailed_to(parent.email)

    Client().post(message.extra_headers["List-Unsubscribe"].strip("<>"))  # one click
    carol = make_comment(article, parent=parent, email="carol@example.com")
    approve(comment=carol, by=moderator)

    assert len(mailed_to(parent.email)) == 1


def test_a_page_of_replies_approved_at_once_tells_every_follower_in_the_same_queries_as_two(
    article, moderator, make_comment
):
    def conversations(tag: str, count: int) -> list[Comment]:
        """Each a subscribed comment at a confirmed address, with a reply and a subscribed
        earlier reply (both told of the new one)."""
        replies = []
        for n in range(count):
            parent = make_comment(article, status="approved", email=f"{tag}{n}@example.com")
            earlier = make_comment(
                article, parent=parent, status="approved", email=f"{tag}{n}-early@example.com"
            )
            for follower in (parent, earlier):
                ReplySubscription.objects.create(comment=follower)
                verify(follower.email)
            replies.append(make_comment(article, parent=parent, email=f"{tag}{n}-new@example.com"))
        return replies

    few, many = conversations("few", 2), conversations("many", 20)

    def approve_all(replies) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            decide(replies, status="approved", by=moderator)
        # One queued task per mail is the mail queue's design; everything else stays flat.
        queued = 'INSERT INTO "django_tasks_database_dbtaskresult"'
        return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(queued)]

    assert len(approve_all(many)) == len(approve_all(few))
    run_mail_queue()
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == sorted(
        f"{tag}{n}{who}@example.com"
        for tag, count in (("few", 2), ("many", 20))
        for n in range(count)
        for who in ("", "-early")
    )


def test_the_unsubscribe_page_a_replier_opens_speaks_of_the_conversation(
    article, thread, moderator, make_comment
):
    parent, bob = thread
    bob_follows_the_conversation(bob, moderator)
    approve(comment=make_comment(article, parent=parent, name="Carol"), by=moderator)
    run_mail_queue()
    [to_bob] = mailed_to("bob@example.com")
    unsubscribe = re.search(r"https?://\S+(/comments/unsubscribe/\S+/)", to_bob.body).group(1)

    # Bob's comment is a reply, which has no replies of its own: the mail said "this
    # conversation", and so does the page (not "replies to your comment").
    asked = Client().get(unsubscribe).content.decode()
    done = Client().post(unsubscribe).content.decode()
    again = Client().get(unsubscribe).content.decode()

    assert "Stop the mail about replies in this conversation?" in asked
    assert "You will get no more mail about replies in this conversation." in done
    assert "You get no mail about replies in this conversation." in again
    for page in (asked, done, again):
        assert "replies to your comment" not in page and "replies to this comment" not in page
    assert not ReplySubscription.objects.filter(comment=bob).exists()
