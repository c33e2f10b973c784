"""Headers every mail carries: `Auto-Submitted: auto-generated` (RFC 3834) on each, readers' and
moderators', so vacation responders do not answer it; and on each mail to a reader a one-click
stop (RFC 8058), the "Is this comment yours?" question included; and on each mail to a reader
the newsroom's contact address as Reply-To when it has one (MAIL_REPLY_TO), or a line asking
not to reply."""

from django.core import mail
from django.test import Client, TestCase

from comments.models import Comment, CommenterAddress, ReplySubscription
from comments.services import approve
from tests.mail_helpers import make_due, run_mail_queue, verify


def _every_kind_of_mail(article, submit, make_comment, moderator, reader, settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.example"]
    with TestCase.captureOnCommitCallbacks(execute=True):  # moderators: after its commit
        submit(article, email="new@example.com", notify=True)  # confirm
    verify("maria@example.com")
    submit(article, email="maria@example.com", notify=True)  # confirm-comment
    decided = make_comment(article, email="maria@example.com", notify_on_decision=True)
    approve(comment=decided, by=moderator)  # decision
    parent = make_comment(article, email="maria@example.com", status=Comment.Status.APPROVED)
    ReplySubscription.objects.create(comment=parent)
    approve(comment=make_comment(article, parent=parent), by=moderator)  # reply
    for action, email in (("export", "maria@example.com"), ("erase", "new@example.com")):
        reader.post("/comments/privacy/", {"email": email, "action": action})
    make_due()
    run_mail_queue()
    return {m.subject.split("] ", 1)[1]: m for m in mail.outbox}


def test_every_mail_says_it_was_sent_automatically(
    article, submit, make_comment, moderator, reader, settings
):
    sent = _every_kind_of_mail(article, submit, make_comment, moderator, reader, settings)

    assert sorted(sent) == [
        "Comments are waiting for review",
        "Is this comment yours?",
        "Please confirm your e-mail address",
        "Someone replied to your comment",
        "Your comment has been reviewed",
        "Your comments: the link you asked for",
    ]
    for message in mail.outbox:
        assert message.message()["Auto-Submitted"] == "auto-generated", message.subject


def test_every_mail_to_a_reader_has_a_one_click_stop(
    article, submit, make_comment, moderator, reader, settings
):
    sent = _every_kind_of_mail(article, submit, make_comment, moderator, reader, settings)

    for message in mail.outbox:
        if message.to == ["desk@newsroom.example"]:
            continue
        headers = message.message()
        assert headers["List-Unsubscribe"].startswith(f"<{settings.SITE_URL}/"), message.subject
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click", message.subject
    assert "List-Unsubscribe" not in sent["Comments are waiting for review"].message()


def test_the_one_click_stop_of_is_this_comment_yours_stops_all_mail(article, submit):
    verify("maria@example.com")
    submit(article, email="maria@example.com", notify=True)
    run_mail_queue()
    [question] = mail.outbox
    assert question.subject == "[Newsportal] Is this comment yours?"
    stop = question.message()["List-Unsubscribe"].strip("<>")
    assert f"{stop}\n" in question.body  # the stop link the mail shows

    assert Client().post(stop, {"List-Unsubscribe": "One-Click"}).status_code == 200

    assert CommenterAddress.objects.get(email="maria@example.com").mail_stopped_at is not None


def test_every_mail_is_identified_by_the_senders_domain_not_the_servers_name(
    article, submit, make_comment, moderator, reader, settings
):
    # Django's default names the machine (here `localhost`, in production an internal host or
    # a container's id), which spam filters score as not a domain and which tells readers
    # the newsroom's server names.
    settings.DEFAULT_FROM_EMAIL = "The Newsroom <newsroom@news.example.com>"
    _every_kind_of_mail(article, submit, make_comment, moderator, reader, settings)

    ids = [message.message()["Message-ID"] for message in mail.outbox]
    assert len(set(ids)) == len(ids) == 7  # one of each kind, the privacy link for each action
    for message, message_id in zip(mail.outbox, ids, strict=True):
        assert message_id.startswith("<") and message_id.endswith("@news.example.com>"), (
            message.subject
        )


def _parts(message):
    return message.body, message.alternatives[0].content


def test_without_a_contact_address_every_mail_to_a_reader_asks_not_to_reply(
    article, submit, make_comment, moderator, reader, settings
):
    settings.MAIL_REPLY_TO = ""
    sent = _every_kind_of_mail(article, submit, make_comment, moderator, reader, settings)

    for subject, message in sent.items():
        assert "Reply-To" not in message.message(), subject
        if subject == "Comments are waiting for review":
            continue
        for part in _parts(message):
            assert "Please do not reply to this mail" in part, subject


def test_replies_to_a_readers_mail_go_to_the_newsrooms_contact_address(
    article, submit, make_comment, moderator, reader, settings
):
    settings.MAIL_REPLY_TO = "Readers' desk <letters@newsroom.example>"
    sent = _every_kind_of_mail(article, submit, make_comment, moderator, reader, settings)

    for subject, message in sent.items():
        if subject == "Comments are waiting for review":
            assert "Reply-To" not in message.message()  # a moderator's mail is not a reader's
            assert "Replies to this mail" not in message.body
            continue
        assert message.message()["Reply-To"] == settings.MAIL_REPLY_TO, subject
        for part in _parts(message):
            assert "Replies to this mail reach the newsroom at letters@newsroom.example." in (
                part
            ), subject
            assert "do not reply" not in part, subject
