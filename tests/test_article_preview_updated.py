"""Correcting a live story, the preview shows the "Updated" line its page will gain once saved
(a correction made some time after it went out), and only then: as the page will read."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from articles.models import Article
from tests.test_article_publishing_dates import form_as_shown


@pytest.fixture
def editor_client(db):
    desk = Client()
    desk.force_login(Group.objects.get(name="Editors").user_set.create(username="d", is_staff=True))
    return desk


def _dates_line(client, article: Article, **changes) -> str:
    url = f"/admin/articles/article/{article.pk}/preview/"
    page = client.post(url, form_as_shown(article, **changes)).content.decode()
    return page.split('<p class="byline-dates">', 1)[1].split("</p>", 1)[0]


def test_a_correction_to_a_story_out_for_hours_is_previewed_updated_now(
    editor_client, make_article
):
    story = make_article(published_at=timezone.now() - timedelta(hours=2))

    line = _dates_line(editor_client, story, body="The corrected first paragraph.")

    assert line.startswith("Published <time")
    updated = re.search(r'<span class="byline-updated">Updated <time datetime="([^"]+)"', line)
    assert updated, line
    at = datetime.strptime(updated.group(1), "%Y-%m-%dT%H:%M:%S%z")
    assert abs(at - timezone.now()) < timedelta(minutes=1)
    # Previewing saves nothing: the page itself still says no update.
    assert not Article.objects.get(pk=story.pk).was_updated


@pytest.mark.parametrize(
    "changes, out_for",
    [
        ({"comments_enabled": ""}, timedelta(hours=2)),  # not what readers read
        ({"title": "Corrected at once"}, timedelta(minutes=3)),  # part of publishing it
    ],
)
def test_a_change_that_is_no_update_is_previewed_without_one(
    editor_client, make_article, changes, out_for
):
    story = make_article(published_at=timezone.now() - out_for)

    assert "Updated" not in _dates_line(editor_client, story, **changes)


def test_a_story_updated_before_keeps_that_time_in_the_preview(editor_client, make_article):
    out = timezone.now() - timedelta(days=2)
    story = make_article(published_at=out)
    Article.objects.filter(pk=story.pk).update(updated_at=out + timedelta(hours=5))
    story.refresh_from_db()

    line = _dates_line(editor_client, story, comments_enabled="")

    shown = timezone.localtime(out + timedelta(hours=5))
    assert f'Updated <time datetime="{shown:%Y-%m-%dT%H:%M:%S%z}">' in line


def test_a_draft_is_previewed_without_an_update(editor_client, make_article):
    story = make_article(published_at=timezone.now() - timedelta(hours=2), status="draft")

    line = _dates_line(editor_client, story, title="Still writing", status="draft")

    assert line.startswith("Draft, not published") and "Updated" not in line
