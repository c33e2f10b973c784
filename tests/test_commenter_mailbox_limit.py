"""The limits on mail to an address whose owner did not ask for it (the confirmation mail, "Is
this comment yours?", the privacy link) count the inbox, not the spelling: `victim+1@…`,
`victim+2@…` and, at Gmail, `v.ictim@…` are new addresses that land in one inbox, and one
client could otherwise have it mailed at every post. Mail still goes to the address as typed."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import links
from comments.models import Comment, CommenterAddress
from tests.mail_helpers import run_mail_queue, verify

PRIVACY = "/comments/privacy/"
IPS = ["198.51.100.7", "203.0.113.20", "192.0.2.33"]


@pytest.fixture(autouse=True)
def _no_flood_interval(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


def post_from_each_ip(article, comment_form_data, addresses, **wishes) -> None:
    for ip, email in zip(IPS, addresses, strict=False):
        data = comment_form_data(article, email=email, body=f"Says {email}.", **wishes)
        response = Client(REMOTE_ADDR=ip).post(reverse("comments:post", args=[article.pk]), data)
        assert response.status_code == 302


def sent_to() -> list[str]:
    run_mail_queue()
    return [to for message in mail.outbox for to in message.to]


@pytest.mark.parametrize(
    "addresses",
    [
        ["victim+1@example.org", "victim+2@example.org", "victim@example.org"],
        ["v.ictim@gmail.com", "vic.tim+news@googlemail.com", "victim@gmail.com"],
    ],
)
def test_spellings_of_one_inbox_posted_from_three_ips_get_one_confirmation_mail(
    article, comment_form_data, addresses
):
    post_from_each_ip(article, comment_form_data, addresses, notify="on")

    # To the address as it was typed first, the one the comment asked about.
    assert sent_to() == [addresses[0]]
    assert "confirm" in mail.outbox[0].subject.lower()
    assert Comment.objects.filter(email__in=addresses).count() == 3


def test_a_different_address_still_gets_its_own_confirmation_mail(article, comment_form_data):
    post_from_each_ip(
        article,
        comment_form_data,
        # Dots count outside Gmail; another name or host is another inbox.
        ["victim+1@example.org", "v.ictim@example.org", "victim@example.net"],
        notify="on",
    )

    assert sent_to() == ["victim+1@example.org", "v.ictim@example.org", "victim@example.net"]


def test_confirmed_spellings_of_one_inbox_get_one_question_a_day(article, comment_form_data):
    addresses = ["victim+1@example.org", "victim+2@example.org", "victim+3@example.org"]
    for email in addresses:
        verify(email)  # the owner confirmed each of them once
    post_from_each_ip(article, comment_form_data, addresses, notify="on", notify_reply="on")

    assert sent_to() == ["victim+1@example.org"]
    assert mail.outbox[0].subject.endswith("Is this comment yours?")


def test_spellings_of_one_inbox_get_one_privacy_link_in_ten_minutes(
    article, make_comment, settings
):
    asked = ["victim+1@example.org", "Victim+2@Example.org", "victim@example.org"]
    for email in ["victim+1@example.org", "victim+2@example.org", "victim@example.org"]:
        make_comment(article, email=email)
    make_comment(article, email="other@example.org")

    for ip, email in zip(IPS, asked, strict=True):
        response = Client(REMOTE_ADDR=ip).post(PRIVACY, {"email": email, "action": "export"})
        assert "Check your mail" in response.content.decode()
    Client(REMOTE_ADDR=IPS[0]).post(PRIVACY, {"email": "other@example.org", "action": "export"})

    assert sent_to() == ["victim+1@example.org", "other@example.org"]


def test_the_owner_asking_from_the_stop_link_is_told_the_inbox_had_a_link_lately(
    article, make_comment
):
    make_comment(article, email="victim+1@example.org")
    make_comment(article, email="victim@example.org")
    Client(REMOTE_ADDR=IPS[0]).post(PRIVACY, {"email": "victim+1@example.org", "action": "export"})

    stop = links.stop_mail_url(verify("victim@example.org").pk)
    answer = Client(REMOTE_ADDR=IPS[1]).post(stop, {"export": "1"}).content.decode()

    assert "No new link yet" in answer
    assert "another spelling of it that reaches the same inbox" in answer
    assert sent_to() == ["victim+1@example.org"]


def test_an_inbox_whose_owner_stopped_all_mail_gets_none_under_another_spelling(
    article, comment_form_data
):
    CommenterAddress.objects.create(email="victim@example.org", mail_stopped_at=timezone.now())

    post_from_each_ip(article, comment_form_data, ["victim+1@example.org"], notify="on")

    assert sent_to() == []
