"""The stories' list says which stories are followed live (articles.live_services), and lists
them by it: the ones live now, those whose coverage ended, those never followed live."""

import re

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

    assert '<th scope="col" class="column-live_coverage">' in html
    assert _rows(html) == {"Storm live": "Live", "Count ended": "Ended", "Calm story": "–"}


def test_the_list_filters_by_live_coverage(desk, make_article):
    _stories(make_article)

    html = desk.get(LIST).content.decode()
    for value, name in [("now", "Live now"), ("ended", "Coverage ended"), ("never", "Never live")]:
        assert f'<a href="?live={value}">{name}</a>' in html
    assert set(_rows(desk.get(LIST, {"live": "now"}).content.decode())) == {"Storm live"}
    assert set(_rows(desk.get(LIST, {"live": "ended"}).content.decode())) == {"Count ended"}
    assert set(_rows(desk.get(LIST, {"live": "never"}).content.decode())) == {"Calm story"}
