"""A hero picture cleared from a story ("Clear") takes its alt text, caption and credit with
it (articles.services: they described that picture). The save says which words went, quoted,
and the story's History keeps them, so an editor can put them back with a picture: before,
only "changed successfully" and "Changed Hero image", and a credit owed was lost for good."""

import html
import re

import pytest

from articles.models import Article
from tests.article_forms import change_form_data
from tests.test_article_kept_picture import photo, post_change

WORDS = {
    "hero_alt": "Firefighters on the roof of the market hall",
    "hero_caption": "The fire at the market hall on Sunday.",
    "hero_credit": "Ana Lima/Reuters",
}


def _said(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def _cleared(editor_client, article, django_capture_on_commit_callbacks, words=WORDS):
    with django_capture_on_commit_callbacks(execute=True):
        added = post_change(
            editor_client, article, change_form_data(article, **words), hero_image=photo()
        )
        assert added.status_code == 302
        cleared = post_change(
            editor_client, article, change_form_data(article, **words) | {"hero_image-clear": "on"}
        )
    assert cleared.status_code == 302
    return cleared


def test_clearing_a_picture_says_which_words_went_with_it(
    editor_client, article, django_capture_on_commit_callbacks
):
    cleared = _cleared(editor_client, article, django_capture_on_commit_callbacks)

    said = _said(editor_client.get(cleared["Location"]))
    assert "“Firefighters on the roof of the market hall”" in said
    assert "“The fire at the market hall on Sunday.”" in said
    assert "“Ana Lima/Reuters”" in said
    assert "History" in said
    stored = Article.objects.get(pk=article.pk)
    assert (stored.hero_alt, stored.hero_caption, stored.hero_credit) == ("", "", "")


def test_the_history_keeps_the_words_of_a_picture_cleared(
    editor_client, article, django_capture_on_commit_callbacks
):
    _cleared(editor_client, article, django_capture_on_commit_callbacks)

    page = editor_client.get(f"/admin/articles/article/{article.pk}/history/")
    history = html.unescape(page.content.decode())
    assert (
        "Changed Hero image. The picture removed had its alt text “Firefighters on the roof of "
        "the market hall”, caption “The fire at the market hall on Sunday.”, credit “Ana "
        "Lima/Reuters”."
    ) in history


def test_a_picture_without_words_cleared_says_nothing_of_words(
    editor_client, article, django_capture_on_commit_callbacks
):
    words = {"hero_alt": "A bridge", "hero_caption": "", "hero_credit": ""}
    cleared = _cleared(editor_client, article, django_capture_on_commit_callbacks, words)

    said = _said(editor_client.get(cleared["Location"]))
    assert "alt text “A bridge”" in said
    assert "caption" not in said and "credit" not in said


@pytest.mark.parametrize(
    ("field", "typed", "named"),
    [
        ("hero_alt", "Firefighters on the market hall roof at dawn", "alt text"),
        ("hero_caption", "The market hall after the fire.", "caption"),
        ("hero_credit", "Jo Park/AP", "credit"),
    ],
)
def test_clearing_a_picture_with_words_just_typed_for_it_is_refused_with_them_kept(
    editor_client, article, django_capture_on_commit_callbacks, field, typed, named
):
    # Words typed in the same save as "Clear" were erased with the picture, unsaid: the editor
    # meant them for a picture (this one, or the next), and is asked which, the words kept.
    with django_capture_on_commit_callbacks(execute=True):
        added = post_change(
            editor_client, article, change_form_data(article, **WORDS), hero_image=photo()
        )
    assert added.status_code == 302
    data = change_form_data(article, **(WORDS | {field: typed})) | {"hero_image-clear": "on"}

    refused = post_change(editor_client, article, data)

    assert refused.status_code == 200
    page = html.unescape(refused.content.decode())
    assert f"“Clear” removes the picture and its words, the {named} you typed too: “{typed}”" in (
        page
    )
    assert f'value="{typed}"' in page  # the words, as typed
    assert re.search(r'name="hero_image-clear"[^>]* checked>', page)  # and the tick
    stored = Article.objects.get(pk=article.pk)
    assert stored.hero_image and stored.hero_alt == WORDS["hero_alt"]
    assert (stored.hero_caption, stored.hero_credit) == (
        WORDS["hero_caption"],
        WORDS["hero_credit"],
    )


def test_clearing_a_picture_with_its_words_emptied_removes_it(
    editor_client, article, django_capture_on_commit_callbacks
):
    empty = dict.fromkeys(WORDS, "")
    with django_capture_on_commit_callbacks(execute=True):
        post_change(editor_client, article, change_form_data(article, **WORDS), hero_image=photo())
        cleared = post_change(
            editor_client, article, change_form_data(article, **empty) | {"hero_image-clear": "on"}
        )

    assert cleared.status_code == 302
    said = _said(editor_client.get(cleared["Location"]))
    assert "“Firefighters on the roof of the market hall”" in said
    stored = Article.objects.get(pk=article.pk)
    assert not stored.hero_image and stored.hero_alt == ""
