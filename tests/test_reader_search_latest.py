"""A search that finds nothing offers the newest stories, as "Page not found" does, so the
reader has somewhere to go on from; a search that finds something lists its results alone."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.test_404_latest_stories import latest_titles
from tests.test_http_caching import assert_shared


def test_a_search_that_finds_nothing_lists_the_latest_stories(client, make_article, draft):
    story = make_article(title="Council approves the budget")

    response = client.get("/search/", {"q": "zeppelin"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "No articles match." in html
    assert latest_titles(response) == [story.title]
    assert "Secret draft" not in html
    # Shared as before; a takedown of the story listed purges the page.
    assert_shared(response, "list", "latest", f"listed-{story.pk}")


def test_a_search_that_finds_something_lists_only_its_results(client, make_article):
    make_article(title="Council approves the budget")
    make_article(title="Bridge reopens after repairs")

    html = client.get("/search/", {"q": "bridge"}).content.decode()

    assert "1 result" in html
    assert "Latest stories" not in html


def test_a_search_that_finds_nothing_costs_the_same_whatever_the_number_of_stories(
    client, make_article
):
    make_article(title="Council approves the budget")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/search/", {"q": "zeppelin"}).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for n in range(10):
        make_article(title=f"Another story {n}")

    assert queries() == one
