"""A reader without JavaScript coming back to a long live coverage is told how many updates lie
behind "Earlier updates": the count is read with the page's updates, in the same query, and is
the same for every reader (the page stays shared); each update posted or deleted changes it on
the next reader's visit, the story's cached page and fragments purged as they were."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.live_pages import LIVE_UPDATES_PER_PAGE
from articles.live_services import delete_updates, post_update
from articles.models import LiveUpdate

PER_PAGE = LIVE_UPDATES_PER_PAGE


def _follow(article, count: int) -> list[LiveUpdate]:
    key = {1, count - 2}  # key events on the first page and further back: their query runs too
    return [
        post_update(article=article, text=f"Update {n}", headline="Event", key_event=n in key)
        for n in range(count)
    ]


def _earlier(response) -> str:
    """The words of the "Earlier updates" link ("" when there is none)."""
    found = re.search(
        r'<a class="[^"]*" rel="next" href="[^"]+">([^<]*)</a>', response.content.decode()
    )
    return found.group(1) if found else ""


def _page(article, number: int) -> str:
    if number == 1:
        return article.get_absolute_url()
    return f"{article.get_absolute_url()}updates/{number}/"


def test_earlier_updates_says_how_many_there_are(client, article):
    _follow(article, 2 * PER_PAGE + 5)

    first, second, last = (client.get(_page(article, n)) for n in (1, 2, 3))

    assert _earlier(first) == f"Earlier updates ({PER_PAGE + 5})"
    assert _earlier(second) == "Earlier updates (5)"
    assert _earlier(last) == ""
    # The same words for every reader: the pages stay shared.
    for page in (first, second):
        assert page.headers["Cache-Control"].startswith("public")


def test_the_count_costs_no_query_of_its_own(client, article, django_assert_num_queries):
    _follow(article, 2 * PER_PAGE + 5)
    for number in (1, 2):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(_page(article, number))
        assert _earlier(page).startswith("Earlier updates (")
        read = [q["sql"] for q in captured if "articles_liveupdate" in q["sql"]]
        # The page of updates with its count, and the key events: as before there was a count.
        assert len(read) == 2, read

    # An earlier page in all: the story, its updates, its key events, the menus' two.
    with django_assert_num_queries(6):
        assert _earlier(client.get(_page(article, 2))) == "Earlier updates (5)"


def test_each_update_posted_or_deleted_changes_the_count_for_the_next_reader(
    client, article, settings
):
    settings.FRAGMENT_CACHE_SECONDS = 300  # kept, as in production: the update purges it
    updates = _follow(article, 2 * PER_PAGE + 5)
    assert _earlier(client.get(_page(article, 1))) == f"Earlier updates ({PER_PAGE + 5})"
    assert _earlier(client.get(_page(article, 2))) == "Earlier updates (5)"

    post_update(article=article, text="Update new")

    assert _earlier(client.get(_page(article, 1))) == f"Earlier updates ({PER_PAGE + 6})"
    assert _earlier(client.get(_page(article, 2))) == "Earlier updates (6)"

    delete_updates(queryset=LiveUpdate.objects.filter(pk__in=[u.pk for u in updates[:3]]))

    assert _earlier(client.get(_page(article, 1))) == f"Earlier updates ({PER_PAGE + 3})"
    assert _earlier(client.get(_page(article, 2))) == "Earlier updates (3)"
