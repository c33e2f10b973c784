"""The comment lists by status (Pending, Reported, Approved, ...), at the top of every list of
comments: on a phone the filter that holds them comes after the fifty cards."""

from comments.desk import report_comment
from comments.models import Comment

LIST = "/admin/comments/comment/"


def _tabs(html: str) -> str:
    return html.split('<nav class="status-tabs"', 1)[1].split("</nav>", 1)[0]


def test_the_reported_queue_is_reached_from_the_top_of_the_queue(
    moderator_client, article, make_comment
):
    make_comment(article)
    reported = make_comment(article, status=Comment.Status.APPROVED)
    report_comment(comment=reported, reason="abuse", ip="192.0.2.1")

    html = moderator_client.get(LIST).content.decode()

    assert html.index('<nav class="status-tabs"') < html.index('id="result_list"')
    tabs = _tabs(html)
    assert '<a href="?status=reported">Reported (1)</a>' in tabs
    assert '<a href="?status=pending" aria-current="page">Pending</a>' in tabs


def test_the_tabs_keep_the_search_and_say_which_list_is_shown(
    moderator_client, article, make_comment
):
    make_comment(article, status=Comment.Status.SPAM, body="Cheap watches")

    html = moderator_client.get(LIST, {"status": "spam", "q": "watches"}).content.decode()

    tabs = _tabs(html)
    assert '<a href="?q=watches&amp;status=spam" aria-current="page">Spam</a>' in tabs
    assert '<a href="?q=watches&amp;status=all">All</a>' in tabs


def test_an_editor_gets_no_reported_tab(editor_client, article, make_comment):
    make_comment(article)

    tabs = _tabs(editor_client.get(LIST).content.decode())

    assert "Reported" not in tabs and "Approved" in tabs
