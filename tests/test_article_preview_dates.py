"""The preview dates the story as its save will: a new story published in its first save with
the time its add form showed when opened goes out dated now (articles.services), and so its
preview says; a time the editor chose is theirs, in the preview too."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from tests.test_article_publishing_dates import _add_form, form_as_shown


@pytest.fixture
def editor_client(db):
    desk = Client()
    desk.force_login(Group.objects.get(name="Editors").user_set.create(username="d", is_staff=True))
    return desk


def _dated(page: str) -> datetime:
    line = page.split('<p class="byline-dates">', 1)[1].split("</p>", 1)[0]
    assert line.startswith("Published <time")
    return datetime.strptime(re.search(r'datetime="([^"]+)"', line).group(1), "%Y-%m-%dT%H:%M:%S%z")


@pytest.mark.parametrize("chosen", [False, True])
def test_a_new_story_s_preview_is_dated_as_its_save_will_date_it(editor_client, article, chosen):
    opened = timezone.localtime(timezone.now() - timedelta(hours=3)).replace(microsecond=0)
    set_to = opened - timedelta(days=1) if chosen else opened
    data = _add_form(article, set_to, initial=opened)

    page = editor_client.post("/admin/articles/article/add/preview/", data).content.decode()

    if chosen:  # a time the editor set is theirs
        assert _dated(page) == set_to
    else:  # not three hours ago, when the form was opened
        assert abs(_dated(page) - timezone.now()) < timedelta(minutes=1)


def test_a_draft_going_out_is_previewed_dated_now_and_a_published_story_keeps_its_date(
    editor_client, draft, article
):
    going_out = form_as_shown(draft, status="published")
    corrected = form_as_shown(article, title="Corrected")

    out = editor_client.post(f"/admin/articles/article/{draft.pk}/preview/", going_out)
    kept = editor_client.post(f"/admin/articles/article/{article.pk}/preview/", corrected)

    assert abs(_dated(out.content.decode()) - timezone.now()) < timedelta(minutes=1)
    assert _dated(kept.content.decode()) == article.published_at.replace(microsecond=0)
