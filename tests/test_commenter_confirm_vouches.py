"""Confirming an address ("Confirm my address", or "It is mine") vouches only for the comments
its owner can be shown to have written: the one whose mail wish the link was about, and those
written with the address from the browser that opens it. Anyone may type an address: a
stranger's comment sent with it earlier stays a stranger's, in the owner's export (no IP
address) and on the stranger's status page (nothing of the owner's mail choices)."""

import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from comments import links
from comments.mail import drop_queued, queue_mail
from comments.models import Comment, CommenterAddress
from comments.services import approve
from comments.tokens import status_token
from tests.mail_helpers import queued, run_mail_queue, verify

OWNER = "maria@example.com"
STRANGERS_IP = "203.0.113.66"


@pytest.fixture(autouse=True)
def _no_flood_interval(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


def post(browser, article, comment_form_data, body, **fields) -> Comment:
    data = comment_form_data(article, email=OWNER, body=body, **fields)
    assert browser.post(reverse("comments:post", args=[article.pk]), data).status_code == 302
    return Comment.objects.get(body=body)


def to_owner() -> list:
    run_mail_queue()
    return [m for m in mail.outbox if m.to == [OWNER]]


def subjects() -> list[str]:
    return [m.subject.split("] ")[1] for m in to_owner()]


def link_in(message, path: str) -> str:
    return re.search(rf"https?://\S+{re.escape(path)}\S+/", message.body).group(0)


def export(settings) -> dict:
    """The owner's download, from a browser that wrote none of the comments."""
    address = CommenterAddress.objects.get(email=OWNER)
    link = links.privacy_url(address.pk, "export").removeprefix(settings.SITE_URL)
    response = Client().get(link + "?download=1")
    assert response.status_code == 200
    return json.loads(response.getvalue())


def by_body(data: dict) -> dict:
    return {c["body"]: c for c in data["comments"]}


def status_text(browser, comment) -> str:
    page = browser.get(comment.status_url).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


@pytest.fixture
def stranger():
    return Client(REMOTE_ADDR=STRANGERS_IP)


def test_a_stranger_s_earlier_comment_is_not_the_owner_s_once_she_confirms(
    article, comment_form_data, stranger, settings
):
    """The reproduction: A (a stranger) posts with Maria's address and no box ticked; B (Maria)
    posts with a box ticked and confirms from the mail; the export (from a third browser)
    handed Maria A's IP address, marked confirmed_as_yours."""
    theirs = post(stranger, article, comment_form_data, "Typed by a stranger")
    marias = Client(REMOTE_ADDR="198.51.100.7")
    post(marias, article, comment_form_data, "Mine, mail me", notify="on")
    [confirmation] = to_owner()
    marias.post(link_in(confirmation, "/comments/confirm/"))
    assert CommenterAddress.objects.get(email=OWNER).verified_at is not None

    data = export(settings)

    comments = by_body(data)
    assert comments["Typed by a stranger"]["confirmed_as_yours"] is False
    assert comments["Typed by a stranger"]["ip_address"] is None
    assert STRANGERS_IP not in json.dumps(data)
    assert comments["Mine, mail me"]["confirmed_as_yours"] is True
    assert comments["Mine, mail me"]["ip_address"] == "198.51.100.7"
    assert not Comment.objects.get(pk=theirs.pk).owner_vouched


def test_the_stranger_s_status_page_tells_nothing_of_the_owner_s_mail_choices(
    article, comment_form_data, stranger
):
    theirs = post(stranger, article, comment_form_data, "Typed by a stranger")
    marias = Client()
    post(marias, article, comment_form_data, "Mine, mail me", notify="on")
    [confirmation] = to_owner()
    marias.post(link_in(confirmation, "/comments/confirm/"))

    # The stranger asks for reply mail: the owner has confirmed, but the page says what it
    # says for any address.
    stranger.post(reverse("comments:follow", args=[status_token(theirs)]))
    confirmed = status_text(stranger, theirs)
    marias.post(link_in(confirmation, "/comments/stop-mail/"))  # Maria stops all mail
    stopped = status_text(stranger, theirs)

    assert "(once the address’s owner has answered)" in confirmed
    assert "You asked us to stop all mail" not in stopped
    assert "(once the address’s owner has answered)" in stopped
    # Nor can the stranger have a link mailed to the owner who stopped all mail.
    mail.outbox.clear()
    token = status_token(theirs)
    stranger.post(reverse("comments:status-privacy", args=[token]), {"action": "export"})
    assert to_owner() == []


def test_the_owner_s_earlier_comment_from_the_confirming_browser_is_hers(
    article, comment_form_data, stranger, settings
):
    """No box ticked on the first; the second asked for mail from her phone; she confirms in
    the browser that wrote the first (its signed comments_written cookie)."""
    marias = Client(REMOTE_ADDR="198.51.100.7")
    post(marias, article, comment_form_data, "Mine, no mail")
    post(stranger, article, comment_form_data, "Typed by a stranger")
    phone = Client(REMOTE_ADDR="192.0.2.44")
    post(phone, article, comment_form_data, "Mine, from my phone", notify="on")
    [confirmation] = to_owner()

    marias.post(link_in(confirmation, "/comments/confirm/"))

    comments = by_body(export(settings))
    assert comments["Mine, no mail"]["confirmed_as_yours"] is True
    assert comments["Mine, no mail"]["ip_address"] == "198.51.100.7"
    assert comments["Mine, from my phone"]["confirmed_as_yours"] is True  # the mail's own
    assert comments["Typed by a stranger"]["confirmed_as_yours"] is False


def test_the_comment_the_mail_was_about_is_hers_confirmed_from_any_browser(
    article, comment_form_data, stranger, moderator
):
    post(stranger, article, comment_form_data, "Typed by a stranger")
    mine = post(Client(), article, comment_form_data, "Mine, mail me", notify="on")
    [confirmation] = to_owner()
    link = link_in(confirmation, "/comments/confirm/")

    # Opened in her mail app, which never wrote a comment: the page names the comment, in our
    # words.
    page = Client().get(link).content.decode()
    Client().post(link)
    approve(comment=mine, by=moderator)

    assert f"Someone commented on “{article.title}” on " in page
    assert "Confirm my address</button>" in page
    vouched = set(Comment.objects.filter(owner_vouched=True).values_list("body", flat=True))
    assert vouched == {"Mine, mail me"}
    assert subjects() == ["Please confirm your e-mail address", "Your comment has been reviewed"]


def test_a_link_mailed_before_links_named_the_comment_asks_about_it_instead(
    article, comment_form_data, stranger
):
    """A confirmation link of the earlier kind names only the address: confirming it vouches
    for the opening browser's comments, and the comment that waits is asked about."""
    post(stranger, article, comment_form_data, "Typed by a stranger")
    mine = post(Client(), article, comment_form_data, "Mine, mail me", notify="on")
    # As queued before the release: the mail names the address alone.
    assert drop_queued("confirm-about", mine.pk) == 1
    queue_mail("confirm", CommenterAddress.objects.get(email=OWNER).pk)
    [confirmation] = to_owner()
    Comment.objects.filter(pk=mine.pk).update(status=Comment.Status.APPROVED)

    Client().post(link_in(confirmation, "/comments/confirm/"))

    assert not Comment.objects.filter(owner_vouched=True).exists()
    assert [m["ref"] for m in queued("confirm-comment")] == [mine.pk]
    [_, question] = to_owner()
    Client().post(link_in(question, "/comments/confirm-comment/"))
    assert subjects()[-1] == "Your comment has been reviewed"
    assert not Comment.objects.get(body="Typed by a stranger").owner_vouched


def test_it_is_mine_vouches_for_the_answering_browser_s_comments_not_a_stranger_s(
    article, comment_form_data, stranger, settings
):
    verify(OWNER)  # confirmed long ago, from another browser
    laptop = Client(REMOTE_ADDR="198.51.100.7")
    post(laptop, article, comment_form_data, "Mine, no mail")
    post(stranger, article, comment_form_data, "Typed by a stranger")
    post(laptop, article, comment_form_data, "Mine, mail me", notify="on")
    [question] = to_owner()

    laptop.post(link_in(question, "/comments/confirm-comment/"))

    comments = by_body(export(settings))
    assert comments["Mine, mail me"]["confirmed_as_yours"] is True
    assert comments["Mine, no mail"]["confirmed_as_yours"] is True
    assert comments["Mine, no mail"]["ip_address"] == "198.51.100.7"
    assert comments["Typed by a stranger"]["confirmed_as_yours"] is False
    assert comments["Typed by a stranger"]["ip_address"] is None


def test_confirming_again_from_the_browser_that_wrote_them_vouches_for_its_comments(
    article, comment_form_data, stranger, moderator, settings
):
    """Confirmed first from her mail app; the same link pressed later on her laptop vouches for
    the laptop's comments too, each review mailed once."""
    phone = Client(REMOTE_ADDR="192.0.2.44")
    post(phone, article, comment_form_data, "Mine, from my phone", notify="on")
    post(stranger, article, comment_form_data, "Typed by a stranger", notify="on")
    laptop = Client(REMOTE_ADDR="198.51.100.7")
    later = post(laptop, article, comment_form_data, "Mine, from the laptop", notify="on")
    [confirmation] = to_owner()
    link = link_in(confirmation, "/comments/confirm/")
    Client().post(link)
    approve(comment=later, by=moderator)
    # The question is about the oldest comment still waiting: the stranger's.
    assert subjects() == ["Please confirm your e-mail address", "Is this comment yours?"]

    for _ in range(2):
        assert laptop.post(link).status_code == 200

    assert subjects()[2:] == ["Your comment has been reviewed"]
    vouched = set(Comment.objects.filter(owner_vouched=True).values_list("body", flat=True))
    assert vouched == {"Mine, from the laptop", "Mine, from my phone"}


def test_a_comment_deleted_before_its_confirmation_mail_went_leaves_the_mail_to_the_next(
    article, comment_form_data
):
    # A stranger posts with the owner's address asking for mail, then deletes the comment
    # before the mail goes: nothing was sent, so the day's one confirmation mail is not spent,
    # and the owner's own comment, waiting for mail too, is asked about instead.
    owners_browser, strangers_browser = Client(), Client()
    stranger = post(strangers_browser, article, comment_form_data, "Not hers.", notify="on")
    own = post(owners_browser, article, comment_form_data, "Hers, truly.", notify="on")
    deleted = strangers_browser.post(reverse("comments:delete", args=[status_token(stranger)]))
    assert deleted.status_code == 302

    sent = to_owner()
    assert [m.subject.split("] ")[1] for m in sent] == ["Please confirm your e-mail address"]
    Client().post(link_in(sent[0], "/comments/confirm/"))  # confirmed from her phone
    assert Comment.objects.get(pk=own.pk).owner_vouched
