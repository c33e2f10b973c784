"""An owner's "Stop all mail" holds for every spelling of their inbox (CommenterAddress.objects
.stopped) when the worker sends too, as it does for their own address: a confirmation, a
question or a link a stranger asked for at `maria+1@…` while the queue was slow (mail put off,
the mail server away) went out after she had stopped all mail at `maria@…`."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from comments import links
from comments.models import CommenterAddress
from tests.mail_helpers import make_due, run_mail_queue, verify

MARIA = "maria@example.com"
TAGGED = "maria+1@example.com"


def sent() -> list[str]:
    make_due()
    run_mail_queue()
    return [to for message in mail.outbox for to in message.to]


def _confirmation(article, submit, make_comment):
    submit(article, email=TAGGED, notify=True)


def _question(article, submit, make_comment):
    verify(TAGGED)
    submit(article, email=TAGGED, notify=True)  # from a browser that never wrote with it


def _privacy_link(article, submit, make_comment):
    make_comment(article, email=TAGGED)
    Client().post("/comments/privacy/", {"email": TAGGED, "action": "export"})


@pytest.mark.parametrize("ask", [_confirmation, _question, _privacy_link])
def test_mail_a_stranger_asked_for_at_another_spelling_is_not_sent_after_her_stop(
    article, submit, make_comment, settings, ask
):
    maria = CommenterAddress.objects.create(email=MARIA)
    ask(article, submit, make_comment)  # queued, not sent yet

    stop = links.stop_mail_url(maria.pk).removeprefix(settings.SITE_URL)
    assert "No more mail from us" in Client().post(stop).content.decode()

    assert sent() == []


def test_her_own_ask_after_the_stop_still_goes(article, make_comment, settings):
    maria = CommenterAddress.objects.create(email=MARIA)
    make_comment(article, email=MARIA)
    stop = links.stop_mail_url(maria.pk).removeprefix(settings.SITE_URL)
    Client().post(stop)

    Client().post(stop, {"export": "1"})  # from her stop link: hers alone

    assert sent() == [MARIA]


def _status_page_words(comment) -> str:
    page = Client().get(comment.status_url).content.decode()
    controls = page[page.index('<div class="comment-controls') : page.index("<h2 id=")]
    return " ".join(re.sub(r"<[^>]+>", " ", controls).split())


def test_her_status_page_says_mail_is_stopped_for_a_spelling_of_her_inbox(article, make_comment):
    """She stopped all mail at maria@, then commented as maria+1@ (from her own browser) with
    the box ticked: the page promised mail once she confirmed, and its "Mail it again" sent
    nothing, at every press (her stop holds for the inbox)."""
    CommenterAddress.objects.create(email=MARIA, mail_stopped_at=timezone.now())
    mine = make_comment(article, email=TAGGED, notify_on_decision=True, owner_vouched=True)

    said = _status_page_words(mine)

    assert "You asked us to stop all mail to this address" in said
    assert "Mail it again" not in said
    assert "We e-mail you when it has been reviewed" not in said


def test_a_spelling_she_confirmed_and_did_not_stop_is_still_mailed_and_says_so(
    article, make_comment
):
    CommenterAddress.objects.create(email=MARIA, mail_stopped_at=timezone.now())
    verify(TAGGED)
    mine = make_comment(article, email=TAGGED, notify_on_decision=True, owner_vouched=True)

    said = _status_page_words(mine)

    assert "We e-mail you when it has been reviewed." in said
    assert "stop all mail" not in said


def _ask_then_stop_at_maria(asker, settings):
    maria = CommenterAddress.objects.create(email=MARIA)
    asker()  # queued, not sent yet
    stop = links.stop_mail_url(maria.pk).removeprefix(settings.SITE_URL)
    Client().post(stop)
    return sent()


def test_her_own_link_asked_at_a_spelling_she_confirmed_goes_after_a_stop_at_another(
    article, make_comment, settings
):
    """Decided: mail she asked for at a spelling she confirmed and did not stop goes there, as
    mail about her comments does (her status page says so); her stop at maria@ held it back."""
    verify(TAGGED)
    mine = make_comment(article, email=TAGGED, owner_vouched=True)

    def from_her_status_page():
        Client().post(f"{mine.status_url}privacy/", {"action": "export"})

    assert _ask_then_stop_at_maria(from_her_status_page, settings) == [TAGGED]


def test_a_link_anyone_asked_at_a_spelling_she_confirmed_waits_no_more_after_her_stop(
    article, make_comment, settings
):
    """As a question anyone set off there: held back by her stop at another spelling."""
    verify(TAGGED)
    make_comment(article, email=TAGGED, owner_vouched=True)

    def from_the_privacy_page():
        Client().post("/comments/privacy/", {"email": TAGGED, "action": "export"})

    assert _ask_then_stop_at_maria(from_the_privacy_page, settings) == []
