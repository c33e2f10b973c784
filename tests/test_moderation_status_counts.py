"""The counts beside the lists by status (the tabs above the list, the sidebar's filter) count
what the list's search and filters leave, as clicking the list shows it: "Reported (n)", and
every list's with the admin's "Show counts"."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from comments.desk import report_comment
from comments.models import Comment

LIST = "/admin/comments/comment/"


def _tabs(html: str) -> list[str]:
    nav = html.split('<nav class="status-tabs"', 1)[1].split("</nav>", 1)[0]
    return [strip_tags(tab).strip() for tab in re.findall(r"<li>(.*?)</li>", nav)]


def _sidebar(html: str) -> list[str]:
    status = html.split('<details data-filter-title="status"', 1)[1].split("</details>", 1)[0]
    return [strip_tags(item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", status, re.S)]


def _reported(comment, n=1):
    for k in range(n):
        report_comment(comment=comment, reason="abuse", ip=f"192.0.2.{comment.pk % 200 + k}")


def _watches_and_others(article, make_comment):
    """Two reported comments, one of them about watches; watches in three lists."""
    watches = make_comment(article, status=Comment.Status.APPROVED, body="Cheap watches here")
    _reported(watches)
    _reported(make_comment(article, status=Comment.Status.APPROVED, body="You are an idiot"))
    make_comment(article, status=Comment.Status.APPROVED, body="Nice watches, nice story")
    make_comment(article, body="Where are the watches made?")
    make_comment(article, status=Comment.Status.SPAM, body="WATCHES 90% OFF")
    make_comment(article, body="Good reporting")


def test_reported_counts_the_comments_the_search_finds(moderator_client, article, make_comment):
    _watches_and_others(article, make_comment)

    whole = moderator_client.get(LIST).content.decode()
    searched = moderator_client.get(LIST, {"q": "watches"}).content.decode()

    assert "Reported (2)" in _tabs(whole)
    # Before, a search still said the whole site's 2; the list it links to shows one.
    assert "Reported (1)" in _tabs(searched) and "Reported (1)" in _sidebar(searched)
    reported = moderator_client.get(LIST, {"q": "watches", "status": "reported"})
    assert reported.content.decode().count('class="queue-row"') == 1


def test_show_counts_counts_every_list_under_the_search(moderator_client, article, make_comment):
    _watches_and_others(article, make_comment)

    html = moderator_client.get(LIST, {"q": "watches", "_facets": "True"}).content.decode()

    expected = [
        "Pending (1)",
        "Approved (2)",
        "Rejected (0)",
        "Spam (1)",
        "Reported (1)",
        "All (4)",
    ]
    # Before, the status lists had no counts with "Show counts" (Reported its site-wide one).
    assert _tabs(html) == expected
    assert _sidebar(html) == expected
    # The queue's note on the decided comments its search finds agrees with the counts.
    assert "this search also finds: 2 approved · 1 spam." in strip_tags(html)


def test_an_editor_s_counts_have_no_reported_list(editor_client, article, make_comment):
    _watches_and_others(article, make_comment)

    html = editor_client.get(LIST, {"status": "all", "_facets": "True"}).content.decode()

    assert _tabs(html) == [
        "Pending (2)",
        "Approved (3)",
        "Rejected (0)",
        "Spam (1)",
        "All (6)",
    ]


def _queries(client, query):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST, query).status_code == 200
    return len(ctx.captured_queries)


def test_counted_lists_cost_the_same_queries_for_5_or_60_comments_found(
    moderator_client, article, make_comment
):
    def add(n):
        for k in range(n):
            comment = make_comment(article, body=f"Watches, again ({k})")
            if k % 3 == 0:
                _reported(comment, n=2)
            make_comment(article, status=Comment.Status.APPROVED, body=f"Watches {k}")

    queries = [{"q": "watches"}, {"q": "watches", "_facets": "True"}, {"_facets": "True"}]
    add(5)
    _queries(moderator_client, {})  # warm: the moderator's session and permissions
    few = [_queries(moderator_client, query) for query in queries]

    add(55)

    assert [_queries(moderator_client, query) for query in queries] == few
