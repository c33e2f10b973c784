"""A correction mended or deleted on a story taken down is work on that story, as adding one is:
it comes first among the drafts in the article list, where the desk fixing it looks for it. It
stayed below every draft touched since, though its History said it had just been changed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.correction_services import append_correction
from tests.test_article_admin_list_drafts_edited import (
    LIST,
    _as_shown,
    _draft,
    _in_editors,
    _taken_down_with_the_action,
    _titles,
)

CORRECTIONS = "/admin/articles/correction/"


@pytest.fixture
def editor_client(db):
    return _in_editors("desk")


@pytest.fixture
def corrected_then_overtaken(editor_client, make_article):
    """A story out last week, taken down and corrected; another draft rewritten since."""
    story = make_article(title="Out last week", published_at=timezone.now() - timedelta(days=7))
    _taken_down_with_the_action(editor_client, story)
    correction = append_correction(article=story, text="The plant opened in 2024, not 2023.")
    other = _draft(make_article, "Rewritten since", days_ago=3)
    rewritten = _as_shown(other) | {"body": "Rewritten since."}
    assert editor_client.post(f"{LIST}{other.pk}/change/", rewritten).status_code == 302
    assert _titles(editor_client, state="draft") == ["Rewritten since", "Out last week"]
    return correction


def test_a_correction_mended_moves_its_story_taken_down_up(editor_client, corrected_then_overtaken):
    mended = {"text": "The plant opened in March 2024, not 2023."}

    response = editor_client.post(f"{CORRECTIONS}{corrected_then_overtaken.pk}/change/", mended)

    assert response.status_code == 302
    assert _titles(editor_client, state="draft") == ["Out last week", "Rewritten since"]


def test_a_correction_saved_unchanged_leaves_its_story_s_place(
    editor_client, corrected_then_overtaken
):
    same = {"text": corrected_then_overtaken.text}

    response = editor_client.post(f"{CORRECTIONS}{corrected_then_overtaken.pk}/change/", same)

    assert response.status_code == 302
    assert _titles(editor_client, state="draft") == ["Rewritten since", "Out last week"]


def test_a_correction_deleted_moves_its_story_taken_down_up(
    editor_client, corrected_then_overtaken
):
    delete = f"{CORRECTIONS}{corrected_then_overtaken.pk}/delete/"

    assert editor_client.post(delete, {"post": "yes"}).status_code == 302

    assert _titles(editor_client, state="draft") == ["Out last week", "Rewritten since"]


def test_corrections_deleted_from_the_list_move_their_story_taken_down_up(
    editor_client, corrected_then_overtaken
):
    ticked = {"action": "delete_selected", "_selected_action": [corrected_then_overtaken.pk]}

    assert editor_client.post(CORRECTIONS, ticked | {"post": "yes"}).status_code == 302

    assert _titles(editor_client, state="draft") == ["Out last week", "Rewritten since"]
