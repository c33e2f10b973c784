"""A reader asked to wait is told for how long in plain words: "1 second", never "1 seconds"
(the report page always said it so; the comment form and the privacy form did not)."""

import re
from datetime import UTC, datetime, timedelta
from unittest import mock

from django.urls import reverse

from tests.comment_fixtures import send_report


def _post(client, article, data):
    return client.post(reverse("comments:post", args=[article.pk]), data)


def test_the_flood_interval_says_one_second(reader, article, comment_form_data, settings):
    settings.COMMENTS_FLOOD_SECONDS = 1
    _post(reader, article, comment_form_data(article, body="First thought"))

    response = _post(reader, article, comment_form_data(article, body="Second thought"))

    assert response.status_code == 429
    assert "Please wait 1 second before sending another comment." in response.content.decode()


def test_the_rate_limit_says_one_second(reader, article, comment_form_data, settings):
    settings.TIME_ZONE = "Asia/Tokyo"  # no summer time: the zone's name is always JST
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 1
    settings.COMMENTS_RATE_WINDOW_SECONDS = 1
    # Both posts in the same second, the window's last: one second is left of it.
    with mock.patch("comments.ratelimit.time.time", return_value=1_800_000_000.5):
        _post(reader, article, comment_form_data(article, body="First thought"))
        response = _post(reader, article, comment_form_data(article, body="Second thought"))

    assert response.status_code == 429
    page = response.content.decode()
    assert "Please try again in 1 second, after" in page
    # The time names its zone: a reader elsewhere would read it as their own.
    assert re.search(r"after \d\d:\d\d JST\.", page)
    # Said once: the summary's heading already says it was not sent.
    assert page.count("Your comment was not sent") == 1
    assert "Your text is kept below." in page and "Second thought" in page


def test_the_privacy_form_says_one_second(reader, db):
    # The limit's window is an hour: these asks come in its last second.
    last_second = 3600 * 500_000 + 3599
    with mock.patch("comments.ratelimit.time.time", return_value=last_second):
        for _ in range(6):
            response = reader.post(
                reverse("comments:privacy"), {"email": "maria@example.com", "action": "export"}
            )

    assert response.status_code == 429
    assert "Please try again in 1 second." in response.content.decode()


def test_the_time_to_try_again_is_right_across_a_clock_change(
    reader, article, comment_form_data, settings
):
    settings.TIME_ZONE = "Europe/London"
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 1
    settings.COMMENTS_RATE_WINDOW_SECONDS = 3600
    # 01:58 BST on 25 Oct 2026; the window ends 120 s later, at 01:00 GMT (the clocks go
    # back at 02:00 BST), not at 02:00 GMT, which is an hour later.
    now = datetime(2026, 10, 25, 0, 58, tzinfo=UTC)
    type(article).objects.filter(pk=article.pk).update(published_at=now - timedelta(days=1))
    with (
        mock.patch("comments.ratelimit.time.time", return_value=now.timestamp()),
        mock.patch("django.utils.timezone.now", return_value=now),
    ):
        _post(reader, article, comment_form_data(article, body="First thought"))
        response = _post(reader, article, comment_form_data(article, body="Second thought"))

    assert response.status_code == 429
    said = re.search(r"Please try again in [^<]*", response.content.decode()).group(0)
    assert "in 120 seconds, after 01:00 GMT." in said, said


def test_a_wait_of_many_minutes_is_told_in_minutes(reader, db):
    """The words "Please try again in 1541 seconds" left a reader to do the sum: past two
    minutes, the wait is told in whole minutes, rounded up (Retry-After still counts seconds)."""
    # The limit's window is an hour: these asks come 1,541 seconds before its end.
    with mock.patch("comments.ratelimit.time.time", return_value=3600 * 500_000 + 2059):
        for _ in range(6):
            response = reader.post(
                reverse("comments:privacy"), {"email": "maria@example.com", "action": "export"}
            )

    assert response.status_code == 429
    assert response["Retry-After"] == "1541"
    assert "Please try again in 26 minutes." in response.content.decode()


def test_a_report_refused_for_a_long_wait_is_told_it_in_minutes(
    reader_with_token, settings, article, make_comment
):
    settings.COMMENTS_REPORT_LIMIT = 1
    settings.COMMENTS_REPORT_WINDOW_SECONDS = 3600
    first, second = (make_comment(article, status="approved") for _ in range(2))
    reader = reader_with_token(article)
    with mock.patch("comments.ratelimit.time.time", return_value=3600 * 500_000 + 2059):
        send_report(reader, first)
        response = send_report(reader, second)

    assert response.status_code == 429
    assert "Please try again in 26 minutes, after" in response.content.decode()
