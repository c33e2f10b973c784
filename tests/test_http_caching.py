"""What shared caches (a CDN, the Varnish in deploy/) are told: anonymous pages may be kept and
are purged by key when a write changes them; anything personal is kept by nobody."""

import re
import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.tokens import form_token

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


def test_a_draft_preview_is_personal(client, editor, draft):
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())

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


@pytest.mark.parametrize(
    "carried, sent",
    [
        # Asked for when they started writing, a minute ago; the CSRF cookie was lost since.
        ({"seconds_ago": 60}, True),
        # Asked for and sent at once (a bot provoking the page): the wait still counts from then.
        ({"seconds_ago": 0}, False),
        ({"started": form_token(10**6, issued_at=time.time() - 60)}, False),  # another article's
        ({"started": "forged"}, False),
    ],
)
def test_a_start_time_the_first_press_carried_still_counts_when_sent_once_more(
    article, comment_form_data, carried, sent
):
    browser = Client(enforce_csrf_checks=True)
    form = comment_form_data(article, body="Written over a minute.", **carried)
    form["csrfmiddlewaretoken"] = ""
    url = reverse("comments:post", args=[article.pk])
    clock = time.time()

    with mock.patch("comments.tokens.time.time", return_value=clock):
        first = browser.post(url, form)
    html = first.content.decode()
    assert "once more" in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    with mock.patch("comments.tokens.time.time", return_value=clock + 1):  # pressed at once
        again = browser.post(url, {**form, "csrfmiddlewaretoken": token, "started": started})

    if sent:
        assert again.status_code == 302
        assert Comment.objects.get().body == "Written over a minute."
    else:
        assert "That was quick!" in again.content.decode()
        assert not Comment.objects.exists()


def test_the_site_icons_browsers_ask_for_at_the_root_are_there_and_cacheable(client, db):
    # Browsers, feed readers and iOS ask for these whatever the page links to.
    icon = client.get("/favicon.ico")
    touch = client.get("/apple-touch-icon.png")
    older_ios = client.get("/apple-touch-icon-precomposed.png")

    assert icon.status_code == 200
    assert icon["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(icon.streaming_content).startswith(b"\x00\x00\x01\x00")  # an ICO file
    assert touch.status_code == 200
    assert touch["Content-Type"] == "image/png"
    assert b"".join(touch.streaming_content).startswith(b"\x89PNG")
    assert older_ios.status_code == 200 and older_ios["Content-Type"] == "image/png"
    for response in (icon, touch, older_ios):
        # A day for browsers and shared caches alike (WhiteNoise's own 60 s had them asking
        # again every minute); not immutable: the names stay when a release changes an icon.
        assert response["Cache-Control"] == "max-age=86400, public"
        assert not response.cookies
