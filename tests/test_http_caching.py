"""What shared caches (a CDN, the Varnish in deploy/) are told: anonymous pages may be kept and
are purged by key when a write changes them; anything personal is kept by nobody."""

import re
import time
from unittest import mock

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article
from articles.services import unpublish_articles
from comments.models import Comment

SHARED = ("public", "s-maxage=300", "stale-while-revalidate=30", "stale-if-error=86400")


def assert_shared(response, *keys):
    assert response.status_code in (200, 404), response.status_code
    cache_control = response["Cache-Control"]
    for directive in SHARED:
        assert directive in cache_control
    assert "private" not in cache_control and "no-store" not in cache_control
    assert not response.cookies, "a shared response must set no cookie"
    assert "Cookie" not in response.get("Vary", "")
    surrogate_keys = response["Surrogate-Key"].split()
    for key in ("site", *keys):
        assert key in surrogate_keys


def assert_personal(response):
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "public" not in cache_control
    assert "Surrogate-Key" not in response


def shared_urls(article, tag):
    return [
        "/",
        "/?page=2",
        article.section.get_absolute_url(),
        article.authors.first().get_absolute_url(),
        tag.get_absolute_url(),
        "/search/?q=car",
        "/feed/",
        "/atom/",
        f"{article.section.get_absolute_url()}feed/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
    ]


def test_anonymous_lists_feeds_and_sitemaps_are_shared(client, article, tag, second_page):
    article.tags.add(tag)
    for url in shared_urls(article, tag):
        assert_shared(client.get(url), "list")


def test_an_anonymous_article_page_is_shared_and_names_every_article_it_shows(
    client, article, make_article, add_related
):
    other = make_article(title="Batteries are getting cheaper")
    add_related(article, other)

    response = client.get(article.get_absolute_url())

    assert_shared(response, f"article-{article.pk}", f"article-{other.pk}")
    html = response.content.decode()
    # Nothing of one reader: the form is there, without a token or a start time.
    assert 'name="csrfmiddlewaretoken" value=""' in html
    assert 'name="started" value=""' in html
    assert "csrftoken" not in response.cookies


def test_every_page_that_shows_a_story_carries_its_listed_key(client, article, tag, make_article):
    # What a takedown purges for good (tests/test_purges.py, tests/test_proxy_soft_purge.py):
    # the lists, feeds and search results that show the story, other stories' rails; sitemaps,
    # which name every story, carry one key for all.
    article.tags.add(tag)
    other = make_article(title="Batteries are getting cheaper")
    showing = [
        "/",
        article.section.get_absolute_url(),
        article.authors.first().get_absolute_url(),
        tag.get_absolute_url(),
        "/search/?q=car",
        "/feed/",
        "/atom/",
        f"{article.section.get_absolute_url()}feed/",
        other.get_absolute_url(),
    ]
    for url in showing:
        assert_shared(client.get(url), f"listed-{article.pk}")
    for url in ("/sitemap-articles.xml", "/sitemap-news.xml"):
        assert_shared(client.get(url), "listed-all")

    elsewhere = client.get("/search/?q=batteries")
    assert other.title in elsewhere.content.decode()
    assert f"listed-{article.pk}" not in elsewhere["Surrogate-Key"].split()


def test_robots_txt_and_a_missing_page_are_shared(client, db):
    assert_shared(client.get("/robots.txt"))
    # An article address that finds nothing is kept for seconds only (a scheduled story may
    # appear there): tests/test_article_publishing_dates.py.
    assert_shared(client.get("/no-such-page/"), "list")


def test_a_signed_in_readers_page_is_theirs_alone(client, article, django_user_model):
    client.force_login(django_user_model.objects.create_user("ivy", "ivy@example.com", "pw"))

    response = client.get(article.get_absolute_url())

    assert_personal(response)
    assert "Signed in as <strong>ivy</strong> (ivy@example.com)" in response.content.decode()


def test_the_page_after_posting_is_the_posters_alone(reader, article, comment_form_data, settings):
    response = reader.post(reverse("comments:post", args=[article.pk]), comment_form_data(article))
    assert_personal(response)

    page = reader.get(response["Location"])

    assert_personal(page)
    assert "Comment sent successfully!" in page.content.decode()
    assert "private status page" in page.content.decode()
    assert "Comment sent successfully!" not in Client().get(response["Location"]).content.decode()


