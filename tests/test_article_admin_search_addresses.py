"""An editor finds a story in the admin's list the way the newsroom names it: by its slug, by its
address pasted from the browser (a reader's link with its tracking query or #comments, an old
address that now leads on to it), or by a tag's name; each story once."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import OldSlug, Tag
from tests.test_article_admin_search import listed


@pytest.fixture
def bridge(make_article):
    make_article(title="Weather", slug="weather-week")
    return make_article(title="Harbour crossing open again", slug="harbour-bridge-reopens")


def test_the_slug_finds_the_story(editor_client, bridge):
    page = listed(editor_client, "harbour-bridge-reopens")

    assert ">Harbour crossing open again<" in page and ">Weather<" not in page
    assert "1 result" in page


@pytest.mark.parametrize(
    "address",
    [
        f"{settings.SITE_URL}/articles/harbour-bridge-reopens/",
        f"{settings.SITE_URL}/articles/harbour-bridge-reopens/?utm_source=mail&utm_medium=x",
        f"{settings.SITE_URL}/articles/harbour-bridge-reopens/#comments",
        "https://staging.newsroom.example/articles/harbour-bridge-reopens/?comments-page=2#c-12",
        " http://localhost:8000/articles/harbour-bridge-reopens ",
        "/articles/harbour-bridge-reopens/",
        # The path typed, or copied from a log or a ticket, without its leading slash.
        "articles/harbour-bridge-reopens/",
        "articles/harbour-bridge-reopens",
        "articles/harbour-bridge-reopens/?utm_source=mail#comments",
    ],
)
def test_a_pasted_address_finds_its_story(editor_client, bridge, address):
    page = listed(editor_client, address)

    assert ">Harbour crossing open again<" in page and ">Weather<" not in page
    assert "1 result" in page


def test_words_with_a_slash_are_still_searched_as_words(editor_client, make_article, bridge):
    make_article(title="Cities/zoning: what the new rules change", slug="zoning-rules")

    page = listed(editor_client, "Cities/zoning")

    assert ">Cities/zoning: what the new rules change<" in page
    assert ">Harbour crossing open again<" not in page
    assert "1 result" in page


def test_an_old_address_finds_the_story_it_leads_to(editor_client, bridge):
    OldSlug.objects.create(article=bridge, slug="bridge-to-reopen-in-spring")

    by_slug = listed(editor_client, "bridge-to-reopen-in-spring")
    by_address = listed(editor_client, f"{settings.SITE_URL}/articles/bridge-to-reopen-in-spring/")

    for page in (by_slug, by_address):
        assert ">Harbour crossing open again<" in page and ">Weather<" not in page
        assert "1 result" in page


def test_an_address_no_story_has_finds_nothing(editor_client, bridge):
    page = listed(editor_client, f"{settings.SITE_URL}/articles/no-such-story/")

    assert ">Harbour crossing open again<" not in page and ">Weather<" not in page
    assert "0 results" in page


def test_a_tag_s_name_finds_its_stories_each_once(editor_client, make_article, bridge):
    cities = Tag.objects.create(name="Cities", slug="cities")
    city_hall = Tag.objects.create(name="City hall", slug="city-hall")
    make_article(title="Two tags", tags=[cities, city_hall])
    make_article(title="Mayor speaks", tags=[city_hall])

    assert ">Two tags<" in listed(editor_client, "Cities")
    assert ">Mayor speaks<" not in listed(editor_client, "Cities")
    page = listed(editor_client, "Cit")
    assert page.count(">Two tags<") == 1 and ">Mayor speaks<" in page
    assert "2 results" in page


def test_a_search_by_tag_costs_no_query_a_row(editor_client, make_article):
    cities = Tag.objects.create(name="Cities", slug="cities")
    make_article(title="First", tags=[cities])
    make_article(title="Weather")
    listed(editor_client, "Cities")  # the session and the like, read once
    with CaptureQueriesContext(connection) as one:
        listed(editor_client, "Cities")
    city_hall = Tag.objects.create(name="Cities abroad", slug="cities-abroad")
    for n in range(5):
        make_article(title=f"More {n}", tags=[cities, city_hall])
    with CaptureQueriesContext(connection) as six:
        page = listed(editor_client, "Cities")

    assert "6 results" in page  # each story once, though two of its tags match
    assert len(six) == len(one)
