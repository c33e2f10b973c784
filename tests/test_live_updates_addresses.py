"""Each live update's own address, /articles/<slug>/updates/at/<id>/, the one its time link and
the JSON-LD give: it leads to the page the update is on now (the pages are counted from the
newest, so an update moves on to an earlier page as newer ones come), kept by shared caches
under the story's key (each update, edit or delete purges it, so a shared link's readers are
answered by the proxy) but by no browser, and a reader's own never; an update of another
story, one unknown or deleted, is a 404."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.live_pages import LIVE_UPDATES_PER_PAGE
from articles.live_services import delete_updates, post_update
from articles.models import Article, LiveUpdate, OldSlug
from articles.services import unpublish_articles
from newsportal.caching import article_key

PER_PAGE = LIVE_UPDATES_PER_PAGE


def _follow(article, count: int) -> list[LiveUpdate]:
    return [post_update(article=article, text=f"Update {n}") for n in range(count)]


def _at(article, update) -> str:
    return f"{article.get_absolute_url()}updates/at/{update.pk}/"


def _leads_to(response, article) -> str:
    """Where this shared answer leads. Where it leads changes with the next update, which purges
    the story's key: shared caches keep it under that key, browsers ask again each time."""
    assert response.status_code == 302
    cache_control = response.headers["Cache-Control"]
    assert cache_control.startswith("public"), cache_control
    assert "max-age=0" in cache_control.split(", ")
    assert re.search(r"s-maxage=[1-9]", cache_control)
    assert article_key(article.pk) in response.headers["Surrogate-Key"].split()
    return response.headers["Location"]


def _leads_personally_to(response) -> str:
    """Where this reader's own answer leads: kept by no cache."""
    assert response.status_code == 302
    assert "private" in response.headers["Cache-Control"]
    assert "no-store" in response.headers["Cache-Control"]
    assert "Surrogate-Key" not in response.headers
    return response.headers["Location"]


def test_the_time_link_and_the_json_ld_give_each_updates_own_address(client, article, settings):
    updates = _follow(article, 2)

    html = client.get(article.get_absolute_url()).content.decode()

    for update in updates:
        link = f'id="update-{update.pk}-time" href="{_at(article, update)}"'
        assert link in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    urls = [entry["url"] for entry in data["liveBlogUpdate"]]
    assert urls == [settings.SITE_URL + _at(article, update) for update in reversed(updates)]


def test_an_updates_address_follows_it_to_the_page_it_is_on_now(client, article):
    first = _follow(article, 1)[0]
    assert _leads_to(client.get(_at(article, first)), article) == (
        f"{article.get_absolute_url()}#update-{first.pk}"
    )

    _follow(article, PER_PAGE)  # twenty newer: the first is on page 2 now
    to = _leads_to(client.get(_at(article, first)), article)
    assert to == f"{article.get_absolute_url()}updates/2/#update-{first.pk}"
    assert f'id="update-{first.pk}"' in client.get(to.split("#")[0]).content.decode()

    _follow(article, PER_PAGE)
    assert _leads_to(client.get(_at(article, first)), article).startswith(
        f"{article.get_absolute_url()}updates/3/#"
    )
    # The earlier pages' time links are the same addresses.
    earlier = client.get(f"{article.get_absolute_url()}updates/3/").content.decode()
    assert f'href="{_at(article, first)}"' in earlier


def test_an_update_of_another_story_unknown_or_deleted_has_no_address(
    client, article, make_article
):
    other = make_article(title="Another story")
    theirs, ours = _follow(other, 1)[0], _follow(article, 2)

    assert client.get(f"{article.get_absolute_url()}updates/at/{theirs.pk}/").status_code == 404
    assert client.get(f"{article.get_absolute_url()}updates/at/999999/").status_code == 404
    delete_updates(queryset=LiveUpdate.objects.filter(pk=ours[0].pk))
    assert client.get(_at(article, ours[0])).status_code == 404
    assert client.get("/articles/no-such-story/updates/at/1/").status_code == 404
    for junk in ("0", "01", "-1", "abc", "1.0"):
        assert client.get(f"{article.get_absolute_url()}updates/at/{junk}/").status_code == 404


def test_an_updates_address_under_an_old_slug_leads_to_it(client, article):
    update = _follow(article, 1)[0]
    OldSlug.objects.create(article=article, slug="old-address")

    to = _leads_to(client.get(f"/articles/old-address/updates/at/{update.pk}/"), article)

    assert to == f"{article.get_absolute_url()}#update-{update.pk}"


def test_in_a_preview_an_updates_address_is_the_editors_alone(client, desk, article):
    update = _follow(article, PER_PAGE + 1)[0]
    unpublish_articles(queryset=Article.objects.filter(pk=article.pk))

    to = _leads_personally_to(desk.get(_at(article, update)))

    assert to == f"{article.get_absolute_url()}updates/2/#update-{update.pk}"
    assert client.get(_at(article, update)).status_code == 404


@pytest.mark.parametrize("newer", [0, 3 * PER_PAGE])
def test_an_updates_address_reads_the_same_however_long_the_coverage(client, article, newer):
    first = _follow(article, 1)[0]
    _follow(article, newer)

    with CaptureQueriesContext(connection) as captured:
        _leads_to(client.get(_at(article, first)), article)

    # The story's row, then the update with how many are newer, counted by the database.
    assert len(captured) == 2
    assert not any(f"LIMIT {PER_PAGE + 1}" in q["sql"] for q in captured)


def test_a_signed_in_readers_way_to_an_update_is_their_own(article, desk):
    update = _follow(article, 1)[0]

    to = _leads_personally_to(desk.get(_at(article, update)))

    assert to == f"{article.get_absolute_url()}#update-{update.pk}"


def test_no_other_temporary_redirect_is_shared(client, reader, article, comment_form_data):
    # A comments page past the last (the last page moves as comments are approved).
    past = client.get(f"{article.get_absolute_url()}?comments-page=999")
    assert _leads_personally_to(past) == article.get_absolute_url()
    # The answer to a post: the comment sent, the reader led back to the story.
    posted = reader.post(f"/comments/post/{article.pk}/", comment_form_data(article))
    assert _leads_personally_to(posted).startswith(article.get_absolute_url())
