"""The stories' list says which stories are followed live (articles.live_services), and lists
them by it: the ones live now, those whose coverage ended, those never followed live; and sorts
by it, the stories live now first."""

import re
from datetime import timedelta

from django.utils import timezone

from articles.live_services import end_coverage, post_update
from articles.models import Article

LIST = "/admin/articles/article/"


def _rows(html: str) -> dict[str, str]:
    """Each row's headline and what its "live" column says."""
    rows = re.findall(r"<tr>.*?</tr>", html.split('id="result_list"', 1)[1], re.S)
    found = {}
    for row in rows:
        title = re.search(r'<th class="field-title"><a [^>]*>([^<]+)</a>', row)
        live = re.search(r'<td class="field-live_coverage">([^<]*)</td>', row)
        if title and live:
            found[title.group(1)] = live.group(1)
    return found


def _stories(make_article):
    live = make_article(title="Storm live", slug="storm-live")
    ended = make_article(title="Count ended", slug="count-ended")
    make_article(title="Calm story", slug="calm-story")
    for story in (live, ended):
        post_update(article=story, text="It began.")
    end_coverage(queryset=Article.objects.filter(pk=ended.pk))


def test_the_list_says_which_stories_are_live(desk, make_article):
    _stories(make_article)

    html = desk.get(LIST).content.decode()

    assert '<th scope="col" class="sortable column-live_coverage">' in html
    assert _rows(html) == {"Storm live": "Live", "Count ended": "Ended", "Calm story": "–"}


def test_the_list_filters_by_live_coverage(desk, make_article):
    _stories(make_article)

    html = desk.get(LIST).content.decode()
    for value, name in [("now", "Live now"), ("ended", "Coverage ended"), ("never", "Never live")]:
        assert f'<a href="?live={value}">{name}</a>' in html
    assert set(_rows(desk.get(LIST, {"live": "now"}).content.decode())) == {"Storm live"}
    assert set(_rows(desk.get(LIST, {"live": "ended"}).content.decode())) == {"Count ended"}
    assert set(_rows(desk.get(LIST, {"live": "never"}).content.decode())) == {"Calm story"}


def _live_header_link(html: str) -> str:
    """Where the "live" column's heading leads (sorting by it), or "" when it does not sort."""
    header = re.search(
        r'<th scope="col" class="([^"]*)column-live_coverage">(.*?)</th>', html, re.S
    )
    link = re.search(r'<a href="(\?o=[^"]+)"', header.group(2))
    return link.group(1) if link and "sortable" in header.group(1) else ""


def test_the_list_sorts_by_live_coverage(desk, make_article):
    # Published an hour apart, in this order: the list's own order (the newest first) mixes them.
    titles = ["Calm newest", "Storm live", "Count ended", "Quake live", "Calm older"]
    now = timezone.now()
    stories = {
        title: make_article(title=title, published_at=now - timedelta(hours=n))
        for n, title in enumerate(titles, start=1)
    }
    storm, count, quake = stories["Storm live"], stories["Count ended"], stories["Quake live"]
    for live in (storm, count, quake):
        post_update(article=live, text="It began.")
    end_coverage(queryset=Article.objects.filter(pk=count.pk))

    sort = _live_header_link(desk.get(LIST).content.decode())
    assert sort, "the live column does not sort"
    ascending = desk.get(LIST + sort).content.decode()
    descending = desk.get(LIST + sort.replace("?o=", "?o=-")).content.decode()

    # Live now first, then ended, then never live; within each, the list's own order.
    assert list(_rows(ascending)) == [
        "Storm live",
        "Quake live",
        "Count ended",
        "Calm newest",
        "Calm older",
    ]
    assert list(_rows(descending)) == [
        "Calm newest",
        "Calm older",
        "Count ended",
        "Storm live",
        "Quake live",
    ]
