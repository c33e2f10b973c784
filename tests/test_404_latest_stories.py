"""A reader who lands on "Page not found" (a mistyped or broken link) is offered the newest
stories, still with a 404 status, in a page every reader shares, for a constant, small cost."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.test_http_caching import assert_shared


def latest_titles(response) -> list[str]:
    page = response.content.decode()
    section = page[page.index('id="latest-stories-heading"') :]
    section = section[: section.index("</section>")]
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', section)


def test_page_not_found_lists_the_newest_public_stories_and_stays_a_shared_404(
    client, make_article, draft, scheduled
):
    older = make_article(title="Council approves the budget", slug="budget")
    newer = make_article(
        title="Bridge reopens after repairs",
        slug="bridge",
        published_at=timezone.now() - timedelta(minutes=5),
    )

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert '<h2 id="latest-stories-heading" class="latest-stories-heading">Latest stories</h2>' in (
        page
    )
    assert latest_titles(response) == [newer.title, older.title]
    assert f'<a href="{newer.get_absolute_url()}">' in page
    assert "Secret draft" not in page and "Scheduled story" not in page
    # A takedown or an edit of either headline purges it from the proxy; a new story too.
    assert_shared(response, "list", "latest", f"listed-{newer.pk}", f"listed-{older.pk}")


def test_an_old_address_that_finds_nothing_lists_them_too(client, article):
    response = client.get("/articles/no-such-story/")

    assert response.status_code == 404
    assert latest_titles(response) == [article.title]
    # Kept shorter (a scheduled story's address), but shared and purged the same way.
    assert "public" in response["Cache-Control"]
    assert {"latest", f"listed-{article.pk}"} <= set(response["Surrogate-Key"].split())


def queries_of_a_404(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/no-such-page/").status_code == 404
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_for_six_stories_as_for_one(client, make_article):
    make_article(title="The only story")
    one = queries_of_a_404(client)
    for n in range(10):
        make_article(title=f"Another story {n}")

    assert queries_of_a_404(client) == one
    assert len(latest_titles(client.get("/no-such-page/"))) == 6


def test_once_kept_the_list_costs_nothing_until_a_story_is_published(
    client, make_article, settings, django_capture_on_commit_callbacks
):
    settings.FRAGMENT_CACHE_SECONDS = 300
    make_article(title="An older story")
    queries_of_a_404(client)

    assert queries_of_a_404(client) == 0  # the section menu and the list come kept
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Just published", published_at=timezone.now())
    assert queries_of_a_404(client) == 1  # the list alone, drawn again
    assert latest_titles(client.get("/no-such-page/")) == ["Just published", "An older story"]


def test_no_list_while_nothing_is_published(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Latest stories" not in response.content.decode()
    assert not Article.objects.exists()
