"""Every answer at an address holding a commenter's token tells the browser to send our origin
alone as the Referer of what the page loads, whichever layer drew it (the CSRF check's
refusal, the 500 and 503 pages): their stylesheets' requests carried the whole address, token
and all, into the proxy's log."""

import re

import pytest
from django.db import OperationalError
from django.test import Client

from comments import views

OURS_ALONE = "strict-origin"


def _status_page_open(comment):
    browser = Client(enforce_csrf_checks=True)
    status_url = comment.status_url  # signed with the time: read once
    page = browser.get(status_url).content.decode()
    assert re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return browser, status_url


def test_a_stale_form_s_refusal_at_a_token_address_sends_our_origin_alone(article, make_comment):
    browser, status_url = _status_page_open(make_comment(article))

    refused = browser.post(f"{status_url}delete/", {"csrfmiddlewaretoken": "x" * 64})

    assert refused.status_code == 403
    assert refused["Referrer-Policy"] == OURS_ALONE


@pytest.mark.parametrize(
    ("error", "status"),
    [(RuntimeError("a bug"), 500), (OperationalError("server closed the connection"), 503)],
)
def test_the_error_pages_at_a_token_address_send_our_origin_alone(
    article, make_comment, monkeypatch, error, status
):
    status_url = make_comment(article).status_url

    def fails(token):
        raise error

    monkeypatch.setattr(views, "comment_from_token", fails)
    answer = Client(raise_request_exception=False).get(status_url)

    assert answer.status_code == status
    assert 'rel="stylesheet"' in answer.content.decode()
    assert answer["Referrer-Policy"] == OURS_ALONE


def test_a_missing_page_below_a_mailed_link_sends_our_origin_alone(client, db):
    answer = client.get("/comments/unsubscribe/some-token/nothing-here/")

    assert answer.status_code == 404
    assert answer["Referrer-Policy"] == OURS_ALONE


def test_pages_without_a_token_keep_the_site_s_policy(client, article):
    for url in [article.get_absolute_url(), "/comments/status/", "/"]:
        assert client.get(url)["Referrer-Policy"] == "strict-origin-when-cross-origin", url
