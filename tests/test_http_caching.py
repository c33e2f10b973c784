"""What shared caches (a CDN, the Varnish in deploy/) are told: anonymous pages may be kept and
are purged by key when a write changes them; anything personal is kept by nobody."""

import re
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from comments.models import Comment, ModerationPolicy

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


def test_anonymous_lists_feeds_and_sitemaps_are_shared(client, article, tag):
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


def test_robots_txt_and_a_missing_page_are_shared(client, db):
    assert_shared(client.get("/robots.txt"))
    assert_shared(client.get("/articles/no-such-story/"), "list")


def test_a_signed_in_readers_page_is_theirs_alone(client, article, django_user_model):
    client.force_login(django_user_model.objects.create_user("ivy", "ivy@example.com", "pw"))

    response = client.get(article.get_absolute_url())

    assert_personal(response)
    assert 'value="ivy@example.com"' in response.content.decode()


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


# --- Purges --------------------------------------------------------------------------------------
class _Recorder(BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.server.purged.append(set(self.headers["xkey-purge"].split()))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purges(settings):
    """The keys each purge named, as a front cache at FRONT_CACHE_PURGE_URLS receives them."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_address[1]}/"]
    yield server.purged
    server.shutdown()
    server.server_close()


def test_publishing_unpublishing_and_deleting_purge_the_article_and_the_lists(
    purges, draft, article, django_capture_on_commit_callbacks
):
    from articles.services import delete_articles, publish_articles, unpublish_articles

    for change in (publish_articles, unpublish_articles, delete_articles):
        with django_capture_on_commit_callbacks(execute=True):
            change(queryset=Article.objects.filter(pk=draft.pk))
        assert {f"article-{draft.pk}", "list", f"section-{draft.section_id}"} <= purges.pop()
    assert purges == []


def test_saving_an_article_in_the_admin_purges_it(
    purges, editor_client, article, django_capture_on_commit_callbacks
):
    from tests.test_article_admin import change_form_data

    data = change_form_data(article, title="Fixed", comments_enabled="")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 302
    assert any({f"article-{article.pk}", "list"} <= keys for keys in purges)
    assert "Comments are closed" in Client().get(article.get_absolute_url()).content.decode()


def test_moderation_decisions_purge_the_article_and_the_lists(
    purges, article, make_comment, moderator, django_capture_on_commit_callbacks
):
    from comments.services import approve, take_down

    comment = make_comment(article)
    with django_capture_on_commit_callbacks(execute=True):
        approve(comment=comment, by=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        take_down([comment], by=moderator)

    assert purges == [{f"article-{article.pk}", "list"}] * 2


def test_a_pending_or_rejected_comment_purges_nothing(
    purges, article, submit, moderator, django_capture_on_commit_callbacks
):
    from comments.services import reject

    with django_capture_on_commit_callbacks(execute=True):
        reject(comment=submit(article), by=moderator)

    assert purges == []


def test_closing_comments_in_the_policy_purges_every_page_and_shows_at_once(
    purges, article, settings, django_capture_on_commit_callbacks
):
    from comments.services import update_policy

    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(days=3))
    assert "Add a comment" in Client().get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        update_policy(policy=ModerationPolicy(close_after_days=2))

    assert purges == [{"site"}]
    assert "Comments are closed" in Client().get(article.get_absolute_url()).content.decode()


def test_renaming_a_section_purges_every_page(
    purges, superuser_client, section, django_capture_on_commit_callbacks
):
    data = {"name": "Tech & Science", "slug": section.slug, "order": 1}
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(f"/admin/articles/section/{section.pk}/change/", data)

    assert Section.objects.get().name == "Tech & Science"
    assert purges == [{"site"}]


def test_a_front_cache_that_is_down_never_fails_the_write(
    settings, article, make_comment, moderator, caplog, django_capture_on_commit_callbacks
):
    from comments.services import approve

    settings.FRONT_CACHE_PURGE_URLS = ["http://127.0.0.1:9/"]  # nothing listens there
    comment = make_comment(article)
    with django_capture_on_commit_callbacks(execute=True):
        assert approve(comment=comment, by=moderator)

    assert Comment.objects.get().status == Comment.Status.APPROVED
    assert "front cache purge failed" in caplog.text


# --- HTTP done right -----------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/feed/", "/atom/", "/sitemap.xml", "/"])
def test_a_304_keeps_the_content_type_and_sends_no_empty_length(client, article, url):
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["Content-Type"] == first["Content-Type"]
    assert again.get("Content-Length") != "0"


def test_etags_come_from_the_content_so_every_process_agrees(client, article):
    from django.core.cache import cache

    first = client.get(article.get_absolute_url())["ETag"]
    cache.clear()

    assert client.get(article.get_absolute_url())["ETag"] == first


@pytest.mark.parametrize("path", ["/robots.txt", "/healthz", "/", "/feed/", "/sitemap.xml"])
def test_head_works_wherever_get_does(client, article, path):
    assert client.head(path).status_code == 200
    assert client.head(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "path", ["/robots.txt", "/healthz", "/", "/feed/", "/sitemap.xml", "/search/?q=car"]
)
def test_read_only_pages_refuse_other_methods(client, article, path):
    assert client.post(path).status_code == 405
    assert client.post(article.get_absolute_url()).status_code == 405


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


# --- Django's own fragments follow the same purges -----------------------------------------------
@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300


def test_a_kept_list_follows_publishing_and_unpublishing(
    fragments_on, client, article, draft, django_capture_on_commit_callbacks
):
    from articles.services import publish_articles, unpublish_articles

    for url in ("/", article.section.get_absolute_url(), "/search/?q=batteries"):
        assert "Secret draft" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish_articles(queryset=Article.objects.filter(pk=draft.pk))
    for url in ("/", article.section.get_absolute_url(), "/search/?q=batteries"):
        assert "Secret draft" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_articles(queryset=Article.objects.filter(pk=draft.pk))
    for url in ("/", article.section.get_absolute_url(), "/search/?q=batteries"):
        assert "Secret draft" not in client.get(url).content.decode()


def test_a_kept_article_page_follows_an_edit_of_an_article_it_links_to(
    fragments_on, client, article, make_article, add_related, django_capture_on_commit_callbacks
):
    from articles.services import save_article

    other = make_article(title="Batteries are getting cheaper")
    add_related(article, other)
    assert (
        "Batteries are getting cheaper" in client.get(article.get_absolute_url()).content.decode()
    )

    other.title = "Batteries are getting much cheaper"
    with django_capture_on_commit_callbacks(execute=True):
        save_article(article=other)

    assert "much cheaper" in client.get(article.get_absolute_url()).content.decode()


def test_the_kept_menu_and_policy_follow_the_admin(
    fragments_on, superuser_client, article, section, django_capture_on_commit_callbacks
):
    from comments.services import update_policy

    assert "Technology" in Client().get("/").content.decode()
    data = {"name": "Tech & Science", "slug": section.slug, "order": 1}
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(f"/admin/articles/section/{section.pk}/change/", data)
    assert "Tech &amp; Science" in Client().get("/").content.decode()

    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(days=3))
    assert "Add a comment" in Client().get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        update_policy(policy=ModerationPolicy(close_after_days=2))
    assert "Comments are closed" in Client().get(article.get_absolute_url()).content.decode()


def test_kept_pages_cost_no_queries_once_drawn(fragments_on, client, article, tag):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article.tags.add(tag)
    for url in ("/", article.section.get_absolute_url(), tag.get_absolute_url(), "/search/?q=car"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == 0, (url, [q["sql"] for q in queries.captured_queries])
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())
    assert len(queries) == 1  # the article itself: whether it is public is decided every time
