"""Drafts and scheduled articles appear nowhere public; staff who may read articles in the
admin (editors, superusers) can preview them."""

import pytest
from django.urls import reverse

PUBLIC_PAGES = [
    "/",
    "/?page=2",
    "/section/technology/",
    "/author/marta-ribeiro/",
    "/search/?q=batteries",
    "/search/?q=secret",
    "/feed/",
    "/atom/",
    "/section/technology/feed/",
    "/section/technology/atom/",
    "/tag/electric-cars/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/sitemap-news.xml",
    # Links to both by hand (in the body too), so it falls back to recent related stories.
    "/articles/xiaomi-car/",
    # No links of its own: the related stories are found by section and tag.
    "/articles/uncurated/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("fragment_seconds", [0, 300], ids=["uncached", "cached"])
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_drafts_and_scheduled_articles_appear_on_no_public_page(
    client,
    settings,
    url,
    fragment_seconds,
    article,
    draft,
    scheduled,
    tag,
    add_related,
    make_article,
    request,
):
    settings.FRAGMENT_CACHE_SECONDS = fragment_seconds
    if "page=2" in url:
        request.getfixturevalue("second_page")
    make_article(title="Uncurated", slug="uncurated", tags=[tag])
    for hidden in (draft, scheduled):
        hidden.tags.add(tag)
        add_related(article, hidden, in_body=1)
    client.get(url)  # a second look is served from the page cache when it is on

    response = client.get(url)

    assert response.status_code == 200
    text = response.content.decode()
    assert "secret-draft" not in text and "Secret draft" not in text
    assert "scheduled-story" not in text and "Scheduled story" not in text


def test_published_article_is_listed_and_readable(client, article):
    assert article.title in client.get("/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_draft_page_is_404_for_readers(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_scheduled_article_page_is_404_for_readers_until_its_time(client, scheduled):
    assert client.get(scheduled.get_absolute_url()).status_code == 404


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_an_editor_can_preview_a_draft_and_it_is_never_cached(editor_client, draft):
    response = editor_client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert "Preview: this article is a draft" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_an_editor_can_preview_a_scheduled_article(editor_client, scheduled):
    response = editor_client.get(scheduled.get_absolute_url())

    assert response.status_code == 200
    assert "scheduled for" in response.content.decode()


def test_staff_who_may_not_read_articles_in_the_admin_cannot_preview_them(
    client, moderator, staff_user, draft, scheduled
):
    # A moderator holds "nothing of articles": a story under embargo is not theirs to read.
    for user in (moderator, staff_user):
        client.force_login(user)
        for story in (draft, scheduled):
            response = client.get(story.get_absolute_url())
            assert response.status_code == 404
            assert story.title not in response.content.decode()


def test_related_link_to_a_draft_is_not_shown(client, article, draft, add_related):
    add_related(article, draft)

    response = client.get(article.get_absolute_url())

    assert draft.title not in response.content.decode()


def test_unknown_pages_get_the_styled_404(client, db):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert reverse("articles:home") in response.content.decode()


def test_the_preview_of_a_scheduled_article_gives_its_time_with_the_zone(
    editor_client, scheduled, settings
):
    # As the admin's "Scheduled: ... goes out at 2 Jul 2027, 10:30 BST" says it: an editor
    # abroad, or one reading "01:30" near a clock change, must not misread when it goes out.
    from datetime import UTC, datetime

    settings.TIME_ZONE = "Europe/London"
    type(scheduled).objects.filter(pk=scheduled.pk).update(
        published_at=datetime(2027, 7, 2, 9, 30, tzinfo=UTC)
    )

    page = editor_client.get(scheduled.get_absolute_url()).content.decode()

    assert "scheduled for 2 Jul 2027, 10:30 BST and not visible to readers" in page
