"""The mailed Erase link's button pressed twice (a double click without JavaScript, whose second
answer the browser shows): the first press erased the comments and the address, and the second
said "This link no longer works: It is out of date, was used already, or is incomplete", which
read as if the erase had failed."""

import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.urls import reverse

from comments import links, privacy_views
from comments.models import Comment, CommenterAddress
from comments.privacy import request_privacy_link
from tests.mail_helpers import make_due, run_mail_queue
from tests.test_cache_outage import redis_down  # noqa: F401 (a fixture)

EMAIL = "maria@example.com"
ERASED = "Your comments are erased"
GONE = "This link no longer works"


def _erase_link(article, make_comment, settings, action="erase") -> str:
    make_comment(article, email=EMAIL, body="Mine, first")
    make_comment(article, email=EMAIL, body="Mine, second")
    address = CommenterAddress.objects.create(email=EMAIL)
    return links.privacy_url(address.pk, action).removeprefix(settings.SITE_URL)


def test_erase_pressed_twice_says_the_comments_are_erased_again(
    reader, article, make_comment, settings
):
    link = _erase_link(article, make_comment, settings)
    assert ERASED in reader.post(link).content.decode()

    second = reader.post(link)

    page = second.content.decode()
    assert second.status_code == 200
    assert ERASED in page and "2 comments and your address are gone" in page
    assert GONE not in page
    assert not Comment.objects.filter(email=EMAIL).exists()


def _second_of_two_at_once(reader, link) -> str:
    """Both presses at once: the second read the address before the first committed, then
    waited on the comments' locks, and found none left to erase."""
    erase = privacy_views.erase_comments

    def first_press_lands_first(**kwargs):
        erase(**kwargs)
        return erase(**kwargs)

    with mock.patch.object(privacy_views, "erase_comments", side_effect=first_press_lands_first):
        return reader.post(link).content.decode()


def test_a_press_that_waited_on_the_first_says_what_the_first_erased(
    reader, article, make_comment, settings
):
    # Both presses at once: the second read the address before the first committed, then
    # waited on the comments' locks, and found none left to erase ("0 comments ... gone").
    link = _erase_link(article, make_comment, settings)
    second = _second_of_two_at_once(reader, link)

    assert "2 comments and your address are gone" in second


def test_another_link_still_no_longer_works_once_the_address_is_erased(
    reader, article, make_comment, settings
):
    link = _erase_link(article, make_comment, settings)
    address_id = CommenterAddress.objects.get().pk
    later = time.time() + 5  # another mail's link, signed a moment later
    with mock.patch("django.core.signing.time.time", return_value=later):
        other_erase = links.privacy_url(address_id, "erase").removeprefix(settings.SITE_URL)
    export = links.privacy_url(address_id, "export").removeprefix(settings.SITE_URL)
    reader.post(link)

    for other in (other_erase, export):
        answer = reader.post(other)
        assert answer.status_code == 404
        assert GONE in answer.content.decode()
        assert ERASED not in answer.content.decode()


def test_a_link_that_never_worked_still_says_so(reader, db):
    answer = reader.post(reverse("comments:privacy-action", args=["not-a-link"]))

    assert answer.status_code == 404
    assert GONE in answer.content.decode()


def test_the_link_used_again_on_new_words_says_what_it_erased_this_time(
    reader, article, make_comment, settings
):
    # An address whose owner stopped all mail is kept after an erase (the stop stays), and its
    # link, still in date, erases what was written with it since: that count, not the first's.
    from django.utils import timezone

    link = _erase_link(article, make_comment, settings)
    CommenterAddress.objects.filter(email=EMAIL).update(mail_stopped_at=timezone.now())
    assert "2 comments and your address are gone" in reader.post(link).content.decode()
    CommenterAddress.objects.claim(EMAIL)  # typed again with a box ticked: its row back
    make_comment(article, email=EMAIL, body="Written since")

    again = reader.post(link).content.decode()

    assert not Comment.objects.filter(email=EMAIL).exists()
    assert "1 comment and your address are gone" in again


