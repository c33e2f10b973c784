"""The flood interval: one comment per COMMENTS_FLOOD_SECONDS from one address or one e-mail,
with the refused text kept, and a wait started only by a comment that was stored."""

import re
import threading
import time
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.urls import reverse

from comments.models import Comment
from comments.views import DUPLICATE


def _post(client, article, data, **extra):
    return client.post(reverse("comments:post", args=[article.pk]), data, **extra)


def test_a_second_comment_within_the_flood_interval_is_refused_with_the_text_kept(
    reader, article, make_article, comment_form_data, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 15
    other = make_article()
    _post(reader, article, comment_form_data(article))

    response = _post(reader, other, comment_form_data(other, body="Quick second thought"))

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15
    assert "Please wait" in response.content.decode()
    assert "Quick second thought" in response.content.decode()
    assert Comment.objects.count() == 1


def test_the_flood_interval_also_holds_for_one_email_from_another_ip(
    article, comment_form_data, settings
):
    from django.test import Client

    settings.COMMENTS_FLOOD_SECONDS = 15
    _post(Client(REMOTE_ADDR="192.0.2.1"), article, comment_form_data(article, body="one"))

    response = _post(Client(REMOTE_ADDR="192.0.2.2"), article, comment_form_data(article))

    assert response.status_code == 429


def test_a_post_with_an_address_that_just_posted_elsewhere_is_not_told_when_it_did(
    article, comment_form_data, settings
):
    """Anyone may type anyone's address: the wait it is told is the whole interval, whichever
    key held the post back, so the answer says no more than a refusal must (the address, or
    this connection, sent a comment within the interval), never the second it did."""
    from django.test import Client

    settings.COMMENTS_FLOOD_SECONDS = 15
    owner = comment_form_data(article, email="maria@example.com", body="Maria's view")
    stranger = comment_form_data(article, email="maria@example.com", body="Who is this?")
    again = comment_form_data(article, email="bob@example.com", body="Bob again")
    now = int(time.time())
    with mock.patch("comments.ratelimit.time.time", return_value=now):
        _post(Client(REMOTE_ADDR="192.0.2.1"), article, owner)
        bob = comment_form_data(article, email="bob@example.com", body="Bob's view")
        _post(Client(REMOTE_ADDR="192.0.2.9"), article, bob)
    with mock.patch("comments.ratelimit.time.time", return_value=now + 10):
        by_address = _post(Client(REMOTE_ADDR="192.0.2.2"), article, stranger)
        by_connection = _post(Client(REMOTE_ADDR="192.0.2.9"), article, again)

    for refused in (by_address, by_connection):
        assert refused.status_code == 429
        assert refused["Retry-After"] == "15"
        assert "Please wait 15 seconds before sending another comment." in (
            refused.content.decode()
        )


def test_a_stranger_typing_an_address_does_not_hold_back_its_owners_own_browser(
    article, make_article, comment_form_data, settings
):
    """Anyone may type anyone's address: a comment sent with it every interval held its owner
    back. A browser that wrote a comment its owner showed is theirs (confirmed, or "It is
    mine") is the owner's, and waits on its own connection's interval only; any other
    browser still waits on the address's."""
    from django.core.cache import cache
    from django.test import Client

    settings.COMMENTS_FLOOD_SECONDS = 15
    owner = Client(REMOTE_ADDR="192.0.2.1")
    _post(owner, article, comment_form_data(article, body="Mine, confirmed"))
    Comment.objects.update(owner_vouched=True)
    cache.clear()  # the interval since passed
    other = make_article()
    stranger = comment_form_data(other, body="Posing as Maria")
    assert _post(Client(REMOTE_ADDR="192.0.2.66"), other, stranger).status_code == 302

    own = _post(owner, other, comment_form_data(other, body="Maria, held back?"))
    elsewhere = _post(Client(REMOTE_ADDR="192.0.2.3"), other, comment_form_data(other))

    assert own.status_code == 302
    assert Comment.objects.filter(body="Maria, held back?").exists()
    assert elsewhere.status_code == 429


def _comments_close_on_the_way():
    # Comments close in the moment between the page's check and the comment being stored.
    return mock.patch("comments.services.comments_open", return_value=False)


def _database_goes_away():
    from django.db import OperationalError

    error = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    return mock.patch("comments.models.Comment.save", side_effect=error)


@pytest.mark.parametrize(
    ("failure", "status"), [(_comments_close_on_the_way, 200), (_database_goes_away, 503)]
)
def test_a_post_not_stored_after_the_flood_check_starts_no_wait(
    reader, article, comment_form_data, settings, failure, status
):
    settings.COMMENTS_FLOOD_SECONDS = 15
    reader.raise_request_exception = False
    with failure():
        refused = _post(reader, article, comment_form_data(article, body="Worth keeping"))
    assert refused.status_code == status
    assert "Worth keeping" in refused.content.decode()  # given back to send again

    response = _post(reader, article, comment_form_data(article, body="Worth keeping"))

    assert response.status_code == 302
    assert Comment.objects.get().body == "Worth keeping"


def test_a_post_the_flood_interval_refused_starts_no_wait_of_its_own(
    article, comment_form_data, settings
):
    from django.test import Client

    settings.COMMENTS_FLOOD_SECONDS = 15
    _post(Client(REMOTE_ADDR="192.0.2.1"), article, comment_form_data(article, body="one"))
    # Bob on the same connection a moment later: refused (the connection's wait).
    bob = comment_form_data(article, email="bob@example.com", body="Bob's view")
    assert _post(Client(REMOTE_ADDR="192.0.2.1"), article, bob).status_code == 429

    # From his own connection he is not held up by the post that was refused.
    assert _post(Client(REMOTE_ADDR="192.0.2.7"), article, bob).status_code == 302


def _browser(csrf_cookie):
    # One browser's requests: every press carries its CSRF cookie, and a press whose answer the
    # browser dropped left it no other cookie.
    from django.test import Client

    client = Client(REMOTE_ADDR="198.51.100.7")
    client.cookies[django_settings.CSRF_COOKIE_NAME] = csrf_cookie
    return client


def _lands_on_the_success_with_its_status_link(response):
    assert response.status_code == 302
    followed = response.client.get(response["Location"]).content.decode()
    assert "Comment sent successfully! We will review it in the next few hours." in followed
    assert re.search(r'class="comment-status-link" href="/comments/status/[^"/]+/"', followed)


def test_a_double_click_gets_the_answer_its_first_press_lost(article, comment_form_data, settings):
    settings.COMMENTS_FLOOD_SECONDS = 15
    data = comment_form_data(article)
    _post(_browser("a" * 32), article, data)  # the answer the browser dropped

    second_press = _post(_browser("a" * 32), article, data)

    _lands_on_the_success_with_its_status_link(second_press)
    assert Comment.objects.count() == 1
    # Another browser sending the same words learns nothing private.
    other = _post(_browser("b" * 32), article, data).content.decode()
    assert DUPLICATE in other and "/comments/status/" not in other


def test_the_same_words_to_two_readers_are_two_replies_not_a_double_click(
    article, make_comment, comment_form_data, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    ann, bob = (make_comment(article, status=Comment.Status.APPROVED) for _ in range(2))
    browser = _browser("a" * 32)

    for parent in (ann, bob):
        data = comment_form_data(article, body="Thanks, agreed.", parent=parent.pk)
        _lands_on_the_success_with_its_status_link(_post(browser, article, data))

    assert set(Comment.objects.filter(body="Thanks, agreed.").values_list("parent", flat=True)) == {
        ann.pk,
        bob.pk,
    }


class TestWhileTheFirstPressIsStored:
    """They commit for real: a class of their own (tests/conftest.py says why)."""

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_double_click_while_the_first_press_is_still_being_stored_is_not_told_to_wait(
        self, article, comment_form_data, settings
    ):
        from comments import views

        settings.COMMENTS_FLOOD_SECONDS = 15
        data = comment_form_data(article)
        on_its_way = threading.Event()
        store = views.submit_comment

        def slow_store(**fields):  # a busy server: the first press takes a moment
            on_its_way.set()
            time.sleep(0.5)
            return store(**fields)

        def first_press():
            try:
                _post(_browser("a" * 32), article, data)
            finally:
                connections.close_all()

        with mock.patch.object(views, "submit_comment", slow_store):
            first = threading.Thread(target=first_press)
            first.start()
            on_its_way.wait(timeout=10)
            second_press = _post(_browser("a" * 32), article, data)
            first.join(timeout=30)

        _lands_on_the_success_with_its_status_link(second_press)
        assert Comment.objects.count() == 1


@pytest.mark.parametrize("flood_seconds", [0, 15])
def test_a_stranger_sending_a_published_comment_s_words_cannot_tell_whose_address_wrote_it(
    article, make_comment, comment_form_data, settings, flood_seconds
):
    # The form says the address is never shown: whichever address a stranger types with a
    # published comment's words, from their own connection, they get the same answer.
    from django.test import Client

    settings.COMMENTS_FLOOD_SECONDS = flood_seconds
    alices = make_comment(
        article,
        status=Comment.Status.APPROVED,
        email="alice@example.com",
        body="I was at the launch: it was great.",
        ip_address="192.0.2.50",
    )

    answers = {}
    for n, guess in enumerate(("bob@example.com", "alice@example.com")):
        stranger = Client(REMOTE_ADDR=f"198.51.100.{90 + n}")
        # A comment of their own first: within the flood interval, a new one waits.
        hello = comment_form_data(article, email=f"me{n}@example.net", body=f"Hello {n}")
        assert _post(stranger, article, hello).status_code == 302
        data = comment_form_data(article, email=guess, body=alices.body)
        response = _post(stranger, article, data)
        page = response.content.decode()
        answers[guess] = (response.status_code, DUPLICATE in page, "Please wait" in page)

    assert answers["alice@example.com"] == answers["bob@example.com"]
    assert answers["alice@example.com"][1] is False  # never "already sent"


def test_the_author_s_browser_on_another_connection_is_still_told_it_sent_this_already(
    article, comment_form_data, settings
):
    from django.test import Client

    settings.COMMENTS_FLOOD_SECONDS = 15
    data = comment_form_data(article)
    phone = Client(REMOTE_ADDR="198.51.100.7")
    _post(phone, article, data)  # its answer never reached the reader

    # Off the wifi, onto mobile data: the browser sends it again, with its cookies.
    phone.defaults["REMOTE_ADDR"] = "192.0.2.200"
    page = _post(phone, article, data).content.decode()

    assert DUPLICATE in page and "Please wait" not in page
    assert re.search(r'Follow its review on its <a class="comment-status-link" href="/comm', page)
    assert Comment.objects.count() == 1
