"""Anonymous pages come from the shared page cache, stay correct, and never leak one reader's
page to another."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client

from articles.services import publish_articles, purge_article_pages, unpublish_articles
from tests.headers import csp_directives


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def csrf_value(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_second_anonymous_read_is_a_cache_hit_without_queries(
    client, article, django_assert_num_queries
):
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        response = Client().get(article.get_absolute_url())

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    assert article.title in response.content.decode()


def test_each_reader_gets_their_own_csrf_token_and_can_post_from_a_cached_page(article):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(article.get_absolute_url())
    response = second.get(article.get_absolute_url())

    assert response["X-Page-Cache"] == "hit"
    token = csrf_value(response.content.decode())
    assert "csrftoken" in second.cookies
    # The token in the cached page was minted for this reader: posting with it passes CSRF.
    post = second.post(f"/comments/post/{article.pk}/", {"csrfmiddlewaretoken": token, "name": ""})
    assert post.status_code != 403


def test_cached_pages_get_a_fresh_comment_form_start_time(article):
    from comments.tokens import FORM_SALT

    def started(client):
        html = client.get(article.get_absolute_url()).content.decode()
        token = re.search(r'name="started" value="([^"]+)"', html).group(1)
        return signing.loads(token, salt=FORM_SALT)["t"]

    first = started(Client())
    time.sleep(1.1)
    assert started(Client()) > first


def test_a_logged_in_reader_bypasses_the_cache_and_sees_their_name(client, article):
    Client().get(article.get_absolute_url())  # warm the cache as an anonymous reader
    user = get_user_model().objects.create_user("ana", "ana@example.com", "pw", first_name="Ana")
    client.force_login(user)

    response = client.get(article.get_absolute_url())

    assert "X-Page-Cache" not in response
    anonymous = Client().get(article.get_absolute_url()).content.decode()
    assert "ana@example.com" not in anonymous


def test_the_success_message_is_never_served_to_another_reader(client, article):
    # A reader with a pending flash message bypasses the cache...
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    Client().get(article.get_absolute_url())
    storage = CookieStorage(HttpRequest())
    storage.add(20, "Comment sent successfully! We will review it in the next few hours.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value

    mine = client.get(article.get_absolute_url())
    assert "Comment sent successfully!" in mine.content.decode()
    assert "X-Page-Cache" not in mine

    # ...and the next anonymous reader gets the cached page without it.
    other = Client().get(article.get_absolute_url())
    assert other["X-Page-Cache"] == "hit"
    assert "Comment sent successfully!" not in other.content.decode()


def test_one_readers_form_errors_are_never_cached(article):
    bad = Client()
    bad.get(article.get_absolute_url())
    bad.post(f"/comments/post/{article.pk}/", {"name": "Mallory", "body": "x" * 5000})

    html = Client().get(article.get_absolute_url()).content.decode()

    assert "Mallory" not in html
    assert "x" * 5000 not in html


def test_editing_an_article_purges_its_page_and_the_lists(client, article):
    client.get(article.get_absolute_url())
    client.get("/")
    article.title = "A corrected headline"
    article.save()
    purge_article_pages(slugs=[article.slug])

    assert "A corrected headline" in Client().get(article.get_absolute_url()).content.decode()
    assert "A corrected headline" in Client().get("/").content.decode()


def test_publishing_shows_the_article_in_cached_lists(
    client, article, draft, django_capture_on_commit_callbacks
):
    assert draft.title not in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        publish_articles(queryset=type(draft).objects.filter(pk=draft.pk))

    assert draft.title in Client().get("/").content.decode()


def test_unpublishing_an_article_takes_it_off_cached_pages_that_link_to_it(
    make_article, add_related, django_capture_on_commit_callbacks
):
    target = make_article(title="A story that is taken down")
    curated = make_article(title="Links to it by hand")
    add_related(curated, target, in_body=1)
    fallback = make_article(title="Shows it as a recent story of its section")
    for page in (curated, fallback):
        assert target.title in Client().get(page.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        unpublish_articles(queryset=type(target).objects.filter(pk=target.pk))

    for page in (curated, fallback):
        response = Client().get(page.get_absolute_url())
        assert response.status_code == 200
        assert target.title not in response.content.decode()


def test_renaming_a_section_in_the_admin_shows_on_cached_pages(
    article, superuser, django_capture_on_commit_callbacks
):
    assert "Technology" in Client().get(article.get_absolute_url()).content.decode()
    admin = Client()
    admin.force_login(superuser)
    section = article.section

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            f"/admin/articles/section/{section.pk}/change/",
            {"name": "Science and Tech", "slug": section.slug, "order": section.order},
        )

    assert response.status_code == 302
    for path in (article.get_absolute_url(), "/"):
        html = Client().get(path).content.decode()
        assert "Science and Tech" in html
        assert "Technology" not in html


def test_conditional_get_returns_304_for_an_unchanged_page(client, article):
    etag = client.get(article.get_absolute_url())["ETag"]

    response = Client().get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_cached_pages_are_private_to_the_browser(client, article):
    response = client.get(article.get_absolute_url())

    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]


def test_a_broken_cache_still_serves_the_page(client, article, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", broken)
    monkeypatch.setattr(cache, "get", broken)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_approving_a_comment_shows_it_on_the_cached_page_and_counts_it_in_lists(
    client, article, make_article, django_capture_on_commit_callbacks
):
    from comments.models import Comment
    from comments.services import approve

    make_article()  # so the article is listed as a card, with its count
    comment = Comment.objects.create(
        article=article, name="Reader", email="r@example.com", body="A fine, careful point."
    )
    assert "A fine, careful point." not in client.get(article.get_absolute_url()).content.decode()
    client.get("/")
    moderator = get_user_model().objects.create_user("mod", "mod@example.com", "pw")

    with django_capture_on_commit_callbacks(execute=True):
        assert approve(comment=comment, by=moderator)

    assert "A fine, careful point." in Client().get(article.get_absolute_url()).content.decode()
    assert "1 comment<" in Client().get("/").content.decode()


@pytest.mark.parametrize("url", ["/feed/", "/atom/", "/section/technology/feed/"])
def test_feeds_answer_conditional_gets(client, article, url):
    first = client.get(url)
    assert first.status_code == 200

    again = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_shared_list_and_search_fragments_follow_publishing_for_logged_in_readers(
    client, article, draft, django_capture_on_commit_callbacks
):
    user = get_user_model().objects.create_user("lee", "lee@example.com", "pw")
    client.force_login(user)
    assert draft.title not in client.get("/").content.decode()
    assert draft.title not in client.get("/search/", {"q": "batteries"}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        publish_articles(queryset=type(draft).objects.filter(pk=draft.pk))

    assert draft.title in client.get("/").content.decode()
    assert draft.title in client.get("/search/", {"q": "batteries"}).content.decode()
    assert draft.title in client.get("/section/technology/").content.decode()


def test_a_new_section_appears_in_the_menu_after_saving_it_in_the_admin(
    client, article, django_capture_on_commit_callbacks
):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    assert "Culture" not in Client().get("/").content.decode()
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/articles/section/add/", {"name": "Culture", "slug": "culture", "order": 3}
        )

    assert response.status_code == 302
    assert 'href="/section/culture/">Culture</a>' in Client().get("/search/").content.decode()


def test_logged_in_readers_see_approvals_and_edits_through_the_shared_fragments(
    client, article, django_capture_on_commit_callbacks
):
    from comments.models import Comment
    from comments.services import approve

    reader = get_user_model().objects.create_user("kim", "kim@example.com", "pw")
    client.force_login(reader)
    comment = Comment.objects.create(
        article=article, name="Reader", email="r@example.com", body="Shared fragments work."
    )
    assert "Shared fragments work." not in client.get(article.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        approve(comment=comment, by=reader)
    type(article).objects.filter(pk=article.pk).update(body="A rewritten body.")
    purge_article_pages(slugs=[article.slug])

    html = client.get(article.get_absolute_url()).content.decode()
    assert "Shared fragments work." in html
    assert "A rewritten body." in html
    assert 'value="kim@example.com"' in html  # the form is still this reader's own


def test_a_draft_preview_is_never_shared_with_readers_once_published(
    staff_client, draft, django_capture_on_commit_callbacks
):
    staff_client.get(draft.get_absolute_url())
    assert (
        "Preview: this article is a draft"
        in staff_client.get(draft.get_absolute_url()).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        publish_articles(queryset=type(draft).objects.filter(pk=draft.pk))

    html = Client().get(draft.get_absolute_url()).content.decode()
    assert "Preview:" not in html
    assert draft.title in html


def test_the_shared_blank_form_carries_each_readers_own_escaped_name(article):
    def page_for(username, first_name):
        user = get_user_model().objects.create_user(
            username, f"{username}@example.com", "pw", first_name=first_name
        )
        client = Client()
        client.force_login(user)
        return client.get(article.get_absolute_url()).content.decode()

    first = page_for("amy", '<b>Amy</b> "A"')
    second = page_for("bo", "Bo")

    assert 'value="&lt;b&gt;Amy&lt;/b&gt; &quot;A&quot;"' in first
    assert 'value="amy@example.com"' in first
    assert 'value="Bo"' in second and "Amy" not in second and "amy@example.com" not in second
    anonymous = Client().get(article.get_absolute_url()).content.decode()
    assert "amy@example.com" not in anonymous and "\ue200" not in anonymous


def test_unpublishing_hides_the_article_at_once_from_everyone(
    client, article, django_capture_on_commit_callbacks
):
    from articles.services import unpublish_articles

    reader = get_user_model().objects.create_user("rae", "rae@example.com", "pw")
    client.force_login(reader)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert Client().get(article.get_absolute_url()).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        unpublish_articles(queryset=type(article).objects.filter(pk=article.pk))

    assert client.get(article.get_absolute_url()).status_code == 404
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_a_scheduled_article_cached_during_a_preview_goes_live_on_time(
    staff_client, scheduled, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    assert staff_client.get(scheduled.get_absolute_url()).status_code == 200  # row now cached
    assert Client().get(scheduled.get_absolute_url()).status_code == 404

    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    response = Client().get(scheduled.get_absolute_url())
    assert response.status_code == 200
    assert scheduled.title in response.content.decode()


def test_a_page_cache_hit_carries_every_security_header(article):
    Client().get(article.get_absolute_url())

    response = Client().get(article.get_absolute_url())

    assert response["X-Page-Cache"] == "hit"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert int(response["Content-Length"]) == len(response.content)


def test_cached_pages_give_each_new_reader_their_own_csrf_secret_and_token(article):
    from django.middleware.csrf import _unmask_cipher_token

    Client().get(article.get_absolute_url())
    readers = [Client() for _ in range(3)]
    pages = [reader.get(article.get_absolute_url()) for reader in readers]

    assert all(page["X-Page-Cache"] == "hit" for page in pages)
    secrets_ = [reader.cookies["csrftoken"].value for reader in readers]
    tokens = [csrf_value(page.content.decode()) for page in pages]
    assert len(set(secrets_)) == 3 and len(set(tokens)) == 3
    for secret, token in zip(secrets_, tokens, strict=True):
        assert len(secret) == 32 and len(token) == 64
        assert _unmask_cipher_token(token) == secret


def test_a_returning_reader_keeps_their_csrf_cookie_on_a_cached_page(article):
    reader = Client(enforce_csrf_checks=True)
    reader.get(article.get_absolute_url())
    secret = reader.cookies["csrftoken"].value

    response = reader.get(article.get_absolute_url())

    assert response["X-Page-Cache"] == "hit"
    from django.middleware.csrf import _unmask_cipher_token

    assert _unmask_cipher_token(csrf_value(response.content.decode())) == secret


def test_a_disallowed_host_is_refused_even_for_a_cached_page(article):
    Client().get(article.get_absolute_url())

    response = Client().get(article.get_absolute_url(), HTTP_HOST="evil.example")

    assert response.status_code == 400


def test_a_logged_in_page_batches_its_cache_reads_and_keeps_nothing_afterwards(client, article):
    from articles import cachebatch

    user = get_user_model().objects.create_user("bo", "bo@example.com", "pw", first_name="Bo")
    client.force_login(user)
    client.get(article.get_absolute_url())  # fills the shared fragments

    response = client.get(article.get_absolute_url())

    assert 'value="Bo"' in response.content.decode()
    assert "csrftoken" in response.cookies
    assert getattr(cachebatch._batch, "store", None) is None
    other = Client()
    other.force_login(get_user_model().objects.create_user("cy", "cy@example.com", "pw"))
    html = other.get(article.get_absolute_url()).content.decode()
    assert "bo@example.com" not in html and "cy@example.com" in html


def test_a_changed_content_security_policy_applies_to_cached_pages(article, settings):
    Client().get(article.get_absolute_url())
    assert csp_directives(Client().get(article.get_absolute_url()))["img-src"] == "'self' data:"

    policy = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'"]}
    }
    settings.CONTENT_SECURITY_POLICY = policy

    assert csp_directives(Client().get(article.get_absolute_url()))["img-src"] == "'self'"


def _with_flash_message(client, text):
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    storage = CookieStorage(HttpRequest())
    storage.add(20, text)
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value


@pytest.mark.parametrize("url", ["article", "/", "/section/technology/"])
def test_shared_pages_show_a_logged_in_readers_message_to_them_alone(client, article, url):
    url = article.get_absolute_url() if url == "article" else url
    users = get_user_model().objects
    client.force_login(users.create_user("dee", "dee@example.com", "pw"))
    other = Client()
    other.force_login(users.create_user("eve", "eve@example.com", "pw"))
    other.get(url)  # the shared page is now cached

    _with_flash_message(client, "Your comment is waiting for review, Dee.")
    mine = client.get(url).content.decode()
    theirs = other.get(url).content.decode()
    again = client.get(url).content.decode()

    assert "Your comment is waiting for review, Dee." in mine
    assert "Your comment is waiting for review" not in theirs
    assert "Your comment is waiting for review" not in again  # shown once, as always
    assert "\ue200" not in mine + theirs  # no stand-in is left in a page


def test_a_reply_link_on_a_shared_article_page_is_the_readers_own(client, article, make_comment):
    from comments.models import Comment

    parent = make_comment(article, name="Fay", status=Comment.Status.APPROVED)
    client.force_login(get_user_model().objects.create_user("gus", "gus@example.com", "pw"))
    client.get(article.get_absolute_url())

    replying = client.get(article.get_absolute_url(), {"reply-to": parent.pk}).content.decode()
    plain = client.get(article.get_absolute_url()).content.decode()

    heading = 'class="h5">Reply to Fay</h3>'
    assert heading in replying
    assert heading not in plain and 'class="h5">Add a comment on' in plain


def test_a_hit_is_served_from_memory_for_a_moment_without_asking_the_shared_cache(
    article, settings
):
    from unittest import mock

    settings.PAGE_CACHE_LOCAL_SECONDS = 60
    Client().get(article.get_absolute_url())  # miss: rendered and stored
    first = Client().get(article.get_absolute_url())  # hit, now kept in memory
    assert first["X-Page-Cache"] == "hit"

    with mock.patch("articles.pagecache.get_many", side_effect=AssertionError("asked")):
        again = Client().get(article.get_absolute_url())

    assert again["X-Page-Cache"] == "hit"
    assert article.title in again.content.decode()
    # Still this reader's own token, not the one kept in memory.
    assert csrf_value(again.content.decode()) != csrf_value(first.content.decode())


def test_a_write_in_this_process_shows_at_once_despite_the_memory(article, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 60
    for _ in range(2):
        Client().get(article.get_absolute_url())
    article.title = "A corrected headline"
    article.save()

    purge_article_pages(slugs=[article.slug])

    assert "A corrected headline" in Client().get(article.get_absolute_url()).content.decode()


def test_a_write_by_another_process_shows_within_the_moment(article, settings, monkeypatch):
    from django.core.cache import cache

    from articles import pagecache

    settings.PAGE_CACHE_LOCAL_SECONDS = 1
    for _ in range(2):
        Client().get(article.get_absolute_url())
    # Another process edits the article and bumps its version in the shared cache.
    type(article).objects.filter(pk=article.pk).update(title="Changed elsewhere")
    cache.set(pagecache.article_version_key(article.slug), "bumped-elsewhere", None)
    cache.set(pagecache.fragment_key(f"article-row|{article.slug}"), None)

    assert "Changed elsewhere" not in Client().get(article.get_absolute_url()).content.decode()
    later = time.monotonic() + 1.5
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: later)
    assert "Changed elsewhere" in Client().get(article.get_absolute_url()).content.decode()


def test_with_no_local_moment_every_hit_asks_the_shared_cache(article, settings):
    from unittest import mock

    settings.PAGE_CACHE_LOCAL_SECONDS = 0
    for _ in range(2):
        Client().get(article.get_absolute_url())

    with mock.patch("articles.pagecache.get_many", side_effect=ConnectionError) as asked:
        response = Client().get(article.get_absolute_url())

    assert asked.called
    assert response.status_code == 200


def test_unknown_query_parameters_share_the_cached_page(article):
    Client().get(article.get_absolute_url())

    response = Client().get(article.get_absolute_url() + "?utm_source=newsletter&x=123")

    assert response["X-Page-Cache"] == "hit"


def test_a_page_parameter_that_is_not_a_page_number_is_answered_uncached(client, make_article):
    for _ in range(12):
        make_article()

    for _ in range(2):
        response = Client().get("/?page=2%27%20OR%201=1")

    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert Client().get("/?page=2")["X-Page-Cache"] == "miss"
    assert Client().get("/?page=2")["X-Page-Cache"] == "hit"
