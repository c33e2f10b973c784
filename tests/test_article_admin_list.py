"""The article list as the newsroom reads it: titled for what it holds, and its lists by status
(Draft, Scheduled, Published) at the top, where a phone shows them before the rows."""

from datetime import UTC, datetime

LIST = "/admin/articles/article/"


def test_the_article_list_is_titled_articles(editor_client, article):
    html = editor_client.get(LIST).content.decode()

    assert "<h1>Articles</h1>" in html
    assert "<title>Articles |" in html
    assert "Select article to change" not in html


def _tabs(html: str) -> str:
    return html.split('<nav class="status-tabs"', 1)[1].split("</nav>", 1)[0]


def test_the_lists_by_status_come_before_the_rows(editor_client, make_article):
    # On a phone the filters come after every row: fifty stories down to reach the drafts.
    make_article(title="Out now")
    make_article(title="Not yet written", status="draft")

    html = editor_client.get(LIST).content.decode()

    assert html.index('<nav class="status-tabs" aria-label="Articles by status">') < html.index(
        'id="result_list"'
    )
    tabs = _tabs(html)
    assert '<a href="?" aria-current="page">All</a>' in tabs
    for state, name in [("draft", "Draft"), ("scheduled", "Scheduled"), ("live", "Published")]:
        assert f'<a href="?state={state}">{name}</a>' in tabs


def test_the_tabs_keep_the_search_and_say_which_list_is_shown(editor_client, make_article):
    make_article(title="Coming soon about batteries", published_at=datetime(2099, 1, 1, tzinfo=UTC))

    html = editor_client.get(LIST, {"state": "scheduled", "q": "batteries"}).content.decode()

    tabs = _tabs(html)
    assert '<a href="?q=batteries&amp;state=scheduled" aria-current="page">Scheduled</a>' in tabs
    assert '<a href="?q=batteries&amp;state=draft">Draft</a>' in tabs
    assert "Coming soon about batteries" in html


def test_both_admin_lists_load_the_stylesheet_that_shows_the_tabs_on_a_phone(
    editor_client, article
):
    # Without it the tabs show beside the filters on a wide screen, or not at all.
    for page in (LIST, "/admin/comments/comment/?status=all"):
        html = editor_client.get(page).content.decode()
        assert '<nav class="status-tabs"' in html
        assert 'href="/static/css/admin-lists.' in html
