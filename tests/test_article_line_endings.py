"""A story written outside the admin (the demo content loader, a script, the shell) holds "\\n"
line ends, often a last one too; a browser posts a text box back with "\\r\\n", and its leading
spaces as typed. Saved unchanged in the admin, the story read "Changed Body" in its History, and
its page "Updated"; then a body opening with a code block lost its indentation, unlogged."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from articles.models import Article, Author
from articles.services import save_article, set_bylines
from tests.test_article_edited_meanwhile import _change
from tests.test_article_history_meanwhile import in_a_browser

BODY = "First paragraph.\n\nSecond paragraph:\n\n- one\n- two\n"
LEAD = "A lead on two lines,\nas a script wrote it."


def _as_a_browser_posts(text: str) -> str:
    return text.strip().replace("\n", "\r\n")


def _posted_unchanged(client, story, **changes) -> dict:
    shown = {name: _as_a_browser_posts(getattr(story, name)) for name in ("body", "standfirst")}
    return in_a_browser(client, story, **shown, **changes)


def _history(story) -> list[str]:
    entries = LogEntry.objects.filter(object_id=str(story.pk)).order_by("action_time", "pk")
    return [entry.get_change_message() for entry in entries]


def _written(make_article, **fields) -> Article:
    story = make_article(body=BODY, standfirst=LEAD, authors=[], **fields)
    set_bylines(article=story, authors=[Author.objects.get()])  # numbered, as the admin has them
    return story


@pytest.fixture
def scripted(make_article):
    """Out for two days, written by a script: "Updated" would show after any edit."""
    return _written(make_article, published_at=timezone.now() - timedelta(days=2))


def test_a_story_a_script_wrote_saved_unchanged_logs_no_change_and_is_not_updated(
    superuser_client, scripted
):
    saved = superuser_client.post(_change(scripted), _posted_unchanged(superuser_client, scripted))

    assert saved.status_code == 302
    assert _history(scripted) == ["No fields changed."]
    story = Article.objects.get(pk=scripted.pk)  # never updated: its dates move together
    assert story.updated_at == story.published_at  # (the form's time box has no microseconds)
    page = superuser_client.get(scripted.get_absolute_url()).content.decode()
    assert "Updated <time" not in page


def test_a_draft_a_script_wrote_saved_unchanged_keeps_its_place_among_the_drafts(
    superuser_client, make_article
):
    draft = _written(make_article, status=Article.Status.DRAFT)
    days_ago = timezone.now() - timedelta(days=3)
    Article.objects.filter(pk=draft.pk).update(worked_on_at=days_ago, updated_at=days_ago)

    data = _posted_unchanged(superuser_client, draft, status="draft")
    assert superuser_client.post(_change(draft), data).status_code == 302

    story = Article.objects.get(pk=draft.pk)
    assert (story.worked_on_at, story.updated_at) == (days_ago, days_ago)
    assert _history(draft) == ["No fields changed."]


def test_the_body_changed_in_the_admin_is_an_update_stored_with_one_kind_of_line_end(
    superuser_client, scripted
):
    data = _posted_unchanged(superuser_client, scripted)
    data["body"] += "\r\n\r\nA correction: the plant opens in May."

    assert superuser_client.post(_change(scripted), data).status_code == 302

    assert _history(scripted) == ["Changed Body."]
    story = Article.objects.get(pk=scripted.pk)
    assert story.body == BODY + "\nA correction: the plant opens in May."
    assert "Updated <time" in superuser_client.get(story.get_absolute_url()).content.decode()


def test_a_story_the_admin_saved_before_is_not_updated_by_a_script_saving_it_unchanged(scripted):
    # As an admin save left stories before line ends were made one: "\r\n", trimmed.
    Article.objects.filter(pk=scripted.pk).update(body=_as_a_browser_posts(BODY))
    updated_at = Article.objects.get(pk=scripted.pk).updated_at
    story = Article.objects.get(pk=scripted.pk)
    story.body = BODY

    save_article(article=story)

    stored = Article.objects.get(pk=scripted.pk)
    assert stored.updated_at == updated_at and stored.body == BODY
    # A lone "\r" (an old Mac's, a pasted one) is a line end too.
    story.standfirst = LEAD.replace("\n", "\r")
    save_article(article=story)
    assert Article.objects.get(pk=scripted.pk).standfirst == LEAD


# Markdown's indented code block: four spaces before the body's first line.
INDENTED = "    pip install newsportal\n\nThen open the site.\n"


def _in_a_text_box(text: str) -> str:
    # A browser posts a text box's leading spaces back as they were typed.
    return text.rstrip().replace("\n", "\r\n")


def test_a_body_opening_with_a_code_block_saved_unchanged_keeps_its_indentation(
    superuser_client, make_article
):
    story = make_article(body=INDENTED, published_at=timezone.now() - timedelta(days=2))
    data = in_a_browser(superuser_client, story, body=_in_a_text_box(INDENTED))

    assert superuser_client.post(_change(story), data).status_code == 302

    assert Article.objects.get(pk=story.pk).body == INDENTED.rstrip()
    assert _history(story) == ["No fields changed."]
    page = superuser_client.get(story.get_absolute_url()).content.decode()
    assert "<pre><code>pip install newsportal" in page
    assert "Updated <time" not in page


def test_a_body_whose_indentation_is_taken_away_is_changed_and_updated(
    superuser_client, make_article
):
    story = make_article(body=INDENTED, published_at=timezone.now() - timedelta(days=2))
    data = in_a_browser(superuser_client, story, body=_in_a_text_box(INDENTED.lstrip()))

    assert superuser_client.post(_change(story), data).status_code == 302

    assert _history(story) == ["Changed Body."]
    page = superuser_client.get(story.get_absolute_url()).content.decode()
    assert "<p>pip install newsportal</p>" in page
    assert "Updated <time" in page


def test_a_lead_or_body_of_only_blanks_is_refused_as_empty(superuser_client, scripted):
    # Kept as posted (leading spaces count), blanks alone are still no text.
    data = in_a_browser(superuser_client, scripted, standfirst=" \r\n ", body="   \r\n  \r\n ")

    refused = superuser_client.post(_change(scripted), data)

    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    form = refused.context["adminform"].form
    assert form.errors["body"] == form.errors["standfirst"] == ["This field is required."]
    assert Article.objects.get(pk=scripted.pk).body == BODY