# With the cache away, the first press erases (the database is the record) but notes no count:
# the second found neither the address nor the count, and said "This link no longer works ... It
# is out of date, was used already", and one that had waited on the first's locks said "no
# comments made with it were left", as if there had been none.
ERASED_NOT_COUNTED = (
    "It is gone from our site, and so are the comments made with it: Erase was pressed already, "
    "or they had been deleted from their pages."
)


@pytest.mark.usefixtures("redis_down")
def test_erase_pressed_twice_while_the_cache_is_away_says_what_is_true(
    reader, article, make_comment, settings
):
    link = _erase_link(article, make_comment, settings)
    first = reader.post(link).content.decode()
    assert "2 comments and your address are gone" in first

    second = reader.post(link)

    page = second.content.decode()
    assert second.status_code == 200
    assert "Your address is erased" in page and ERASED_NOT_COUNTED in page
    assert GONE not in page and "were left" not in page
    # Opened again (not pressed), the link is spent, as with the cache up.
    assert GONE in reader.get(link).content.decode()


@pytest.mark.usefixtures("redis_down")
def test_a_press_that_waited_on_the_first_while_the_cache_is_away_says_what_is_true(
    reader, article, make_comment, settings
):
    link = _erase_link(article, make_comment, settings)
    second = _second_of_two_at_once(reader, link)

    assert ERASED_NOT_COUNTED in second and "were left" not in second
    assert not Comment.objects.filter(email=EMAIL).exists()


def _mailed_erase_link(article, make_comment, settings) -> str:
    """The link as the mail carries it (comments.letters)."""
    make_comment(article, email=EMAIL, body="Mine, first")
    make_comment(article, email=EMAIL, body="Mine, second")
    assert request_privacy_link(email=EMAIL, action="erase")
    make_due()
    run_mail_queue()
    [message] = mail.outbox
    found = re.search(r"https?://\S+/comments/privacy/\S+/", message.body).group(0)
    return found.removeprefix(settings.SITE_URL)


@pytest.mark.parametrize("cache", ["away", "up"])
def test_an_old_link_pressed_on_comments_written_since_says_it_is_spent(
    cache, request, reader, article, make_comment, settings
):
    # The owner erased, then commented again with the address (no mail box ticked, so no new
    # address row), then pressed the old link's button: the cache away, "so are the comments
    # made with it"; the cache up, within the hour its count is kept, "2 comments and your
    # address are gone". Each said of a comment still up, which this link does not erase.
    if cache == "away":
        request.getfixturevalue("redis_down")
    link = _mailed_erase_link(article, make_comment, settings)
    assert "2 comments and your address are gone" in reader.post(link).content.decode()
    since = make_comment(article, email=EMAIL, body="Written since")

    again = reader.post(link)

    page = again.content.decode()
    assert again.status_code == 404
    assert GONE in page and "comments written with it since are not erased" in page
    assert "Ask for a new one on the privacy page" in page
    assert ERASED_NOT_COUNTED not in page and "Your address is erased" not in page
    assert "your address are gone" not in page
    assert Comment.objects.filter(pk=since.pk, body="Written since").exists()


@pytest.mark.usefixtures("redis_down")
def test_a_link_mailed_before_links_named_their_address_says_what_it_cannot_tell(
    reader, article, make_comment, settings
):
    # Mailed by the release before (no mark of its address): whether comments were written with
    # the address since cannot be told, so the page says what is true either way.
    make_comment(article, email=EMAIL, body="Mine")
    address = CommenterAddress.objects.create(email=EMAIL)
    token = signing.dumps({"a": address.pk, "x": "erase"}, salt=links.PRIVACY_SALT)
    link = reverse("comments:privacy-action", args=[token])
    assert "1 comment and your address are gone" in reader.post(link).content.decode()
    make_comment(article, email=EMAIL, body="Written since")

    page = reader.post(link).content.decode()

    assert "the comments made with it then are gone from our site" in page
    assert "This link does not erase any written with it since" in page
    assert ERASED_NOT_COUNTED not in page
    assert Comment.objects.filter(email=EMAIL, body="Written since").exists()
