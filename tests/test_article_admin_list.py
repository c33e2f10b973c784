"""The article list as the newsroom reads it: titled for what it holds, and its lists by status
(Draft, Scheduled, Published) at the top, where a phone shows them before the rows."""

LIST = "/admin/articles/article/"


def test_the_article_list_is_titled_articles(editor_client, article):
    html = editor_client.get(LIST).content.decode()

    assert "<h1>Articles</h1>" in html
    assert "<title>Articles |" in html
    assert "Select article to change" not in html
