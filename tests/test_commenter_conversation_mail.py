"""A reply's writer who asked to hear of replies follows the conversation (replies are one
level deep): mailed about the replies approved there after theirs, once per address, and one
unsubscribe stops the whole conversation."""

from django.core import mail
from django.test import Client

from comments.models import Comment, ReplySubscription
from comments.services import approve
from tests.mail_helpers import run_mail_queue, verify
from tests.test_commenter_mail import mailed_to
from tests.test_commenter_mail import thread as _thread

thread = _thread  # Maria's subscribed comment and Bob's waiting reply (a fixture)


def test_a_replier_who_asked_for_replies_hears_of_later_replies_in_the_conversation(
    article, thread, moderator, make_comment
):
    parent, bob = thread
    ReplySubscription.objects.create(comment=bob)
    verify("bob@example.com")
    approve(comment=bob, by=moderator)
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
