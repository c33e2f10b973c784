"""A reader who clicks a feed link gets a page: what a feed is, how to follow one, and the feeds'
addresses to copy, for the whole site and for each section. A feed opened in a browser is XML,
which browsers are ceasing to draw as a page (they are retiring XSLT); feed readers still find
the feeds themselves in the pages' heads. Shared by every reader, as the other pages are."""

import re

import pytest
from django.conf import settings
from django.test import Client

from articles.listing_services import save_listing_entries
from articles.models import Section
from tests.test_http_caching import assert_shared

ALTERNATE = '<link rel="alternate" type="application/{kind}+xml" title="{title}" href="{href}">'


def copy_boxes(html: str) -> dict[str, str]:
    """Each read-only box's label and the address in it."""
    labels = dict(re.findall(r'<label [^>]*for="([^"]+)">([^<]*)<', html))
    boxes = re.findall(r'<textarea [^>]*id="([^"]+)"[^>]* readonly[^>]*>([^<]*)</textarea>', html)
    return {labels[id_]: value for id_, value in boxes}


def body_links(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]*)"', html.split("<body>", 1)[1])


def test_the_site_s_follow_page_explains_feeds_and_gives_their_addresses(client, article):
    response = client.get("/follow/")

    assert_shared(response)
    html = response.content.decode()
    assert '<h1 class="mb-2">Follow Newsportal by feed</h1>' in html
    assert "Paste it into your feed reader" in html
    assert copy_boxes(html) == {
        "Newsportal, RSS feed": f"{settings.SITE_URL}/feed/",
        "Newsportal, Atom feed": f"{settings.SITE_URL}/atom/",
    }
    # Each section's own page, to follow one alone.
    assert "/section/technology/follow/" in body_links(html)
    # Feed readers and browser extensions still find the feeds themselves.
    assert ALTERNATE.format(kind="rss", title="Newsportal (RSS)", href="/feed/") in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}/follow/">' in html


def test_a_section_s_follow_page_gives_its_own_feeds(
    client, article, section, django_assert_max_num_queries
):
    # The section, and the menu with the breaking-news strip (cached with Redis).
    with django_assert_max_num_queries(3):
        response = client.get("/section/technology/follow/")

    assert_shared(response, "section-page-technology")
    html = response.content.decode()
    assert "Follow Technology by feed" in html
    assert copy_boxes(html) == {
        "Technology, RSS feed": f"{settings.SITE_URL}/section/technology/feed/",
        "Technology, Atom feed": f"{settings.SITE_URL}/section/technology/atom/",
    }
    title = "Newsportal: Technology (RSS)"
    assert ALTERNATE.format(kind="rss", title=title, href="/section/technology/feed/") in html
    assert {"/section/technology/", "/follow/"} <= set(body_links(html))


def test_the_visible_feed_links_lead_to_the_follow_pages_not_to_the_xml(client, article, section):
    for url, follow in [("/", "/follow/"), ("/section/technology/", "/section/technology/follow/")]:
        links = body_links(client.get(url).content.decode())

        assert follow in links, url
        assert not {"/feed/", "/atom/", "/section/technology/feed/"} & set(links), url


def test_a_section_that_is_not_there_has_no_follow_page(client, db):
    response = client.get("/section/nowhere/follow/")

    assert response.status_code == 404
    assert_shared(response, "section-page-nowhere")  # purged when a section takes the slug


def test_a_renamed_section_s_follow_page_leads_on_to_the_new_one(client, section):
    assert client.get("/section/technology/follow/").status_code == 200
    section.slug = "tech"
    save_listing_entries(objs=[section])

    moved = client.get("/section/technology/follow/")

    assert (moved.status_code, moved["Location"]) == (301, "/section/tech/follow/")
    assert "public" in moved["Cache-Control"]


@pytest.mark.parametrize("url", ["/follow/", "/section/technology/follow/"])
def test_a_follow_page_is_the_same_for_a_signed_in_reader_but_kept_by_nobody(
    url, section, django_user_model
):
    reader = Client()
    reader.force_login(django_user_model.objects.create_user("ivy", "ivy@example.com", "pw"))

    response = reader.get(url)

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "Surrogate-Key" not in response


def test_a_new_section_is_on_the_site_s_follow_page(client, section):
    client.get("/follow/")
    save_listing_entries(objs=[Section(name="Sport", slug="sport", order=2)])

    assert "/section/sport/follow/" in body_links(client.get("/follow/").content.decode())
