"""Feeds, sitemaps and robots.txt parse and list only public articles."""

import re
from datetime import UTC, datetime, timedelta
from unittest import mock
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article

# Shared by every reader, so their links name the site, not the Host a request came with.
SITE_URL = settings.SITE_URL
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "atom": "http://www.w3.org/2005/Atom",
}


def parse(response):
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def test_rss_feed_parses_and_lists_articles_newest_first(client, make_article):
    older = make_article(title="Older & wiser", published_at=timezone.now() - timedelta(days=2))
    newer = make_article(title="Newer <story>", published_at=timezone.now() - timedelta(hours=1))

    root = parse(client.get("/feed/"))

    titles = [item.findtext("title") for item in root.iter("item")]
    assert titles == [newer.title, older.title]
    assert root.find("channel/item/link").text.endswith(newer.get_absolute_url())
    # The language the pages and the news sitemap give, not Django's default en-us.
    assert root.findtext("channel/language") == "en"


def test_atom_feed_parses(client, article):
    root = parse(client.get("/atom/"))

    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"

    assert [e.findtext("atom:title", namespaces=NS) for e in root.findall("atom:entry", NS)] == [
        article.title
    ]


def test_a_story_keeps_its_feed_id_when_its_address_changes(client, article):
    from articles.services import save_article

    def ids():
        rss, atom = parse(client.get("/feed/")), parse(client.get("/atom/"))
        guid = rss.find("channel/item/guid")
        assert guid.get("isPermaLink") == "false"
        return guid.text, atom.findtext("atom:entry/atom:id", namespaces=NS)

    before = ids()
    article.slug = "xiaomi-car-production-starts"
    save_article(article=article)

    assert ids() == before  # feed readers do not list the corrected story again as new
    assert (
        parse(client.get("/feed/"))
        .find("channel/item/link")
        .text.endswith("/articles/xiaomi-car-production-starts/")
    )


def test_section_feed_lists_only_that_section(client, make_article, article):
    from articles.models import Section

    sport = Section.objects.create(name="Sport", slug="sport")
    make_article(title="Derby preview", section=sport)

    root = parse(client.get("/section/sport/feed/"))

    assert [item.findtext("title") for item in root.iter("item")] == ["Derby preview"]
    assert client.get("/section/nope/feed/").status_code == 404
    # The section's page leads to its feeds, for readers and for their feed readers.
    page = client.get("/section/sport/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert 'href="/section/sport/feed/"' in page and 'href="/section/sport/atom/"' in page


def test_sitemap_index_leads_to_every_article_and_section(client, article):
    index = parse(client.get("/sitemap.xml"))
    parts = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]

    locations = []
    for part in parts:
        assert part.startswith(SITE_URL + "/sitemap-")
        root = parse(client.get(part.removeprefix(SITE_URL)))
        locations += [loc.text for loc in root.findall("sm:url/sm:loc", NS)]
    assert SITE_URL + article.get_absolute_url() in locations
    assert SITE_URL + "/section/technology/" in locations


def test_the_listing_sitemap_names_the_front_page_and_the_authors_and_tags_with_stories_out(
    client, make_article, tag
):
    # It named the sections alone: the front page, authors' and topics' pages were in none.
    from articles.models import Author, Tag

    unpublished = Author.objects.create(name="Ana Draft", slug="ana-draft")
    unused = Tag.objects.create(name="Nothing yet", slug="nothing-yet")
    make_article(tags=[tag])
    make_article(status="draft", authors=[unpublished], tags=[unused])

    root = parse(client.get("/sitemap-sections.xml"))
    listed = [loc.text for loc in root.findall("sm:url/sm:loc", NS)]

    assert listed == [
        f"{SITE_URL}/",
        f"{SITE_URL}/section/technology/",
        f"{SITE_URL}/author/marta-ribeiro/",
        f"{SITE_URL}/tag/electric-cars/",
    ]


def test_a_large_archive_is_split_into_pages_the_index_lists(client, make_article, monkeypatch):
    from articles.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = [make_article() for _ in range(5)]

    index = parse(client.get("/sitemap.xml"))
    parts = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    article_parts = [part for part in parts if "sitemap-articles.xml" in part]

    assert len(article_parts) == 3
    listed = set()
    for part in article_parts:
        root = parse(client.get(part.removeprefix(SITE_URL)))
        listed |= {loc.text for loc in root.findall("sm:url/sm:loc", NS)}
    assert listed == {SITE_URL + a.get_absolute_url() for a in articles}


