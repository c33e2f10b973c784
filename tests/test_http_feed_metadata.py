"""What feed readers are told about a feed and its stories: a date that moves only when the
feed does (their "new" badge, and the ETag they revalidate with, follow it), and each author
of a story as an author of their own."""

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree

from django.utils import timezone

from articles.models import Article

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
