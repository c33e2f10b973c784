"""What the mails tell a reader to do matches the pages their links open: opening a link only
asks (mail scanners open every link), so each mail names the button to press, by the name the
page gives it, in its text and in its HTML; and the question "Is this comment yours?" says in
plain words why it is asked."""

import html as entities
import re

import pytest
from django.core import mail
from django.test import Client

from comments.models import Comment, ReplySubscription
from comments.services import approve
from tests.mail_helpers import run_mail_queue, verify

QUOTED = r"[\"“]([^\"”]+)[\"”]"


def _only_mail(subject: str) -> mail.EmailMessage:
    run_mail_queue()
    [message] = [m for m in mail.outbox if m.subject == f"[Newsportal] {subject}"]
    return message


def _button_named_after(text: str, path: str) -> tuple[str, str]:
    """The button the words before the link `path` tell the reader to press, and the link."""
    found = re.search(rf"press {QUOTED}[^\n]*\n(?:[^\n]*\n)??\s*(https?://\S+{path}\S+/)", text)
    assert found, f"no 'press \"…\"' before the {path} link"
    return found.group(1), found.group(2)


def _page_button(url: str) -> str:
    page = Client().get(url).content.decode()
    return re.search(r'<button class="btn btn-primary" type="submit">([^<]+)</button>', page).group(
        1
    )


@pytest.mark.parametrize(
    ("confirmed", "subject", "path", "button"),
    [
        (False, "Please confirm your e-mail address", "/comments/confirm/", "Confirm my address"),
        (True, "Is this comment yours?", "/comments/confirm-comment/", "It is mine"),
    ],
)
def test_the_asking_mails_name_the_button_the_page_has(
    article, submit, confirmed, subject, path, button
):
    if confirmed:
        verify("maria@example.com")
    submit(article, notify=True)
    message = _only_mail(subject)

    named, url = _button_named_after(message.body, path)

    assert named == button == _page_button(url)
    assert "by opening this link" not in message.body
    html = entities.unescape(message.alternatives[0].content)
    assert f"press “{button}”" in html
    assert f'">{button}</a>' in html  # the link styled as a button says the same
    assert "The comment is mine" not in html


def test_is_this_comment_yours_says_plainly_why_it_asks(article, submit):
    verify("maria@example.com")
    comment = submit(article, notify=True)
    message = _only_mail("Is this comment yours?")
    html = message.alternatives[0].content
    url = re.search(r"https?://\S+/comments/confirm-comment/\S+/", message.body).group(0)
    page = Client().get(url).content.decode()

    for text in (message.body, html, page):
        flat = " ".join(text.split())
        assert "has not written with it" not in flat and "had not written with it" not in flat
        assert "Anyone can type an address" in flat
        assert "used to comment from that browser before, so we ask you first" in flat
    assert comment.body not in message.body  # still only our words


def test_every_mail_to_a_reader_names_the_stop_button(article, make_comment, submit, moderator):
    verify("maria@example.com")
    decided = make_comment(article, email="maria@example.com", notify_on_decision=True)
    approve(comment=decided, by=moderator)
    parent = make_comment(article, email="maria@example.com", status=Comment.Status.APPROVED)
    ReplySubscription.objects.create(comment=parent)
    approve(comment=make_comment(article, parent=parent), by=moderator)
    submit(article, notify=True)  # "Is this comment yours?"
    submit(article, email="new@example.com", notify=True)  # the confirmation
    run_mail_queue()

    to_readers = [m for m in mail.outbox if m.to != [moderator.email]]
    assert len(to_readers) == 4
    for message in to_readers:
        button, url = _button_named_after(message.body, "/comments/stop-mail/")
        assert button == "Stop all mail" == _page_button(url), message.subject


def test_the_reply_mail_names_the_unsubscribe_button(article, make_comment, moderator):
    verify("maria@example.com")
    parent = make_comment(article, email="maria@example.com", status=Comment.Status.APPROVED)
    ReplySubscription.objects.create(comment=parent)
    approve(comment=make_comment(article, parent=parent), by=moderator)
    run_mail_queue()
    [message] = [m for m in mail.outbox if m.to == ["maria@example.com"]]

    button, url = _button_named_after(message.body, "/comments/unsubscribe/")

    assert button == "Unsubscribe" == _page_button(url)


@pytest.mark.parametrize(
    ("action", "button"),
    [("export", "Download my comments (JSON)"), ("erase", "Erase all my comments")],
)
def test_the_privacy_link_mail_names_the_button_its_page_has(
    article, make_comment, reader, action, button
):
    make_comment(article, email="maria@example.com")
    reader.post("/comments/privacy/", {"email": "maria@example.com", "action": action})
    message = _only_mail("Your comments: the link you asked for")

    named, url = _button_named_after(message.body, "/comments/privacy/")

    page = Client().get(url).content.decode()
    assert named == button and f">{button}</" in page
    html = entities.unescape(message.alternatives[0].content)
    assert f"press “{button}”" in html
    assert f'">{button}</a>' in html
    # Anyone who typed the address may ask: the mail does not say its reader did.
    for text in (message.body, html):
        assert "Someone, probably you, asked" in " ".join(text.split())


@pytest.mark.parametrize(
    ("listed", "why", "stop"),
    [
        (
            True,
            "this address is on the site's list of moderators' addresses",
            "ask whoever runs the site to take this address off that list",
        ),
        (
            False,
            "your account on Newsportal may moderate comments",
            "take the address or the moderation permission off your account",
        ),
    ],
)
def test_the_moderators_mail_says_why_it_comes_and_how_to_stop_it(
    article, submit, committed, moderator, settings, listed, why, stop
):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.example"] if listed else []
    settings.COMMENTS_MODERATOR_MAIL_INTERVAL = 300
    committed(submit, article)
    message = _only_mail("Comments are waiting for review")
    assert message.to == (["desk@newsroom.example"] if listed else [moderator.email])

    html = entities.unescape(message.alternatives[0].content)
    for text in (message.body, html):
        flat = " ".join(text.split())
        assert f"You get this mail because {why}" in flat
        assert "at most one every 5 minutes while comments come in" in flat
        assert stop in flat