def test_an_article_sitemap_page_asks_the_database_twice_however_many_stories_it_names(
    client, make_article, django_assert_num_queries
):
    stories = [make_article()]
    with django_assert_num_queries(2):  # how many stories (to split pages by), and the page
        parse(client.get("/sitemap-articles.xml"))
    # Slugs may hold capitals and underscores: each address is still the story's own.
    stories += [make_article(slug=f"Breaking_News-{n}") for n in range(5)]

    with django_assert_num_queries(2):
        root = parse(client.get("/sitemap-articles.xml"))

    listed = [loc.text for loc in root.findall("sm:url/sm:loc", NS)]
    assert sorted(listed) == sorted(SITE_URL + story.get_absolute_url() for story in stories)


def test_the_sitemap_index_dates_the_articles_by_the_newest_published_change(
    client, make_article, draft
):
    corrected, _ = make_article(), make_article()
    latest = timezone.now().replace(microsecond=0)
    Article.objects.filter(pk=corrected.pk).update(updated_at=latest)
    Article.objects.filter(pk=draft.pk).update(updated_at=latest + timedelta(hours=1))

    index = parse(client.get("/sitemap.xml"))

    [articles] = [
        entry
        for entry in index.findall("sm:sitemap", NS)
        if "sitemap-articles.xml" in entry.find("sm:loc", NS).text
    ]
    assert datetime.fromisoformat(articles.find("sm:lastmod", NS).text) == latest


def test_news_sitemap_has_only_the_last_two_days(client, make_article):
    fresh = make_article(title="Fresh news", published_at=timezone.now() - timedelta(hours=5))
    make_article(title="Old news", published_at=timezone.now() - timedelta(days=3))

    root = parse(client.get("/sitemap-news.xml"))

    titles = [t.text for t in root.findall("sm:url/news:news/news:title", NS)]
    assert titles == [fresh.title]


