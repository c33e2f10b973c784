"""A draft's place in the article list is its last edit, whatever the edit: its byline, tags,
related links, section or time are the story's too. A reporter who added the second author and
the tags left the draft pages down, under every draft touched since."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from articles.correction_services import append_correction
from articles.models import Article, Author, Section, Tag
from tests.article_forms import byline_as, change_form_data
from tests.test_article_admin_list_order import LIST, _as_dated, _draft, _titles
from tests.test_article_edited_meanwhile import opened


def _in_editors(username: str) -> Client:
    desk = Client()
    editors = Group.objects.get(name="Editors")
    desk.force_login(editors.user_set.create(username=username, is_staff=True))
    return desk


@pytest.fixture
def editor_client(db):
    """Staff in the Editors group, who write stories, tag them and link them."""
    return _in_editors("desk")


def _as_shown(article) -> dict:
    """The draft's form as a browser posts it back: its time, and the time it showed (the
    admin's hidden initial value, by which it tells a time changed)."""
    shown = _as_dated(article)
    return (
        change_form_data(article, status="draft")
        | shown
        | {f"initial-{name}": value for name, value in shown.items()}
    )


def _tagged(article) -> dict:
    return {"tags": [Tag.objects.create(name="Transport", slug="transport").pk]}


def _second_author(article) -> dict:
    second = Author.objects.create(name="Marta Ribeiro", slug="marta")
    return byline_as(article, [*article.authors.all(), second])


def _linked(article) -> dict:
    return {
        "related_links-TOTAL_FORMS": "1",
        "related_links-0-order": "0",
        "related_links-0-url": "https://example.org/timetable",
        "related_links-0-title": "The new timetable",
    }


def _moved(article) -> dict:
    return {"section": Section.objects.create(name="Cities", slug="cities").pk}


