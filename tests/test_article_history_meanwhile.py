"""Two editors on one story, its History (the admin's log): a form saved after a colleague's
change names only what it changed in the story. What the colleague changed meanwhile, which the
save kept (articles.meanwhile), is theirs, and their own entry says it."""

import re

import pytest
from django.contrib.admin.models import LogEntry

from articles.models import Article, Author
from tests.article_forms import byline_as
from tests.test_article_edited_meanwhile import TYPO_FIX, _change, opened
from tests.test_article_edited_meanwhile_lists import EXTERNAL

RETITLED = "Xiaomi's car comes in June"
# A link added in the form's blank row (the story has one link: the form's row 0).
NEW_LINK = {"related_links-1-url": "https://example.org/grid", "related_links-1-title": "The grid"}


@pytest.fixture
def linked(article, add_related):
    add_related(article, **EXTERNAL)
    return article


def in_a_browser(client, article, **changes) -> dict:
    """opened(), with the publication time as a browser posts it back: its boxes as shown (to
    the second) and the hidden copies Django compares them with (the field has a default)."""
    page = client.get(_change(article)).content.decode()
    shown = dict(re.findall(r'name="((?:initial-)?published_at_\d)" value="([^"]*)"', page))
    return {**opened(client, article), **shown, **changes}


def _history_of(username: str, article) -> list[str]:
    entries = LogEntry.objects.filter(object_id=str(article.pk), user__username=username)
    return [entry.get_change_message() for entry in entries.order_by("action_time", "pk")]


def _colleague_changes_everything(chief, article, tag) -> None:
    """Dana retitles the story, tags it, adds a byline and a related link, and closes comments."""
    rui = Author.objects.create(name="Rui Costa", slug="rui-costa")
    changes = {
        "title": RETITLED,
        "tags": [tag.pk],
        "comments_enabled": "",
        **byline_as(article, [*article.authors.all(), rui]),
        **NEW_LINK,
    }
    saved = chief.post(_change(article), in_a_browser(chief, article, **changes))
    assert saved.status_code == 302


def test_a_form_saved_unchanged_after_a_colleague_s_edit_logs_no_change(chief, sub, linked, tag):
    subs_form = in_a_browser(sub, linked)
    _colleague_changes_everything(chief, linked, tag)

    assert sub.post(_change(linked), subs_form).status_code == 302

    assert _history_of("sub", linked) == ["No fields changed."]
    story = Article.objects.get(pk=linked.pk)  # and Dana's changes stand
    assert (story.title, story.comments_enabled) == (RETITLED, False)
    assert list(story.tags.all()) == [tag]
    assert sorted(map(str, story.related_links.all())) == ["The grid", EXTERNAL["title"]]


def test_a_form_that_fixed_the_body_after_a_colleague_s_edit_logs_the_body_alone(
    chief, sub, linked, tag
):
    subs_form = in_a_browser(sub, linked, body=linked.body + TYPO_FIX)
    _colleague_changes_everything(chief, linked, tag)

    assert sub.post(_change(linked), subs_form).status_code == 302

    assert _history_of("sub", linked) == ["Changed Body."]
    assert Article.objects.get(pk=linked.pk).body.endswith("not Porto.")


def test_the_colleague_s_own_entry_names_what_they_changed(chief, linked, tag):
    _colleague_changes_everything(chief, linked, tag)

    (said,) = _history_of("chief", linked)
    assert said.startswith("Changed Title, Tags and Comments allowed. Added byline “Rui Costa”.")
    assert "Added related link “The grid”." in said


def test_a_field_both_changed_to_the_same_words_is_not_logged_twice(chief, sub, article):
    subs_form = in_a_browser(sub, article, title=RETITLED)
    assert (
        chief.post(_change(article), in_a_browser(chief, article, title=RETITLED)).status_code
        == 302
    )

    assert sub.post(_change(article), subs_form).status_code == 302

    assert _history_of("chief", article)[0].startswith("Changed Title.")
    assert _history_of("sub", article) == ["No fields changed."]
