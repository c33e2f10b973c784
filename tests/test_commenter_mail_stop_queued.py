""" "Stop all mail" takes effect at once, even for mail already queued: every kind of mail to a
reader is checked against the stop when the worker sends it, not only when it was asked for.
The one exception is the README's: an export or erase link its owner asks for, after the stop,
from the status page of a comment they vouched for."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import links
from comments.models import Comment, CommenterAddress, ReplySubscription
from comments.services import approve
from comments.tokens import status_token
from tests.mail_helpers import make_due, queued, run_mail_queue, verify

MARIA = "maria@example.com"


def to_maria() -> list:
    make_due()
    run_mail_queue()
    return [m for m in mail.outbox if m.to == [MARIA]]


def press_stop_all_mail(settings) -> str:
    """Maria presses "Stop all mail" on the page her stop link opens; what the page says."""
    address = CommenterAddress.objects.get(email=MARIA)
    path = links.stop_mail_url(address.pk).removeprefix(settings.SITE_URL)
    return Client().post(path).content.decode()


def _confirm(article, submit, make_comment, moderator, reader):
    submit(article, notify=True)


def _confirm_comment(article, submit, make_comment, moderator, reader):
    verify(MARIA)
    submit(article, notify=True)  # from a browser that never wrote with her address


def _decision(article, submit, make_comment, moderator, reader):
    verify(MARIA)
    comment = make_comment(article, email=MARIA, notify_on_decision=True)
    approve(comment=comment, by=moderator)


def _reply(article, submit, make_comment, moderator, reader):
    verify(MARIA)
    parent = make_comment(article, email=MARIA, status=Comment.Status.APPROVED)
    ReplySubscription.objects.create(comment=parent)
    approve(comment=make_comment(article, parent=parent, email="bob@example.com"), by=moderator)


def _privacy_typed(action):
    def ask(article, submit, make_comment, moderator, reader):
        make_comment(article, email=MARIA)
        reader.post("/comments/privacy/", {"email": MARIA, "action": action})

    return ask


def _privacy_from_status_page(article, submit, make_comment, moderator, reader):
    verify(MARIA)
    mine = make_comment(article, email=MARIA)  # vouched for: hers
    reader.post(reverse("comments:status-privacy", args=[status_token(mine)]), {"action": "erase"})


@pytest.mark.parametrize(
    ("kind", "ask"),
    [
        ("confirm-about", _confirm),
        ("confirm-comment", _confirm_comment),
        ("decision", _decision),
        ("reply", _reply),
        ("privacy-export", _privacy_typed("export")),
        ("privacy-erase", _privacy_typed("erase")),
        ("privacy-erase", _privacy_from_status_page),
    ],
    ids=[
        "confirm",
        "confirm-comment",
        "decision",
        "reply",
        "privacy-export",
        "privacy-erase",
        "privacy-erase-asked-by-owner",
    ],
)
def test_mail_queued_before_the_stop_is_not_sent(
    kind, ask, article, submit, make_comment, moderator, reader, settings
):
    ask(article, submit, make_comment, moderator, reader)
    assert [m["kind"] for m in queued() if m["kind"] != "moderators"] == [kind]

    press_stop_all_mail(settings)

    assert to_maria() == []


def test_a_confirmation_a_stranger_asks_for_again_is_not_sent_once_its_owner_stopped_mail(
    article, submit, settings
):
    submit(article, notify=True, body="Typed by a stranger")
    [first] = to_maria()
    CommenterAddress.objects.update(confirmation_sent_at=timezone.now() - timezone.timedelta(2))
    submit(article, notify=True, body="And again the next day")
    assert [m["kind"] for m in queued("confirm-about")] == ["confirm-about"]

    # Maria opens the stop link of the first mail before the worker sends the second.
    Client().post(first.extra_headers["List-Unsubscribe"].strip("<>"))

    assert to_maria() == [first]


def test_the_owner_still_gets_an_export_link_she_asks_for_after_the_stop(
    article, make_comment, reader, settings
):
    """README: the status page of a comment its owner vouched for still mails them the link."""
    verify(MARIA)
    mine = make_comment(article, email=MARIA)
    press_stop_all_mail(settings)

    reader.post(reverse("comments:status-privacy", args=[status_token(mine)]), {"action": "export"})

    [message] = to_maria()
    assert message.subject == "[Newsportal] Your comments: the link you asked for"
    assert "/comments/privacy/" in message.body


def test_the_stop_page_says_what_the_stop_covers(article, make_comment, settings):
    verify(MARIA)
    make_comment(article, email=MARIA)

    page = press_stop_all_mail(settings)

    assert "We will send no more mail about comments to this address" in page
    assert "not even mail already on its way" in page
    assert "export or erase" in page and "status page" in page


def test_a_link_that_waits_for_a_retry_is_not_sent_once_its_owner_stopped_mail(
    article, make_comment, reader, smtp, settings
):
    # The retry is queued after the first try: it still counts as asked for before the stop.
    make_comment(article, email=MARIA)
    reader.post("/comments/privacy/", {"email": MARIA, "action": "export"})
    run_mail_queue()  # the mail server refuses: a retry waits
    assert [m["kind"] for m in queued()] == ["privacy-export"]

    press_stop_all_mail(settings)
    smtp.start()
    make_due()
    run_mail_queue()

    assert smtp.received == []
    assert queued() == []