@pytest.mark.parametrize("edit", [_tagged, _second_author, _linked, _moved])
def test_a_draft_whose_byline_tags_or_links_are_edited_comes_first(
    editor_client, make_article, edit
):
    draft = _draft(make_article, "Being written", days_ago=3)
    _draft(make_article, "Touched yesterday", days_ago=1)
    data = _as_shown(draft) | edit(draft)

    response = editor_client.post(f"{LIST}{draft.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert _titles(editor_client, state="draft") == ["Being written", "Touched yesterday"]


def test_a_draft_saved_unchanged_keeps_its_place(editor_client, make_article):
    draft = _draft(make_article, "Opened and saved", days_ago=3)
    _draft(make_article, "Touched yesterday", days_ago=1)
    data = _as_shown(draft)

    assert editor_client.post(f"{LIST}{draft.pk}/change/", data).status_code == 302

    assert _titles(editor_client, state="draft") == ["Touched yesterday", "Opened and saved"]


def test_a_story_out_retagged_is_not_updated(editor_client, make_article):
    # Readers' "Updated" is for what they read: a story out keeps its place and its time.
    story = make_article(title="Out", published_at=timezone.now() - timedelta(days=2))
    make_article(title="Out since", published_at=timezone.now() - timedelta(days=1))
    data = _as_shown(story) | {"status": "published"} | _tagged(story) | _second_author(story)

    assert editor_client.post(f"{LIST}{story.pk}/change/", data).status_code == 302

    assert _titles(editor_client) == ["Out since", "Out"]
    story.refresh_from_db()
    assert not story.was_updated


def _taken_down_with_the_action(editor_client, story):
    editor_client.post(LIST, {"action": "unpublish", "_selected_action": [story.pk]})


def _taken_down_with_the_form(editor_client, story):
    data = _as_shown(story) | {"status": "draft"}
    assert editor_client.post(f"{LIST}{story.pk}/change/", data).status_code == 302


def _published_with_the_action(editor_client, story):
    editor_client.post(LIST, {"action": "publish", "_selected_action": [story.pk]})


def _published_with_the_form(editor_client, story):
    data = _as_shown(story) | {"status": "published"}
    assert editor_client.post(f"{LIST}{story.pk}/change/", data).status_code == 302


@pytest.mark.parametrize(
    "take_down, publish",
    [
        (_taken_down_with_the_action, _published_with_the_form),
        (_taken_down_with_the_form, _published_with_the_action),
    ],
)
@pytest.mark.parametrize("edit", [_tagged, _second_author, _linked, _moved])
def test_a_story_retagged_while_off_the_site_is_not_updated_when_back(
    client, editor_client, make_article, take_down, publish, edit
):
    # Its words are as readers read them: "Updated" would tell them of a correction there was
    # none of. (Its words corrected while it is down read "Updated" once back, as they should.)
    story = make_article(title="Out", published_at=timezone.now() - timedelta(days=2))
    take_down(editor_client, story)
    story.refresh_from_db()
    data = _as_shown(story) | edit(story)
    assert editor_client.post(f"{LIST}{story.pk}/change/", data).status_code == 302

    story.refresh_from_db()
    publish(editor_client, story)

    story.refresh_from_db()
    assert story.is_public
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Updated" not in page
    assert not story.was_updated


@pytest.mark.parametrize("take_down", [_taken_down_with_the_action, _taken_down_with_the_form])
def test_a_story_taken_down_comes_first_among_the_drafts(editor_client, make_article, take_down):
    # Taken down to be fixed: it sat among the drafts by its last "Updated", a week down.
    story = make_article(title="Out last week", published_at=timezone.now() - timedelta(days=7))
    _draft(make_article, "Touched yesterday", days_ago=1)

    take_down(editor_client, story)

    assert _titles(editor_client, state="draft") == ["Out last week", "Touched yesterday"]


@pytest.mark.parametrize("edit", [_tagged, _second_author, _linked, _moved])
def test_a_story_taken_down_moves_up_for_any_edit_and_readers_see_no_update(
    client, editor_client, make_article, edit
):
    story = make_article(title="Out last week", published_at=timezone.now() - timedelta(days=7))
    _taken_down_with_the_action(editor_client, story)
    other = _draft(make_article, "Rewritten since", days_ago=3)
    rewritten = _as_shown(other) | {"body": "Rewritten since."}
    assert editor_client.post(f"{LIST}{other.pk}/change/", rewritten).status_code == 302
    assert _titles(editor_client, state="draft") == ["Rewritten since", "Out last week"]
    story.refresh_from_db()

    response = editor_client.post(f"{LIST}{story.pk}/change/", _as_shown(story) | edit(story))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert _titles(editor_client, state="draft") == ["Out last week", "Rewritten since"]
    _published_with_the_action(editor_client, story)
    story.refresh_from_db()
    assert story.is_public and not story.was_updated
    assert "Updated" not in client.get(story.get_absolute_url()).content.decode()


def test_a_story_taken_down_saved_unchanged_keeps_its_place(editor_client, make_article):
    story = make_article(title="Out last week", published_at=timezone.now() - timedelta(days=7))
    _taken_down_with_the_action(editor_client, story)
    other = _draft(make_article, "Rewritten since", days_ago=3)
    rewritten = _as_shown(other) | {"body": "Rewritten since."}
    assert editor_client.post(f"{LIST}{other.pk}/change/", rewritten).status_code == 302
    story.refresh_from_db()

    assert editor_client.post(f"{LIST}{story.pk}/change/", _as_shown(story)).status_code == 302

    assert _titles(editor_client, state="draft") == ["Rewritten since", "Out last week"]


def test_a_story_taken_down_and_corrected_moves_up(editor_client, make_article):
    story = make_article(title="Out last week", published_at=timezone.now() - timedelta(days=7))
    _taken_down_with_the_action(editor_client, story)
    other = _draft(make_article, "Rewritten since", days_ago=3)
    rewritten = _as_shown(other) | {"body": "Rewritten since."}
    assert editor_client.post(f"{LIST}{other.pk}/change/", rewritten).status_code == 302

    append_correction(article=story, text="The plant opened in 2024, not 2023.")

    assert _titles(editor_client, state="draft") == ["Out last week", "Rewritten since"]


def _retitled(article) -> dict:
    return {"title": "Being written, retitled by the desk"}


@pytest.mark.parametrize("edit", [_tagged, _second_author, _linked, _moved, _retitled])
def test_a_draft_saved_unchanged_after_a_colleagues_edit_keeps_its_place(
    editor_client, make_article, edit
):
    # The colleague's change is kept (articles.meanwhile), and was theirs: this editor changed
    # nothing, and the draft stays where the colleague's edit put it.
    draft = _draft(make_article, "Being written", days_ago=3)
    other = _draft(make_article, "Touched since", days_ago=2)
    draft.bylines.update(position=1)  # as the admin numbers them (a script's authors.set: 0)
    data = opened(editor_client, draft, status="draft")
    data |= {f"initial-{name}": data[name] for name in ("published_at_0", "published_at_1")}
    colleague = _in_editors("colleague")
    change = _as_shown(draft) | edit(draft)
    assert colleague.post(f"{LIST}{draft.pk}/change/", change).status_code == 302
    rewritten = _as_shown(other) | {"body": "Rewritten since."}
    assert colleague.post(f"{LIST}{other.pk}/change/", rewritten).status_code == 302
    assert _titles(editor_client, state="draft")[:2] == ["Touched since", draft_title(draft)]

    response = editor_client.post(f"{LIST}{draft.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert _titles(editor_client, state="draft")[:2] == ["Touched since", draft_title(draft)]


def draft_title(draft) -> str:
    return Article.objects.get(pk=draft.pk).title


def test_a_story_a_colleague_pulled_back_to_draft_and_this_editor_retagged_moves_up(
    editor_client, make_article
):
    # The status is the colleague's change, kept (articles.meanwhile): this editor's own
    # change, the tags, is an edit of the draft it now is, as any draft's retagging is.
    story = make_article(title="Scheduled", published_at=timezone.now() + timedelta(days=1))
    other = _draft(make_article, "Touched since", days_ago=1)
    story.bylines.update(position=1)
    data = opened(editor_client, story, status="published")
    data |= {f"initial-{name}": data[name] for name in ("published_at_0", "published_at_1")}
    colleague = _in_editors("colleague")
    pulled = _as_shown(story) | {"status": "draft"}
    assert colleague.post(f"{LIST}{story.pk}/change/", pulled).status_code == 302
    rewritten = _as_shown(other) | {"body": "Rewritten since."}
    assert colleague.post(f"{LIST}{other.pk}/change/", rewritten).status_code == 302
    assert _titles(editor_client, state="draft")[:2] == ["Touched since", "Scheduled"]

    response = editor_client.post(f"{LIST}{story.pk}/change/", data | _tagged(story))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Article.objects.get(pk=story.pk).status == "draft"
    assert _titles(editor_client, state="draft")[:2] == ["Scheduled", "Touched since"]
