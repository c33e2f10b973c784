"""Spam defences that do not bother people: honeypot, signed start time, rate limit,
duplicates; and a cache outage never blocks a comment. (The flood interval: test_comment_flood.)"""

import logging
import re
import time
from unittest import mock

import pytest
from django.urls import reverse

from comments.forms import TOO_FAST, TOO_OLD
from comments.models import Comment
from comments.tokens import form_token
from comments.views import DUPLICATE
from tests.mail_helpers import queued


def _post(client, article, data, **extra):
    return client.post(reverse("comments:post", args=[article.pk]), data, **extra)


def test_a_filled_honeypot_looks_like_success_but_stores_nothing(
    reader, article, comment_form_data
):
    response = _post(reader, article, comment_form_data(article, website="http://spam.example"))

    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_the_honeypot_is_hidden_from_people_without_inline_styles(reader, article):
    html = reader.get(article.get_absolute_url()).content.decode()

    assert 'class="hp-field"' in html
    assert 'aria-hidden="true"' in html
    assert "style=" not in html.split('id="comments"')[1]


def test_a_form_sent_too_fast_is_refused_with_a_friendly_message_and_the_text_kept(
    reader, article, comment_form_data
):
    data = comment_form_data(article, seconds_ago=0, body="Typed at the speed of a bot.")

    response = _post(reader, article, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(TOO_FAST) == 1
    assert "Typed at the speed of a bot." in html
    assert not Comment.objects.exists()


def test_the_refused_form_carries_a_start_time_so_sending_again_works(
    reader, article, comment_form_data
):
    response = _post(reader, article, comment_form_data(article, seconds_ago=0))
    token = re.search(r'name="started" value="([^"]+)"', response.content.decode()).group(1)

    with mock.patch("comments.tokens.time.time", return_value=time.time() + 10):
        retry = _post(reader, article, {**comment_form_data(article), "started": token})

    assert retry.status_code == 302


@pytest.mark.parametrize(
    "sent, kept",
    [
        ("fresh", True),  # the minimum time keeps counting from when the form was shown
        ("other article", False),
        ("in the future", False),
        ("past half its life", False),
        ("forged", False),
    ],
)
def test_a_form_sent_back_with_an_error_keeps_only_a_good_start_time(
    reader, article, make_article, comment_form_data, settings, sent, kept
):
    now = time.time()
    token = {
        "fresh": form_token(article.pk, issued_at=now - 1),
        "other article": form_token(make_article().pk, issued_at=now - 60),
        "in the future": form_token(article.pk, issued_at=now + 60),
        "past half its life": form_token(
            article.pk, issued_at=now - settings.COMMENTS_MAX_FORM_AGE_SECONDS / 2 - 60
        ),
        "forged": form_token(article.pk, issued_at=now - 60)[:-4] + "AAAA",
    }[sent]

    response = _post(reader, article, {**comment_form_data(article, name=""), "started": token})

    assert response.status_code == 200  # the form back, with its error
    assert "This field is required." in response.content.decode()
    back = re.search(r'name="started" value="([^"]+)"', response.content.decode()).group(1)
    assert (back == token) is kept


def test_a_form_left_open_too_long_is_refused_with_a_friendly_message(
    reader, article, comment_form_data, settings
):
    data = comment_form_data(article, seconds_ago=settings.COMMENTS_MAX_FORM_AGE_SECONDS + 5)

    response = _post(reader, article, data)

    assert response.status_code == 200
    assert TOO_OLD in response.content.decode()


@pytest.mark.parametrize("started", ["", "forged", "token-of-another-article"])
def test_a_missing_forged_or_foreign_start_time_is_refused(
    reader, article, make_article, comment_form_data, started
):
    if started == "token-of-another-article":
        started = form_token(make_article().pk, issued_at=time.time() - 60)

    response = _post(reader, article, {**comment_form_data(article), "started": started})

    assert response.status_code == 200
    assert not Comment.objects.exists()


def test_too_many_comments_from_one_ip_get_a_429_page_saying_when_to_try_again(
    reader, make_article, comment_form_data, settings
):
    settings.COMMENTS_RATE_LIMIT = 2
    settings.COMMENTS_FLOOD_SECONDS = 0
    articles = [make_article() for _ in range(3)]

    statuses = [
        _post(reader, a, comment_form_data(a, body=f"Thought {i}")).status_code
        for i, a in enumerate(articles)
    ]
    response = _post(reader, articles[0], comment_form_data(articles[0], body="One more"))

    assert statuses == [302, 302, 429]
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.COMMENTS_RATE_WINDOW_SECONDS
    assert "Please try again in" in response.content.decode()
    assert Comment.objects.count() == 2
    # Nothing the reader wrote is lost: the form comes back holding it.
    assert ">\nOne more</textarea>" in response.content.decode()


def test_the_rate_limit_is_per_ip(article, make_article, comment_form_data, settings):
    from django.test import Client

    settings.COMMENTS_RATE_LIMIT = 1
    settings.COMMENTS_FLOOD_SECONDS = 0
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")

    assert (
        _post(first, article, comment_form_data(article, email="a@example.com")).status_code == 302
    )
    assert (
        _post(second, article, comment_form_data(article, email="b@example.com")).status_code == 302
    )
    # The first address has used its one comment: the limit was there, and only for it.
    again = comment_form_data(article, email="c@example.com", body="Once more")
    assert _post(first, article, again).status_code == 429


def test_addresses_of_one_ipv6_subscriber_share_one_limit(
    article, make_article, comment_form_data, settings
):
    from django.test import Client

    settings.COMMENTS_RATE_LIMIT = 1
    settings.COMMENTS_FLOOD_SECONDS = 0
    first = Client(REMOTE_ADDR="2001:db8:aa:1::1")
    same_subscriber = Client(REMOTE_ADDR="2001:db8:aa:1:ffff::9")
    someone_else = Client(REMOTE_ADDR="2001:db8:aa:2::1")
    other = make_article()

    assert (
        _post(first, article, comment_form_data(article, email="a@example.com")).status_code == 302
    )
    assert (
        _post(same_subscriber, other, comment_form_data(other, email="b@example.com")).status_code
        == 429
    )
    assert (
        _post(someone_else, other, comment_form_data(other, email="c@example.com")).status_code
        == 302
    )


def test_behind_our_proxy_the_rate_limit_keys_on_the_readers_address(
    article, comment_form_data, settings
):
    from django.test import Client

    settings.COMMENTS_CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_IPS = ["10.0.0.1"]
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.50")

    _post(client, article, comment_form_data(article))

    assert Comment.objects.get().ip_address == "203.0.113.50"


def test_our_proxy_reaching_a_dual_stack_socket_is_still_our_proxy(
    article, comment_form_data, settings
):
    from django.test import Client

    settings.COMMENTS_CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_IPS = ["10.0.0.1"]
    # gunicorn bound to [::] sees an IPv4 proxy as ::ffff:10.0.0.1.
    client = Client(REMOTE_ADDR="::ffff:10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50")

    _post(client, article, comment_form_data(article))

    assert Comment.objects.get().ip_address == "203.0.113.50"


def test_our_proxy_on_a_unix_socket_names_the_readers_address_and_the_limit_holds(
    article, comment_form_data, settings
):
    from django.test import Client

    settings.COMMENTS_CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 2
    # gunicorn bound to unix:/run/newsportal.sock: the peer has no address.
    client = Client(REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="203.0.113.50")

    for n in range(2):
        _post(client, article, comment_form_data(article, body=f"Thought number {n}"))
    refused = _post(client, article, comment_form_data(article, body="One too many"))

    assert refused.status_code == 429
    assert list(Comment.objects.values_list("ip_address", flat=True)) == ["203.0.113.50"] * 2


def test_only_our_proxy_may_name_the_readers_address(article, comment_form_data, settings):
    from django.test import Client

    settings.COMMENTS_CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_IPS = ["10.0.0.1"]
    client = Client(REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="203.0.113.50")

    _post(client, article, comment_form_data(article))

    assert Comment.objects.get().ip_address == "198.51.100.20"


def test_the_exact_same_comment_twice_is_refused_as_a_duplicate(
    reader, article, comment_form_data, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    _post(reader, article, comment_form_data(article))

    response = _post(reader, article, comment_form_data(article))

    assert response.status_code == 200
    assert DUPLICATE in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_repeat_whose_first_answer_was_lost_gets_the_status_link_and_no_wait(
    reader, article, comment_form_data, settings
):
    from django.test import Client

    settings.COMMENTS_FLOOD_SECONDS = 15
    _post(reader, article, comment_form_data(article))  # its answer never reached the reader

    page = _post(reader, article, comment_form_data(article)).content.decode()

    assert DUPLICATE in page and "Please wait" not in page
    # This browser wrote it: the answer leads to its status page. (Matched by shape: a status
    # link is signed with the second it is drawn in.)
    link = re.compile(
        r'Follow its review on its <a class="comment-status-link" href="/comments/status/[^"/]+/"'
    )
    assert link.search(page)
    # Another browser on the same connection typing the same words and address learns no
    # private link; on another connection, it is not even told the address wrote them.
    same_connection = Client(REMOTE_ADDR="198.51.100.7")
    other = _post(same_connection, article, comment_form_data(article)).content.decode()
    assert DUPLICATE in other and "/comments/status/" not in other
    elsewhere = _post(Client(), article, comment_form_data(article)).content.decode()
    assert DUPLICATE not in elsewhere and "/comments/status/" not in elsewhere


def test_two_readers_behind_one_address_may_write_the_same_words(
    article, comment_form_data, settings
):
    # An office network or a mobile carrier puts many readers behind one IP: the second to write
    # "Great article!" was told they had already sent it, and nothing was stored.
    from django.test import Client

    settings.COMMENTS_FLOOD_SECONDS = 0
    words = {"body": "Great article!"}
    _post(Client(REMOTE_ADDR="198.51.100.7"), article, comment_form_data(article, **words))
    other_reader = comment_form_data(article, name="Jon Park", email="jon@example.net", **words)

    page = _post(Client(REMOTE_ADDR="198.51.100.7"), article, other_reader).content.decode()

    assert DUPLICATE not in page
    assert sorted(Comment.objects.values_list("email", flat=True)) == [
        "jon@example.net",
        "maria@example.com",
    ]


def test_after_a_few_minutes_the_answer_says_nothing_of_the_address_typed(
    article, comment_form_data, settings
):
    # Someone behind the same office IP typing a commenter's exact words with her address, then
    # with another, learned from the two answers whether that address wrote them.
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    settings.COMMENTS_FLOOD_SECONDS = 0
    words = {"body": "Great article!"}
    _post(Client(REMOTE_ADDR="198.51.100.7"), article, comment_form_data(article, **words))
    Comment.objects.update(created_at=timezone.now() - timedelta(minutes=11))

    hers = comment_form_data(article, name="Someone", email="MARIA@example.com", **words)
    other = comment_form_data(article, name="Someone", email="someone@example.net", **words)
    answers = [
        _post(Client(REMOTE_ADDR="198.51.100.7"), article, data).content.decode()
        for data in (hers, other)
    ]

    assert [DUPLICATE in answer for answer in answers] == [False, False]
    assert Comment.objects.count() == 3


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_a_cache_outage_never_blocks_a_comment(
    reader, article, comment_form_data, caplog, settings, committed
):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.example"]
    broken = BrokenCache()
    with (
        mock.patch("comments.ratelimit.cache", broken),
        mock.patch("newsportal.caching.cache", broken),
        mock.patch("comments.moderator_mail.cache", broken),
        caplog.at_level(logging.WARNING),
    ):
        # Its moderators' mail too, queued after its commit, the throttle's cache away.
        response = committed(_post, reader, article, comment_form_data(article), follow=True)

    assert response.status_code == 200
    assert Comment.objects.count() == 1
    assert [m["to"] for m in queued("moderators")] == ["desk@newsroom.example"]
    assert "rate limit unavailable" in caplog.text
    assert "maria@example.com" not in caplog.text


def test_the_rate_limit_holds_across_processes_sharing_redis(settings, redis_url):
    """Two cache clients (two server processes) on one Redis see one count."""
    from django.core.cache.backends.redis import RedisCache

    from comments import ratelimit

    settings.COMMENTS_RATE_LIMIT = 2
    prefix = f"test-comments-{time.time_ns()}"
    process_a = RedisCache(redis_url, {"KEY_PREFIX": prefix})
    process_b = RedisCache(redis_url, {"KEY_PREFIX": prefix})
    ip = "198.51.100.99"

    verdicts = []
    for process in (process_a, process_b, process_a):
        with mock.patch.object(ratelimit, "cache", process):
            verdicts.append(ratelimit.hit_rate_limit(ip).allowed)

    # Its own key prefix and the window timeout keep it apart from anything else in Redis.
    assert verdicts == [True, True, False]
