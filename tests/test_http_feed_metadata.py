"""What feed readers are told about a feed and its stories: a date that moves only when the
feed does (their "new" badge, and the ETag they revalidate with, follow it), and each author
of a story as an author of their own."""

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree

from django.conf import settings
from django.utils import timezone

from articles.models import Article, Author

ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def parse(response):
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def feed_dates(client, path):
    rss = parse(client.get(f"{path}feed/"))
    atom = parse(client.get(f"{path}atom/"))
    return (
        parsedate_to_datetime(rss.findtext("channel/lastBuildDate")),
        datetime.fromisoformat(atom.findtext("atom:updated", namespaces=ATOM)),
    )


def test_an_empty_sections_feeds_do_not_claim_a_change_on_every_request(client, section):
    asked_at = datetime.now(UTC).replace(microsecond=0)

    built, updated = feed_dates(client, section.get_absolute_url())

    assert built < asked_at and updated < asked_at
    assert feed_dates(client, section.get_absolute_url()) == (built, updated)
    first = client.get(f"{section.get_absolute_url()}feed/")
    assert client.get(f"{section.get_absolute_url()}feed/")["ETag"] == first["ETag"]


def test_a_feed_with_stories_is_dated_by_its_newest_change(client, make_article):
    edited = timezone.now().replace(microsecond=0) - timedelta(hours=3)
    story = make_article(published_at=edited - timedelta(hours=1))
    Article.objects.filter(pk=story.pk).update(updated_at=edited)

    assert feed_dates(client, story.section.get_absolute_url()) == (edited, edited)


def test_each_author_of_a_story_is_an_author_of_its_own_in_both_feeds(client, make_article, author):
    second = Author.objects.create(name="Li, Wei", slug="li-wei")
    make_article(title="Written together", authors=[author, second])

    entry = parse(client.get("/atom/")).find("atom:entry", ATOM)
    bylines = [
        (a.findtext("atom:name", namespaces=ATOM), a.findtext("atom:uri", namespaces=ATOM))
        for a in entry.findall("atom:author", ATOM)
    ]
    item = parse(client.get("/feed/")).find("channel/item")
    creators = [c.text for c in item.findall("{http://purl.org/dc/elements/1.1/}creator")]

    # In the order the story's page gives them.
    assert bylines == [
        ("Li, Wei", f"{settings.SITE_URL}/author/li-wei/"),
        ("Marta Ribeiro", f"{settings.SITE_URL}/author/marta-ribeiro/"),
    ]
    assert creators == ["Li, Wei", "Marta Ribeiro"]


def test_a_story_without_a_byline_is_the_sites_in_atom_not_an_empty_name(client, make_article):
    make_article(title="From the desk", authors=[])

    root = parse(client.get("/atom/"))

    assert root.findtext("atom:author/atom:name", namespaces=ATOM) == settings.SITE_NAME
    assert root.findall("atom:entry/atom:author", ATOM) == []


def test_an_empty_section_is_dated_by_the_site_s_newest_change_not_1970(
    client, make_article, section
):
    from articles.models import Section

    quiet = Section.objects.create(name="Climate", slug="climate")
    edited = timezone.now().replace(microsecond=0) - timedelta(hours=3)
    story = make_article(section=section, published_at=edited - timedelta(hours=1))
    Article.objects.filter(pk=story.pk).update(updated_at=edited)
    make_article(section=quiet, status=Article.Status.DRAFT)  # no date of a draft's shown

    assert feed_dates(client, quiet.get_absolute_url()) == (edited, edited)


def test_a_site_with_nothing_published_dates_its_feeds_when_it_was_set_up(client, db):
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    set_up = MigrationRecorder(connection).migration_qs.get(app="articles", name="0001_initial")

    built, updated = feed_dates(client, "/")

    assert built.year > 1970
    assert abs(updated - set_up.applied) < timedelta(seconds=1)
    assert abs(built - set_up.applied) < timedelta(seconds=1)
