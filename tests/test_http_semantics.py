"""HTTP done right: 304s, ETags and HEAD as clients expect them, the methods each page takes,
CSRF on every form, links from SITE_URL, and long-lived media."""

import re
import time

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article
from articles.services import unpublish_articles


@pytest.mark.parametrize("url", ["/feed/", "/atom/", "/sitemap.xml", "/"])
def test_a_304_keeps_the_content_type_and_sends_no_empty_length(client, article, url):
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["Content-Type"] == first["Content-Type"]
    assert again.get("Content-Length") != "0"


@pytest.mark.parametrize("url", ["/feed/", "/", "/articles/{slug}/"])
def test_a_304_names_the_same_surrogate_keys_as_the_200(client, article, url):
    # A CDN revalidating against the origin refreshes what it stored from the 304's headers:
    # without the keys, a later purge of the story would no longer reach that copy.
    url = url.format(slug=article.slug)
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert first["Surrogate-Key"]
    assert again.get("Surrogate-Key") == first["Surrogate-Key"]


@pytest.mark.parametrize(
    "url", ["/feed/", "/atom/", "/section/technology/feed/", "/sitemap-news.xml"]
)
def test_a_feed_reader_revalidating_by_date_gets_a_story_taken_down_out_of_its_copy(
    client, make_article, url
):
    older = make_article(title="The story that stays")
    newest = make_article(title="The story taken down", published_at=timezone.now())
    assert newest.slug in client.get(url).content.decode()

    unpublish_articles(queryset=Article.objects.filter(pk=newest.pk))
    # A reader that revalidates with the date of its copy (no ETag kept), as many feed readers
    # and crawlers do: the list is older than the copy's date now, yet it changed.
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(time.time()))

    assert again.status_code == 200
    page = again.content.decode()
    assert newest.slug not in page and older.slug in page


def test_etags_come_from_the_content_so_every_process_agrees(client, article):
    from django.core.cache import cache

    first = client.get(article.get_absolute_url())["ETag"]
    cache.clear()

    assert client.get(article.get_absolute_url())["ETag"] == first