def test_form_errors_the_status_page_and_the_admin_are_personal(
    reader, article, comment_form_data, submit, staff_client
):
    errors = reader.post(
        reverse("comments:post", args=[article.pk]), {**comment_form_data(article), "email": "x"}
    )
    assert errors.status_code == 200
    assert_personal(errors)
    assert_personal(Client().get(submit(article).status_url))
    assert_personal(staff_client.get("/admin/"))
    assert_personal(Client().get("/admin/login/"))


def test_a_reply_form_without_javascript_is_the_readers_alone_and_expected(
    client, approved_comment, caplog
):
    url = f"{approved_comment.article.get_absolute_url()}?reply-to={approved_comment.pk}"

    response = client.get(url)

    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken" value="' in response.content.decode()
    assert_personal(response)
    assert "made private" not in caplog.text  # by design, not a bug to chase


def test_a_draft_preview_is_personal(staff_client, draft):
    response = staff_client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert_personal(response)


def test_the_token_request_is_tiny_personal_and_sets_the_csrf_cookie(client, article):
    response = client.get(reverse("comments:form-token", args=[article.pk]))

    assert response.status_code == 200
    assert_personal(response)
    assert set(response.json()) == {"csrfmiddlewaretoken", "started"}
    assert "csrftoken" in response.cookies


def test_a_comment_from_a_cached_page_posts_with_the_fetched_token(article, comment_form_data):
    browser = Client(enforce_csrf_checks=True)
    browser.get(article.get_absolute_url())
    tokens = browser.get(reverse("comments:form-token", args=[article.pk])).json()

    with mock.patch("comments.tokens.time.time", return_value=time.time() + 10):
        response = browser.post(
            reverse("comments:post", args=[article.pk]), {**comment_form_data(article), **tokens}
        )

    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_without_javascript_a_comment_from_a_cached_page_is_sent_once_more(
    article, comment_form_data
):
    browser = Client(enforce_csrf_checks=True)
    form = comment_form_data(article, body="Written on a shared page.")
    form.update(csrfmiddlewaretoken="", started="")  # as the shared page has them

    first = browser.post(reverse("comments:post", args=[article.pk]), form)

    assert first.status_code == 200
    assert_personal(first)
    html = first.content.decode()
    assert "once more" in html and "Written on a shared page." in html
    assert not Comment.objects.exists()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    with mock.patch("comments.tokens.time.time", return_value=time.time() + 10):
        second = browser.post(
            reverse("comments:post", args=[article.pk]),
            {**form, "csrfmiddlewaretoken": token, "started": started},
        )
    assert second.status_code == 302
    assert Comment.objects.get().body == "Written on a shared page."


def test_without_javascript_a_reader_pressing_send_again_too_soon_is_not_caught_in_a_loop(
    article, comment_form_data
):
    browser = Client(enforce_csrf_checks=True)
    form = comment_form_data(article, body="Sent from a shared page, quickly.")
    form.update(csrfmiddlewaretoken="", started="")  # as the shared page has them
    url = reverse("comments:post", args=[article.pk])
    clock = float(int(time.time()))

    def post(at, fields):
        with mock.patch("comments.tokens.time.time", return_value=clock + at):
            response = browser.post(url, fields)
        if response.status_code != 200:
            return response, fields
        html = response.content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        started = re.search(r'name="started" value="([^"]+)"', html).group(1)
        return response, {**fields, "csrfmiddlewaretoken": token, "started": started}

    first, form = post(0, form)
    assert "once more" in first.content.decode()
    too_soon, form = post(1, form)  # pressed again at once: COMMENTS_MIN_FORM_SECONDS is 3
    assert "That was quick!" in too_soon.content.decode()
    assert "Sent from a shared page, quickly." in too_soon.content.decode()
    # 3.2 s after the form came back to be sent again, though only 2.2 s after "That was quick!"
    sent, _ = post(3.2, form)

    assert sent.status_code == 302
    assert Comment.objects.get().body == "Sent from a shared page, quickly."


# --- HTTP done right -----------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/feed/", "/atom/", "/sitemap.xml", "/"])
def test_a_304_keeps_the_content_type_and_sends_no_empty_length(client, article, url):
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["Content-Type"] == first["Content-Type"]
    assert again.get("Content-Length") != "0"


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
    from django.urls import reverse

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
    ):
        for method in (client.put, client.delete):
            response = method(url)
            assert (response.status_code, response["Allow"]) == (405, "GET, HEAD, POST"), url
    response = client.put(f"{approved_comment.status_url}privacy/")
    assert (response.status_code, response["Allow"]) == (405, "POST")


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
