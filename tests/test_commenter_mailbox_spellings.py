"""More spellings of one inbox, counted as one by the limits on mail to an address and by its
owner's stop: a quoted local part (each backslash escape in it doubles the spellings), a domain
in Unicode or in punycode, Fastmail's subdomain addressing. Mail still goes to the address as
typed; a `-tag` is left alone (only some servers split there: `jean-paul@` is not `jean@`)."""

import pytest
from django.utils import timezone

from comments.models import CommenterAddress
from tests.test_commenter_mailbox_limit import post_from_each_ip, sent_to


@pytest.fixture(autouse=True)
def _no_flood_interval(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


@pytest.mark.parametrize(
    "addresses",
    [
        ['"victim"@example.org', '"v\\ictim+1"@example.org', "victim@example.org"],
        ["victim@bücher.example", "victim@xn--bcher-kva.example", "victim@BÜCHER.example"],
        ["news@victim.fastmail.com", "shop@victim.fastmail.com", "victim@fastmail.com"],
    ],
)
def test_more_spellings_of_one_inbox_get_one_confirmation_mail(
    article, comment_form_data, addresses
):
    post_from_each_ip(article, comment_form_data, addresses, notify="on")

    assert sent_to() == [addresses[0]]


def test_a_dash_or_another_fastmail_user_is_another_inbox(article, comment_form_data):
    addresses = ["jean-paul@example.org", "jean-pierre@example.org", "a@b.victim.fastmail.com"]

    post_from_each_ip(article, comment_form_data, addresses, notify="on")

    assert sent_to() == addresses


def test_an_owner_who_stopped_all_mail_gets_none_at_a_quoted_or_unicode_spelling(
    article, comment_form_data
):
    for email in ["victim@example.org", "victim@xn--bcher-kva.example"]:
        CommenterAddress.objects.create(email=email, mail_stopped_at=timezone.now())

    post_from_each_ip(
        article, comment_form_data, ['"Victim"@example.org', "victim@bücher.example"], notify="on"
    )

    assert sent_to() == []


# Under 254 characters as typed, over it in punycode (each label becomes xn--…).
LONG_DOMAIN = ".".join(["bücherwürmerübung"] * 10)


def test_two_long_unicode_domains_alike_in_their_start_are_two_inboxes(article, comment_form_data):
    addresses = [f"reader@{LONG_DOMAIN}.de", f"reader@{LONG_DOMAIN}.com"]

    post_from_each_ip(article, comment_form_data, addresses, notify="on")

    assert sent_to() == addresses


def test_an_owner_s_stop_at_a_long_unicode_domain_holds_there_alone(article, comment_form_data):
    CommenterAddress.objects.create(
        email=f"reader@{LONG_DOMAIN}.de", mail_stopped_at=timezone.now()
    )

    post_from_each_ip(
        article,
        comment_form_data,
        [f"READER+1@{LONG_DOMAIN}.de", f"reader@{LONG_DOMAIN}.com"],
        notify="on",
    )

    assert sent_to() == [f"reader@{LONG_DOMAIN}.com"]