@pytest.mark.parametrize("path", ["/robots.txt", "/healthz", "/", "/feed/", "/sitemap.xml"])
def test_head_works_wherever_get_does(client, article, path):
    assert client.head(path).status_code == 200
    assert client.head(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("page", ["report", "privacy", "status", "form-token"])
def test_head_works_on_the_comment_pages_too(client, approved_comment, page):

    url = {
        "report": reverse("comments:report", args=[approved_comment.pk]),
        "privacy": reverse("comments:privacy"),
        "status": approved_comment.status_url,
        "form-token": reverse("comments:form-token", args=[approved_comment.article_id]),
    }[page]

    assert client.get(url).status_code == 200
    head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""


@pytest.mark.parametrize("path", ["/", "/feed/", "/robots.txt", "article"])
def test_a_head_carries_the_get_s_etag_and_revalidates_as_a_get_does(client, article, path):
    # What a CDN, a link checker or a monitor asking with HEAD is owed (RFC 9110 13.1.2).
    path = article.get_absolute_url() if path == "article" else path
    get = client.get(path)

    assert client.head(path)["ETag"] == get["ETag"]
    again = client.head(path, HTTP_IF_NONE_MATCH=get["ETag"])
    assert again.status_code == 304
    assert again["Content-Type"] == get["Content-Type"]
    assert "Content-Length" not in again


def as_gunicorn_gets_it(method, url, cookies):
    """The answer as it leaves Django for the WSGI server: the test client drops a HEAD answer's
    body itself, so it cannot tell whether the site sent one."""
    factory = RequestFactory()
    factory.cookies = cookies
    return WSGIHandler().get_response(factory.generic(method, url))


@pytest.mark.parametrize("page", ["admin-index", "admin-login", "privacy", "status"])
def test_head_sends_the_headers_of_the_get_and_no_body(client, moderator, approved_comment, page):
    url = {
        "admin-index": "/admin/",
        "admin-login": "/admin/login/",
        "privacy": "/comments/privacy/",
        "status": approved_comment.status_url,
    }[page]
    if page == "admin-index":
        client.force_login(moderator)

    get = as_gunicorn_gets_it("GET", url, client.cookies)
    head = as_gunicorn_gets_it("HEAD", url, client.cookies)

    assert (get.status_code, head.status_code) == (200, 200)
    assert get.content and head.content == b""
    assert head["Content-Length"] == get["Content-Length"] == str(len(get.content))
    assert set(head.headers) == set(get.headers)
    for name in ("Content-Type", "Cache-Control", "Vary", "X-Frame-Options"):
        assert head.get(name) == get.get(name), name


@pytest.mark.parametrize(
    "path", ["/robots.txt", "/healthz", "/", "/feed/", "/sitemap.xml", "/search/?q=car"]
)
def test_read_only_pages_refuse_other_methods(article, path):
    # As a real client meets them: the CSRF check on (it must not answer first with a 403).
    client = Client(enforce_csrf_checks=True)
    for url in (path, article.get_absolute_url(), f"/comments/form-token/{article.pk}/"):
        for method in (client.post, client.put, client.delete, client.patch):
            response = method(url)
            assert (response.status_code, response["Allow"]) == (405, "GET, HEAD"), url


def test_forms_still_refuse_a_post_without_its_csrf_token(article, make_comment):
    from django.core import mail

    from tests.mail_helpers import run_mail_queue

    # Waiting for a moderator, so its writer may still edit or delete it: only the CSRF
    # check stands in the way.
    waiting = make_comment(article, body="My own words")
    client = Client(enforce_csrf_checks=True)
    status = waiting.status_url
    # The page signs its own links (a timestamped token), so match the link, not the string.
    page = client.get(status).content.decode()
    assert re.search(r'href="/comments/status/[^"/]+/edit/">Edit</a>', page)
    posts = {
        f"{status}edit/": {"body": "Forged words"},
        f"{status}delete/": {},
        f"{status}privacy/": {"action": "erase"},
        "/comments/privacy/": {"email": waiting.email, "action": "erase"},
    }

    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url

    waiting.refresh_from_db()
    assert (waiting.body, waiting.withdrawn_at) == ("My own words", None)
    run_mail_queue()
    assert mail.outbox == []  # no privacy link mailed


def test_forms_refuse_methods_they_never_take(approved_comment):
    client = Client(enforce_csrf_checks=True)
    for url in (
        "/comments/privacy/",
        f"/comments/report/{approved_comment.pk}/",
        f"{approved_comment.status_url}edit/",
        f"{approved_comment.status_url}privacy/",
    ):
        for method in (client.put, client.delete):
            response = method(url)
            assert (response.status_code, response["Allow"]) == (405, "GET, HEAD, POST"), url


def test_the_address_of_check_your_mail_leads_back_to_the_comment_when_opened_again(
    approved_comment,
):
    # Export or Erase on a status page answers "Check your mail" at this address; opened again
    # from the address bar or the history, it was a blank page (a 405 with no words).
    client = Client(enforce_csrf_checks=True)
    status_url = approved_comment.status_url  # signed once: a link holds the second it is made
    for method in (client.get, client.head):
        response = method(f"{status_url}privacy/")
        assert response.status_code == 302
        assert response["Location"] == status_url
    page = client.get(f"{status_url}privacy/", follow=True)
    assert page.status_code == 200 and "Export" in page.content.decode()


def test_the_address_a_comment_form_came_back_at_leads_to_the_article_when_opened_again(
    article, draft
):
    # Without JavaScript every first send comes back at it ("press Send comment once more"),
    # as do form errors: the reader presses Enter in the address bar, or opens it from history.
    client = Client(enforce_csrf_checks=True)
    url = reverse("comments:post", args=[article.pk])
    for method in (client.get, client.head):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"] == f"{article.get_absolute_url()}#comment-form"
    assert client.get(url, follow=True).status_code == 200
    # A story that is not on the site is not named.
    assert client.get(reverse("comments:post", args=[draft.pk])).status_code == 404


def test_the_address_a_comment_form_came_back_at_leads_to_the_comments_once_they_closed(
    article,
):
    # No form to land on: the section where "Comments are closed" is.
    Article.objects.filter(pk=article.pk).update(comments_enabled=False)

    response = Client().get(reverse("comments:post", args=[article.pk]))

    assert response["Location"] == f"{article.get_absolute_url()}#comments"


@pytest.mark.parametrize(
    "headers", [{"HTTP_HOST": "localhost:6666"}, {"HTTP_X_FORWARDED_PROTO": "https"}]
)
@pytest.mark.parametrize("path", ["/feed/", "/atom/", "/sitemap.xml", "/robots.txt"])
def test_shared_feeds_and_sitemaps_link_to_site_url_whatever_the_request_says(
    client, article, settings, headers, path
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SITE_URL = "https://news.example.com"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "news.example.com"]

    text = client.get(path, **headers).content.decode()

    assert "https://news.example.com/" in text
    assert "localhost:6666" not in text and "https://testserver" not in text


def test_media_files_are_cacheable_for_a_month(client, settings, tmp_path, db):
    (tmp_path / "media").mkdir(exist_ok=True)
    (tmp_path / "media" / "photo.jpg").write_bytes(b"not really a jpeg")
    settings.MEDIA_ROOT = tmp_path / "media"

    response = client.get("/media/photo.jpg")

    assert response.status_code == 200
    assert "max-age=2592000" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_a_media_file_revalidated_by_date_keeps_its_type_and_sends_no_empty_length(
    client, settings, tmp_path, db
):
    # What a CDN or browser holding the picture asks once its month is up.
    (tmp_path / "media").mkdir(exist_ok=True)
    (tmp_path / "media" / "photo.jpg").write_bytes(b"not really a jpeg")
    settings.MEDIA_ROOT = tmp_path / "media"
    first = client.get("/media/photo.jpg")

    again = client.get("/media/photo.jpg", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304
    assert again["Content-Type"] == first["Content-Type"] == "image/jpeg"
    assert "Content-Length" not in again  # "0" would say the picture is empty
    assert again["Cache-Control"] == first["Cache-Control"]


def test_a_media_file_tells_any_cache_it_never_changes_and_may_stand_in_for_an_outage(
    client, settings, tmp_path, db
):
    # A name is never reused for other content: browsers need not revalidate on reload, and a
    # CDN in front (not only our proxy, which keeps a day by its own rule) may serve its copy
    # while the origin is down.
    (tmp_path / "media").mkdir(exist_ok=True)
    (tmp_path / "media" / "photo.jpg").write_bytes(b"not really a jpeg")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EDGE_STALE_IF_ERROR_SECONDS = 86400

    cache_control = client.get("/media/photo.jpg")["Cache-Control"]

    assert "immutable" in cache_control
    assert "stale-if-error=86400" in cache_control
