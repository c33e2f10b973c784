"""Live coverage: an editor follows a story as it happens with dated updates on its page, the
newest first, the key events listed above them; "Live" marks the story on its page and in the
lists until the coverage ends. Each update reaches readers through the caches in front at once
(the story's page and the lists are purged)."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.live_services import delete_updates, end_coverage, post_update
from articles.models import Article, LiveUpdate

ADD = "/admin/articles/liveupdate/add/"


@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300


def _coverage(html: str) -> str:
    found = re.search(r'<section class="live-coverage".*?</section>', html, re.S)
    return found.group(0) if found else ""


def _json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def _post(article, *, text="Police close the coast road.", headline="", key_event=False):
    return post_update(article=article, text=text, headline=headline, key_event=key_event)


def test_an_editor_posts_an_update_and_readers_see_the_story_live_at_once(
    desk, client, article, purges, fragments_on, django_capture_on_commit_callbacks
):
    for url in ("/", article.get_absolute_url()):  # kept by the caches, as readers got them
        assert "live-label" not in client.get(url).content.decode()

    form = {"article": article.pk, "headline": "Road closed", "text": "Police **close** the road."}
    with django_capture_on_commit_callbacks(execute=True):
        posted = desk.post(ADD, form, follow=True)

    said = posted.content.decode()
    assert "Posted at" in said and "it is on “Xiaomi will mass-produce its car” now" in said
    # The next update's form, for the same story: coverage is posted update after update.
    assert posted.redirect_chain[-1][0] == f"{ADD}?article={article.pk}"
    assert any({f"article-{article.pk}", "list"} <= keys for keys in purges)
    page = client.get(article.get_absolute_url())
    html = page.content.decode()
    assert page.headers["Cache-Control"].startswith("public")
    assert '<span class="live-label">Live</span>' in html
    coverage = _coverage(html)
    assert '<h3 class="live-update-headline">Road closed</h3>' in coverage
    assert "Police <strong>close</strong> the road." in coverage
    assert 'href="#live-updates">Latest update' in html
    assert '<span class="live-label">Live</span> Xiaomi will mass-produce its car' in (
        client.get("/").content.decode()
    )
    [update] = LiveUpdate.objects.all()
    assert update.posted_by.username == "desk"
    history = desk.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert "Posted a live update: “Road closed”" in history


def test_updates_read_newest_first_with_the_key_events_above_them(client, article):
    _post(article, text="We are following the storm today.")
    _post(article, text="Winds reach 120 km/h.", headline="Record gust at sea", key_event=True)
    latest = _post(article, text="Trains stop <script>alert(1)</script> at noon.")

    html = client.get(article.get_absolute_url()).content.decode()
    coverage = _coverage(html)
    assert coverage.index("Trains stop") < coverage.index("Winds reach") < coverage.index("storm")
    assert "<script>alert" not in coverage
    key_events = re.search(r'<nav class="key-events".*?</nav>', coverage, re.S).group(0)
    gust = LiveUpdate.objects.get(key_event=True)
    assert f'href="#update-{gust.pk}"' in key_events and "Record gust at sea" in key_events
    assert "Trains stop" not in key_events
    assert f'id="update-{latest.pk}"' in coverage
    data = _json_ld(html)
    assert data["@type"] == "LiveBlogPosting" and "coverageEndTime" not in data
    assert data["liveBlogUpdate"][0]["articleBody"] == "Trains stop at noon."


def test_ending_the_coverage_takes_live_off_and_keeps_the_updates(
    desk, client, article, fragments_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post(article)
    client.get(article.get_absolute_url())
    end = f"/admin/articles/liveupdate/end/{article.pk}/"
    asked = desk.get(end)  # a link followed (a prefetch) ends nothing
    assert "Yes, end the live coverage" in asked.content.decode()
    assert Article.objects.get(pk=article.pk).is_live

    with django_capture_on_commit_callbacks(execute=True):
        ended = desk.post(end, follow=True)

    assert "has ended: its updates stay on its page" in ended.content.decode()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "live-label" not in html
    assert "This live coverage ended" in _coverage(html)
    assert "Police close the coast road." in _coverage(html)
    assert "coverageEndTime" in _json_ld(html)
    assert "live-label" not in client.get("/").content.decode()

    # The newsroom back on it: the next update takes the coverage up again.
    _post(article, text="The road is open again.")
    again = Article.objects.get(pk=article.pk)
    assert again.is_live and again.live_since == LiveUpdate.objects.earliest("pk").posted_at


def test_deleting_the_only_update_leaves_no_live_coverage(client, article, fragments_on):
    update = _post(article)
    client.get(article.get_absolute_url())

    delete_updates(queryset=LiveUpdate.objects.filter(pk=update.pk))

    html = client.get(article.get_absolute_url()).content.decode()
    assert _coverage(html) == "" and "live-label" not in html
    assert not Article.objects.get(pk=article.pk).is_live


def test_a_story_not_on_the_site_is_refused_with_the_words_kept(desk, draft):
    form = {"article": draft.pk, "text": "Counting has begun in the north."}
    refused = desk.post(ADD, form).content.decode()

    assert "Publish it first." in refused
    assert "Counting has begun in the north." in refused
    assert not LiveUpdate.objects.exists()


def test_a_key_event_needs_a_headline(desk, article):
    form = {"article": article.pk, "text": "The count is in.", "key_event": "on"}
    refused = desk.post(ADD, form).content.decode()

    assert "A key event is listed by its headline" in refused and "The count is in." in refused
    assert not LiveUpdate.objects.exists()


def test_only_editors_post_updates_or_end_the_coverage(article, moderator):
    _post(article)
    client = Client()
    client.force_login(moderator)

    assert client.post(ADD, {"article": article.pk, "text": "Hi"}).status_code == 403
    assert client.post(f"/admin/articles/liveupdate/end/{article.pk}/").status_code == 403
    assert Article.objects.get(pk=article.pk).is_live and LiveUpdate.objects.count() == 1


def test_a_mended_update_keeps_its_time_and_the_story_its_updated_time(desk, client, article):
    update = _post(article, text="Winds reach 12 km/h.")
    updated_at = Article.objects.get(pk=article.pk).updated_at
    form = {"headline": "", "text": "Winds reach 120 km/h."}

    desk.post(f"/admin/articles/liveupdate/{update.pk}/change/", form)

    mended = LiveUpdate.objects.get(pk=update.pk)
    assert mended.text == "Winds reach 120 km/h." and mended.posted_at == update.posted_at
    assert Article.objects.get(pk=article.pk).updated_at == updated_at
    assert "Winds reach 120 km/h." in client.get(article.get_absolute_url()).content.decode()


def test_the_story_page_reads_its_updates_in_one_query_however_many(client, article, make_article):
    calm = make_article(title="A calm story", slug="calm-story")
    for n in range(2):
        _post(article, text=f"Update {n}")

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    plain = queries(calm.get_absolute_url())  # no fragments kept: drawn each time
    live = queries(article.get_absolute_url())
    for n in range(2, 12):
        _post(article, text=f"Update {n}", headline=f"Event {n}", key_event=True)
    assert queries(article.get_absolute_url()) == live
    # A story never followed live reads nothing for it; a live one, its updates once.
    assert live == plain + 1


def test_end_coverage_ends_only_stories_that_are_live(article, make_article):
    calm = make_article(title="A calm story", slug="calm-story")
    _post(article)

    assert end_coverage(queryset=Article.objects.filter(pk__in=[article.pk, calm.pk])) == 1
    assert end_coverage(queryset=Article.objects.filter(pk=article.pk)) == 0
    assert Article.objects.get(pk=calm.pk).live_ended_at is None
