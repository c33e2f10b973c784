"""A long live coverage, a page at a time: the story's page shows its newest updates and leads
to the earlier ones ("Earlier updates", without JavaScript), each earlier page shared by every
reader and purged with the story; the key events lead to every key event, wherever it is; made-up
page numbers answer a 404, never an error; the queries stay the same however long it runs."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.live_pages import LIVE_UPDATES_PER_PAGE
from articles.live_services import delete_updates, post_update
from articles.models import Article, LiveUpdate, OldSlug
from articles.services import unpublish_articles

PER_PAGE = LIVE_UPDATES_PER_PAGE


def _coverage(html: str) -> str:
    found = re.search(r'<section class="live-coverage".*?</section>', html, re.S)
    return found.group(0) if found else ""


def _texts(html: str) -> list[str]:
    return re.findall(r'<div class="live-update-text"><p>(.*?)</p>', _coverage(html))


def _key_links(html: str) -> dict[str, str]:
    key_events = re.search(r'<nav class="key-events".*?</nav>', html, re.S).group(0)
    links = re.findall(r'<li><a href="([^"]+)">.*?</time> ([^<]+)</a>', key_events)
    return {name: href for href, name in links}


def _follow(article, count: int, *, key_events=()) -> list[LiveUpdate]:
    return [
        post_update(
            article=article,
            text=f"Update {n}",
            headline=f"Event {n}" if n in key_events else "",
            key_event=n in key_events,
        )
        for n in range(count)
    ]


def _pages(article) -> str:
    return f"{article.get_absolute_url()}updates/"


def test_a_long_coverage_shows_its_newest_updates_and_leads_to_the_earlier_ones(
    client, article, settings
):
    _follow(article, 2 * PER_PAGE + 5)
    newest = 2 * PER_PAGE + 4

    first = client.get(article.get_absolute_url()).content.decode()
    assert _texts(first) == [f"Update {n}" for n in range(newest, newest - PER_PAGE, -1)]
    assert f'rel="next" href="{_pages(article)}2/#live-updates">Earlier updates (25)</a>' in first
    # The first page is the one that changes: it alone looks for new updates.
    assert "/js/live." in first and "data-live" in _coverage(first)

    second = client.get(f"{_pages(article)}2/")
    html = second.content.decode()
    assert second.status_code == 200
    assert second.headers["Cache-Control"].startswith("public")
    assert f"article-{article.pk}" in second.headers["Surrogate-Key"].split()
    assert _texts(html) == [f"Update {n}" for n in range(newest - PER_PAGE, 4, -1)]
    assert f'href="{article.get_absolute_url()}#live-updates">Newer updates</a>' in html
    assert f'href="{_pages(article)}3/#live-updates">Earlier updates (5)</a>' in html
    assert "Xiaomi will mass-produce its car: earlier updates, page 2" in html
    # No looking for new updates there (js/live.js only finds an update moved from its page).
    assert "data-live" not in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}{_pages(article)}2/">' in html

    last = client.get(f"{_pages(article)}3/").content.decode()
    assert _texts(last) == [f"Update {n}" for n in range(4, -1, -1)]
    assert "Earlier updates" not in last and "Newer updates</a>" in last
    assert client.get(f"{_pages(article)}4/").status_code == 404


def test_earlier_pages_are_kept_out_of_search_engines_the_story_is_not(client, article, settings):
    _follow(article, PER_PAGE + 1)

    story = client.get(article.get_absolute_url()).content.decode()
    earlier = client.get(f"{_pages(article)}2/").content.decode()

    # Their updates move on with every post: the story's page is the one to find.
    assert '<meta name="robots" content="max-image-preview:large">' in story
    assert '<meta name="robots" content="noindex">' in earlier
    assert "max-image-preview" not in earlier
    assert f'<link rel="canonical" href="{settings.SITE_URL}{_pages(article)}2/">' in earlier


def test_a_short_coverage_is_all_on_the_story_page(client, article):
    _follow(article, PER_PAGE)

    html = client.get(article.get_absolute_url()).content.decode()
    assert len(_texts(html)) == PER_PAGE and "Earlier updates" not in html
    assert client.get(f"{_pages(article)}2/").status_code == 404


def test_the_key_events_lead_to_every_key_event_on_the_page_it_is_on(client, article):
    # The newest first: update n is the (44 - n)th newest of 45.
    updates = _follow(article, 2 * PER_PAGE + 5, key_events=(2, 20, 30))
    on_page = {n: (2 * PER_PAGE + 4 - n) // PER_PAGE + 1 for n in (2, 20, 30)}
    assert on_page == {2: 3, 20: 2, 30: 1}

    first = client.get(article.get_absolute_url()).content.decode()
    assert _key_links(first) == {
        "Event 30": f"#update-{updates[30].pk}",
        "Event 20": f"{_pages(article)}2/#update-{updates[20].pk}",
        "Event 2": f"{_pages(article)}3/#update-{updates[2].pk}",
    }
    second = client.get(f"{_pages(article)}2/").content.decode()
    assert _key_links(second) == {
        "Event 30": f"{article.get_absolute_url()}#update-{updates[30].pk}",
        "Event 20": f"#update-{updates[20].pk}",
        "Event 2": f"{_pages(article)}3/#update-{updates[2].pk}",
    }
    # Each link leads to the update it names.
    for n, page in on_page.items():
        url = article.get_absolute_url() if page == 1 else f"{_pages(article)}{page}/"
        assert f'id="update-{updates[n].pk}"' in client.get(url).content.decode()


def test_a_coverage_over_two_days_dates_its_updates_on_every_page(client, article):
    updates = _follow(article, PER_PAGE + 2, key_events=(0,))
    yesterday = timezone.now() - timedelta(days=1)
    LiveUpdate.objects.filter(pk__in=[u.pk for u in updates[:2]]).update(posted_at=yesterday)
    Article.objects.filter(pk=article.pk).update(live_since=yesterday)
    day = timezone.localtime(yesterday).strftime("%-d %b, ")
    today = timezone.localtime(timezone.now()).strftime("%-d %b, ")

    first = client.get(article.get_absolute_url()).content.decode()
    # Today's updates say so, as yesterday's key event does, listed above them.
    assert f">{today}" in _coverage(first).split('<article class="live-update')[1]
    assert f">{day}" in re.search(r'<nav class="key-events".*?</nav>', first, re.S).group(0)
    second = client.get(f"{_pages(article)}2/").content.decode()
    assert f">{day}" in _coverage(second).split('<article class="live-update')[1]


@pytest.mark.parametrize("days", [1, 2])
def test_a_later_edit_of_the_story_does_not_date_a_one_day_coverage(client, article, days):
    updates = _follow(article, PER_PAGE + 2, key_events=(0, PER_PAGE + 1))
    # All at noon of one day, a minute apart (the oldest two the day before when over two days);
    # the story edited days later, its "Updated" on another day than any update.
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    noon -= timedelta(days=3)
    for n, update in enumerate(updates):
        day_before = timedelta(days=1) if days == 2 and n < 2 else timedelta()
        posted = noon + timedelta(minutes=n) - day_before
        LiveUpdate.objects.filter(pk=update.pk).update(posted_at=posted)
    Article.objects.filter(pk=article.pk).update(
        live_since=noon - (timedelta(days=1) if days == 2 else timedelta()),
        updated_at=noon + timedelta(days=2),
    )
    dated = re.compile(r'<time datetime="[^"]+">\d{1,2} [A-Z][a-z]{2}, ')

    for url in (article.get_absolute_url(), f"{_pages(article)}2/"):
        coverage = _coverage(client.get(url).content.decode())
        times = re.findall(r'<time datetime="[^"]+">', coverage)
        # Every update's time and the key events': with their day only when the coverage has two.
        assert len(times) >= 4
        assert len(dated.findall(coverage)) == (len(times) if days == 2 else 0), url


@pytest.mark.parametrize("number", [2, 3, 999999999])
def test_a_story_never_followed_live_has_no_earlier_updates(client, article, number):
    response = client.get(f"{_pages(article)}{number}/")

    # The site's shared 404, as past the last page: no empty page kept for every number.
    assert response.status_code == 404
    assert "earlier updates" not in response.content.decode()


def test_a_story_whose_updates_were_all_deleted_has_no_earlier_updates(client, article):
    _follow(article, PER_PAGE + 1)
    assert client.get(f"{_pages(article)}2/").status_code == 200

    delete_updates(queryset=LiveUpdate.objects.filter(article=article))

    for number in (2, 3):
        assert client.get(f"{_pages(article)}{number}/").status_code == 404


@pytest.mark.parametrize(
    "junk", ["0", "00", "01", "-1", "abc", "2.0", "1e3", "99999999999", " 2", "%202", "2/2"]
)
def test_made_up_page_numbers_are_not_found(client, article, junk):
    _follow(article, PER_PAGE + 1)

    response = client.get(f"{_pages(article)}{junk}/")

    assert response.status_code == 404
    assert "Earlier updates" not in response.content.decode()


def test_page_one_and_old_addresses_lead_on_for_good(client, article):
    _follow(article, PER_PAGE + 1)
    OldSlug.objects.create(article=article, slug="old-address")

    one = client.get(f"{_pages(article)}1/")
    assert one.status_code == 301
    assert one.headers["Location"] == f"{article.get_absolute_url()}#live-updates"
    moved = client.get("/articles/old-address/updates/2/")
    assert moved.status_code == 301 and moved.headers["Location"] == f"{_pages(article)}2/"
    assert client.get("/articles/no-such-story/updates/2/").status_code == 404


def test_an_old_address_of_page_one_leads_to_the_story_at_once(client, article):
    _follow(article, PER_PAGE + 1)
    OldSlug.objects.create(article=article, slug="old-address")

    moved = client.get("/articles/old-address/updates/1/")

    # One hop, not to the new slug's updates/1/ and on again.
    assert moved.status_code == 301
    assert moved.headers["Location"] == f"{article.get_absolute_url()}#live-updates"


def test_an_editors_preview_of_a_story_taken_down_leads_to_its_earlier_updates(
    client, desk, article
):
    updates = _follow(article, PER_PAGE + 1, key_events=(0,))
    unpublish_articles(queryset=Article.objects.filter(pk=article.pk))

    preview = desk.get(article.get_absolute_url()).content.decode()
    assert f'href="{_pages(article)}2/#live-updates">Earlier updates (1)</a>' in preview
    assert _key_links(preview)["Event 0"] == f"{_pages(article)}2/#update-{updates[0].pk}"
    earlier = desk.get(f"{_pages(article)}2/")

    # The editor's alone, as the preview is: no cache keeps it.
    assert earlier.status_code == 200 and _texts(earlier.content.decode()) == ["Update 0"]
    assert "private" in earlier.headers["Cache-Control"]
    assert "no-store" in earlier.headers["Cache-Control"]
    assert "Surrogate-Key" not in earlier.headers
    # Readers find nothing there, as at the story's own address.
    assert client.get(f"{_pages(article)}2/").status_code == 404


def test_an_earlier_page_follows_each_new_update(client, article, settings):
    settings.FRAGMENT_CACHE_SECONDS = 300  # kept, as in production: the update purges it
    _follow(article, PER_PAGE + 1)
    assert _texts(client.get(f"{_pages(article)}2/").content.decode()) == ["Update 0"]

    post_update(article=article, text="Update new")

    later = client.get(f"{_pages(article)}2/").content.decode()
    assert _texts(later) == ["Update 1", "Update 0"]


def test_the_pages_read_a_page_of_updates_however_long_the_coverage(client, article):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        updates = [q["sql"] for q in captured if "articles_liveupdate" in q["sql"]]
        return len(captured), updates

    _follow(article, PER_PAGE + 5, key_events=(1, 24))
    first, second = queries(article.get_absolute_url()), queries(f"{_pages(article)}2/")
    _follow(article, 3 * PER_PAGE, key_events=(3, 7, 40))
    assert queries(article.get_absolute_url())[0] == first[0]
    assert queries(f"{_pages(article)}2/")[0] == second[0]
    # A page of updates' words (how many there are counted by the database in the same query),
    # never the whole coverage; the key events are counted by the database too.
    for _, sql in (first, second):
        listed = [q for q in sql if '"articles_liveupdate"."text_html"' in q]
        assert len(listed) == 1 and f"LIMIT {PER_PAGE}" in listed[0], listed
