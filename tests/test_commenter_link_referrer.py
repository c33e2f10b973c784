"""Pages whose address holds a secret token (a comment's status page, the pages of the links
mailed to a commenter) send our origin alone as the Referer of the requests they make (not
no-referrer, which makes browsers send `Origin: null` with a form, refused by the CSRF check:
tests/browser/test_commenter_control.py presses them): same-origin ones carried
the whole address, token and all, to every stylesheet and script, and the proxy's log
(varnishncsa writes each request's Referer; only the page's own request is left out) or a
CDN's kept a key that edits, deletes or erases the comment."""

import pytest
from django.test import Client

from comments import links
from comments.models import CommenterAddress


@pytest.fixture
def maria_s_pages(article, make_comment, settings):
    comment = make_comment(article, email="maria@example.com")
    address = CommenterAddress.objects.create(email="maria@example.com")
    mailed = [
        links.stop_mail_url(address.pk),
        links.privacy_url(address.pk, "export"),
        links.privacy_url(address.pk, "erase"),
        links.confirm_url(address),
        links.unsubscribe_url(comment.pk),
    ]
    status = comment.status_url
    own = [status, f"{status}edit/", f"{status}delete/"]
    return own + [link.removeprefix(settings.SITE_URL) for link in mailed]


def test_every_page_at_a_secret_address_sends_only_our_origin_as_referer(maria_s_pages):
    for page in maria_s_pages:
        response = Client().get(page)
        assert response.status_code == 200, page
        assert response["Referrer-Policy"] == "strict-origin", page


def test_a_button_s_answer_at_such_an_address_too(article, make_comment):
    comment = make_comment(article)
    browser = Client(enforce_csrf_checks=True)
    browser.get(comment.status_url)
    token = browser.cookies["csrftoken"].value
    browser.cookies.clear()  # a browser that blocks cookies: the answer is drawn at this address

    answer = browser.post(f"{comment.status_url}delete/", {"csrfmiddlewaretoken": token})

    assert answer["Referrer-Policy"] == "strict-origin"


def test_the_article_page_keeps_the_site_s_policy(client, article):
    response = client.get(article.get_absolute_url())

    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