def test_a_story_leaves_the_cached_news_sitemap_two_days_after_publication(client, make_article):
    now = timezone.now()
    leaving = make_article(published_at=now - timedelta(days=2, seconds=-100))
    make_article(published_at=now - timedelta(hours=5))

    before = client.get("/sitemap-news.xml")
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(seconds=101)):
        after = client.get("/sitemap-news.xml")

    # Nothing is written when it leaves: shared caches keep the sitemap no longer than that.
    assert leaving.title in before.content.decode()
    assert 90 <= int(re.search(r"s-maxage=(\d+)", before["Cache-Control"])[1]) <= 100
    assert "stale-while-revalidate=0" in before["Cache-Control"]
    assert leaving.title not in after.content.decode()


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemaps(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in body
    assert f"Sitemap: {SITE_URL}/sitemap-news.xml" in body
    assert "Disallow: /admin/" in body


def test_feeds_and_sitemaps_stay_well_formed_with_control_characters_already_stored(
    client, article, section, author
):
    from articles.models import Article, Author, Section

    # Saved before the models refused them (or written around the checks): Word's soft
    # return, a backspace, a unit separator.
    Article.objects.filter(pk=article.pk).update(
        title="Budget vote\x0bdelayed again\x08", standfirst="Lead from Word\x0bwith\x1f junk"
    )
    Section.objects.filter(pk=section.pk).update(name="Tech\x0cnology")
    Author.objects.filter(pk=author.pk).update(name="Marta\x0bRibeiro")

    documents = ["/feed/", "/atom/", "/section/technology/feed/", "/section/technology/atom/"]
    documents += ["/sitemap-news.xml", "/sitemap.xml", "/sitemap-articles.xml"]
    for url in documents:
        root = parse(client.get(url))  # a 500 or ill-formed XML before
        text = "".join(root.itertext())
        assert "\x0b" not in text and "\x08" not in text, url

    titles = [item.findtext("title") for item in parse(client.get("/feed/")).iter("item")]
    assert [title.split() for title in titles] == [["Budget", "vote", "delayed", "again"]]
    news = parse(client.get("/sitemap-news.xml"))
    assert news.findtext("sm:url/news:news/news:title", namespaces=NS).split()[:2] == [
        "Budget",
        "vote",
    ]


def test_the_article_sitemap_dates_a_same_day_correction_to_the_second(client, make_article):
    from articles.models import Article

    morning = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(1)
    story = make_article(published_at=morning)
    Article.objects.filter(pk=story.pk).update(
        updated_at=morning.replace(hour=15, minute=30, second=7, microsecond=250)
    )

    root = parse(client.get("/sitemap-articles.xml"))

    # The date alone would say nothing changed since the morning's crawl.
    assert root.findtext("sm:url/sm:lastmod", namespaces=NS) == (
        morning.strftime("%Y-%m-%d") + "T15:30:07+00:00"
    )


def test_feed_readers_show_the_lead_as_the_editor_wrote_it(client, make_article):
    from html import unescape

    from django.utils.html import strip_tags

    lead = "Why the <blink> tag died, and R&amp;D costs rose: 5 < 6."
    make_article(standfirst=lead)

    rss = parse(client.get("/feed/")).findtext("channel/item/description")
    atom = parse(client.get("/atom/")).find("atom:entry/atom:summary", NS)

    # Both carry HTML: what a reader shows is the markup's text.
    assert atom.get("type") == "html"
    assert unescape(strip_tags(rss)) == unescape(strip_tags(atom.text)) == lead


def test_feeds_carry_the_hero_picture_as_an_enclosure(client, article, make_article):
    from django.core.files.storage import default_storage

    from tests.test_article_metadata import with_hero

    with_hero(article)
    make_article(title="No picture", published_at=timezone.now() - timedelta(days=1))

    rss = parse(client.get("/feed/"))
    pictured, plain = rss.findall("channel/item")
    enclosure = pictured.find("enclosure")
    atom = parse(client.get("/atom/")).find("atom:entry/atom:link[@rel='enclosure']", NS)

    url = enclosure.get("url")
    assert url.startswith(SITE_URL + settings.MEDIA_URL + "renditions/")  # not the upload
    assert (atom.get("href"), atom.get("length"), atom.get("type")) == (
        url,
        enclosure.get("length"),
        enclosure.get("type"),
    )
    assert enclosure.get("type") == "image/jpeg"
    stored = url.removeprefix(SITE_URL + settings.MEDIA_URL)
    assert int(enclosure.get("length")) == default_storage.size(stored)
    assert plain.find("enclosure") is None


def test_a_feed_asks_the_storage_nothing_and_an_older_picture_it_cannot_size_is_left_out(
    client, article, make_article
):
    # On object storage each question is a request: thirty of them every time a feed is drawn.
    from django.core.files.storage import default_storage

    from tests.test_article_metadata import with_hero

    with_hero(article)
    older = with_hero(make_article(published_at=timezone.now() - timedelta(days=1)))
    older.refresh_from_db()
    Article.objects.filter(pk=older.pk).update(
        hero_crops={
            k: {n: v for n, v in c.items() if n != "bytes"} for k, c in older.hero_crops.items()
        }
    )

    with mock.patch.object(default_storage, "size", side_effect=RuntimeError("storage away")):
        response = client.get("/feed/")

    assert response.status_code == 200
    pictured, unsized = parse(response).findall("channel/item")
    assert int(pictured.find("enclosure").get("length")) > 0
    assert unsized.find("enclosure") is None


def test_every_sitemap_dates_to_the_second_as_the_article_sitemap_does(client, make_article):
    from articles.models import Article

    written = timezone.now().replace(microsecond=304476) - timedelta(hours=3)
    story = make_article(published_at=written)
    Article.objects.filter(pk=story.pk).update(updated_at=written)
    stamp = written.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")

    index = parse(client.get("/sitemap.xml")).findtext("sm:sitemap/sm:lastmod", namespaces=NS)
    news = parse(client.get("/sitemap-news.xml")).findtext(
        "sm:url/news:news/news:publication_date", namespaces=NS
    )
    articles = parse(client.get("/sitemap-articles.xml")).findtext(
        "sm:url/sm:lastmod", namespaces=NS
    )

    assert index == news == articles == stamp
