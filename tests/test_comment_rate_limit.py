"""The rate limit counts comments, not a reader's mistakes: a form sent back with errors (no
e-mail, the text too long, "That was quick!") no longer costs one of the connection's comments
per window, while a client that never gets the form right still meets a limit of its own.
(The limit's first rules, and a cache outage: test_comment_spam.)"""

from unittest import mock

from django.test import Client
from django.urls import reverse

from comments.forms import TOO_FAST
from comments.models import Comment

COMMENTS_LIMITED = (
    "Several comments were sent from your connection in a short time; to keep spam out we take "
    "only a few from one connection at a time. Please try again in"
)
TRIES_LIMITED = (
    "The comment form was sent from your connection many times in a short time (with those it "
    "sent back for errors); to keep spam out we take only so many tries from one connection at "
    "a time. Please try again in"
)
# How many posts of the form a connection may send per window for each comment it may send
# (comments.ratelimit.TRIES_FACTOR).
TRIES_FACTOR = 4


def _limit(settings, *, comments):
    settings.COMMENTS_RATE_LIMIT = comments
    settings.COMMENTS_FLOOD_SECONDS = 0  # comments in a row (the interval: test_comment_flood)


def _post(client, article, data):
    return client.post(reverse("comments:post", args=[article.pk]), data)


def _mistakes(article, comment_form_data, email):
    """What a reader in a lively discussion gets wrong now and then."""
    return [
        comment_form_data(article, email="", body="Forgot my address"),
        comment_form_data(article, email=email, body="Far too long. " * 300),
        comment_form_data(article, email=email, seconds_ago=0, body="Sent at once"),
    ]


def _comments(article, comment_form_data, email, count):
    return [
        comment_form_data(article, email=email, body=f"Thought number {n}") for n in range(count)
    ]


def test_a_reader_whose_form_came_back_with_errors_may_send_as_many_comments_as_one_without(
    article, comment_form_data, settings
):
    _limit(settings, comments=5)
    careful, hasty = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    sent_back = [
        _post(hasty, article, data) for data in _mistakes(article, comment_form_data, "h@x.org")
    ]
    assert [r.status_code for r in sent_back] == [200, 200, 200]
    assert TOO_FAST in sent_back[-1].content.decode()

    answers = {}
    for name, reader in (("careful", careful), ("hasty", hasty)):
        email = f"{name}@example.com"
        answers[name] = [
            _post(reader, article, data) for data in _comments(article, comment_form_data, email, 6)
        ]

    statuses = {name: [r.status_code for r in sent] for name, sent in answers.items()}
    assert statuses == {"careful": [302] * 5 + [429], "hasty": [302] * 5 + [429]}
    assert Comment.objects.filter(email="hasty@example.com").count() == 5
    refused = answers["hasty"][-1].content.decode()
    # Told the truth: five of their comments did arrive; the forms sent back are not named.
    assert COMMENTS_LIMITED in refused
    assert "sent back" not in refused
    assert ">\nThought number 5</textarea>" in refused  # the text kept


def test_a_reader_who_fixes_an_error_before_each_comment_is_not_held_back(
    article, comment_form_data, settings
):
    _limit(settings, comments=5)
    reader = Client(REMOTE_ADDR="192.0.2.3")

    statuses = []
    for n, comment in enumerate(_comments(article, comment_form_data, "r@example.com", 5)):
        mistake = _mistakes(article, comment_form_data, "r@example.com")[n % 3]
        statuses += [_post(reader, article, mistake).status_code]
        statuses += [_post(reader, article, comment).status_code]

    assert statuses == [200, 302] * 5
    assert Comment.objects.count() == 5


def test_a_client_sending_only_forms_with_errors_is_refused_after_a_bounded_number(
    article, comment_form_data, settings
):
    _limit(settings, comments=5)
    bot = Client(REMOTE_ADDR="203.0.113.66")
    bad = comment_form_data(article, started="", body="Buy now")

    statuses = [_post(bot, article, bad).status_code for _ in range(5 * TRIES_FACTOR)]
    refused = _post(bot, article, bad)
    # Getting the form right at last earns it nothing more in this window.
    good = _post(bot, article, comment_form_data(article, body="Now a real one"))

    assert statuses == [200] * (5 * TRIES_FACTOR)
    assert [refused.status_code, good.status_code] == [429, 429]
    page = good.content.decode()
    assert TRIES_LIMITED in page
    assert 0 < int(good["Retry-After"]) <= settings.COMMENTS_RATE_WINDOW_SECONDS
    assert ">\nNow a real one</textarea>" in page
    assert not Comment.objects.exists()
    # Its neighbour on another connection is not held back by it.
    other = _post(Client(REMOTE_ADDR="203.0.113.67"), article, comment_form_data(article))
    assert other.status_code == 302


def test_a_bot_filling_the_honeypot_still_meets_the_comments_limit(
    article, comment_form_data, settings
):
    _limit(settings, comments=2)
    bot = Client(REMOTE_ADDR="203.0.113.70")
    spam = comment_form_data(article, website="http://spam.example", body="Spam")

    statuses = [_post(bot, article, spam).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert not Comment.objects.exists()


def test_a_double_click_takes_the_place_of_one_comment(article, comment_form_data, settings):
    from django.conf import settings as django_settings

    _limit(settings, comments=2)
    browser = Client(REMOTE_ADDR="198.51.100.7")
    browser.cookies[django_settings.CSRF_COOKIE_NAME] = "a" * 32
    first = comment_form_data(article, body="Said once")
    presses = [_post(browser, article, first).status_code for _ in range(2)]

    second = _post(browser, article, comment_form_data(article, body="Said twice"))

    assert presses == [302, 302]
    assert second.status_code == 302
    assert Comment.objects.count() == 2


def test_a_press_again_of_the_last_comment_allowed_is_answered_as_sent(
    article, comment_form_data, settings
):
    """At the limit, a repeat of the comment just stored (its answer lost, or a double click
    without JavaScript) is answered as the first was, not told to wait with its text "kept"."""
    from django.conf import settings as django_settings

    _limit(settings, comments=1)
    browser = Client(REMOTE_ADDR="198.51.100.9")
    browser.cookies[django_settings.CSRF_COOKIE_NAME] = "b" * 32
    data = comment_form_data(article, body="My one comment")

    presses = [_post(browser, article, data) for _ in range(2)]

    assert [press.status_code for press in presses] == [302, 302]
    assert presses[1]["Location"] == presses[0]["Location"]
    assert Comment.objects.count() == 1


def test_a_comment_not_stored_after_all_takes_no_place(article, comment_form_data, settings):
    _limit(settings, comments=1)
    reader = Client(REMOTE_ADDR="198.51.100.8")
    data = comment_form_data(article, body="Worth keeping")
    # Comments close in the moment between the page's check and the comment being stored.
    with mock.patch("comments.services.comments_open", return_value=False):
        refused = _post(reader, article, data)
    assert refused.status_code == 200
    assert "Worth keeping" in refused.content.decode()

    # Open again: the reader's one comment of the window is still theirs to send.
    assert _post(reader, article, data).status_code == 302
    assert Comment.objects.get().body == "Worth keeping"
