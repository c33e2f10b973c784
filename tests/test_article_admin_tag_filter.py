"""The article list filters by tag (?tag=<slug>): reached from a tag's row in the tags' list
(which has its own search, however many tags there are), the chosen tag shown among the
filters, each story once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import OldTagSlug, Tag
from tests.test_article_admin_bylines_list import LIST, _rows


def test_the_list_filters_by_a_tag(editor_client, make_article, tag):
    cities = Tag.objects.create(name="Cities", slug="cities")
    make_article(title="Tagged twice", tags=[cities, tag])
    make_article(title="Only cars", tags=[tag])
    make_article(title="No tags")

    html = editor_client.get(LIST, {"tag": "cities"}).content.decode()

    assert set(_rows(html)) == {"Tagged twice"}
    assert 'data-filter-title="tag"' in html
    assert '<a href="?tag=cities">Cities</a>' in html
    assert set(_rows(editor_client.get(LIST, {"tag": tag.slug}).content.decode())) == {
        "Tagged twice",
        "Only cars",
    }


def test_the_tag_filter_does_not_list_every_tag(editor_client, make_article, tag):
    # A newsroom's tags run to thousands: the list is not the place to pick one.
    make_article(title="Only cars", tags=[tag])

    html = editor_client.get(LIST).content.decode()

    assert 'data-filter-title="tag"' not in html
    assert "Electric cars" not in html


def test_a_tag_s_old_slug_lists_its_stories(editor_client, make_article, tag):
    # Renamed, a tag keeps its old slug (an old address of its page): a bookmark of the list
    # filtered by it, or a link from before, lists the tag's stories under its name now.
    OldTagSlug.objects.create(entry=tag, slug="e-cars")
    make_article(title="Only cars", tags=[tag])
    make_article(title="No tags")

    html = editor_client.get(LIST, {"tag": "e-cars"}).content.decode()

    assert set(_rows(html)) == {"Only cars"}
    assert '<a href="?tag=e-cars">Electric cars</a>' in html


def test_a_tag_no_story_has_lists_nothing(editor_client, make_article, tag):
    make_article(title="Only cars", tags=[tag])

    response = editor_client.get(LIST, {"tag": "no-such-tag"})

    assert response.status_code == 200
    assert _rows(response.content.decode()) == {}


def test_a_tag_s_row_leads_to_its_stories(superuser, client, tag):
    client.force_login(superuser)

    html = client.get("/admin/articles/tag/").content.decode()

    assert f'href="{LIST}?tag=electric-cars"' in html


def test_filtering_by_a_tag_costs_no_query_a_row(editor_client, make_article, tag):
    make_article(title="First", tags=[tag])
    editor_client.get(LIST, {"tag": tag.slug})  # the session and the like, read once
    with CaptureQueriesContext(connection) as one:
        editor_client.get(LIST, {"tag": tag.slug})
    for n in range(5):
        make_article(title=f"More {n}", tags=[tag])
    with CaptureQueriesContext(connection) as six:
        html = editor_client.get(LIST, {"tag": tag.slug}).content.decode()

    assert len(_rows(html)) == 6
    assert len(six) == len(one)


def test_a_tag_s_own_slug_wins_over_another_tag_s_old_one(editor_client, make_article, tag):
    # Taken before old addresses were kept from other tags (articles.old_addresses): the slug
    # is one tag's now and another's old one. The list is the tag's whose slug it is now, and
    # the filter names it; the old one's stories are listed by it only when no tag has it now.
    OldTagSlug.objects.create(entry=tag, slug="e-cars")
    e_cars = Tag.objects.create(name="E-cars magazine", slug="e-cars")
    make_article(title="Only cars", tags=[tag])
    make_article(title="The magazine", tags=[e_cars])

    html = editor_client.get(LIST, {"tag": "e-cars"}).content.decode()

    assert set(_rows(html)) == {"The magazine"}
    assert '<a href="?tag=e-cars">E-cars magazine</a>' in html

    e_cars.slug = "e-cars-magazine"
    e_cars.save()
    html = editor_client.get(LIST, {"tag": "e-cars"}).content.decode()

    assert set(_rows(html)) == {"Only cars"}
    assert '<a href="?tag=e-cars">Electric cars</a>' in html
