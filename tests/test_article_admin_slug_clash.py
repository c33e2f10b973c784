"""A slug another story holds is refused by name: which story (its headline, published or a
draft, a link to it here) and a free slug to use instead, checked against the stories' slugs
and their old addresses. Django's own "Article with this Slug already exists." left the editor
to hunt for the story and guess a free one."""

import html
from unittest.mock import patch

import pytest
from django.utils.html import strip_tags

from articles import admin_saving
from articles.models import Article, OldSlug
from tests.article_forms import as_new_story, change_form_data
from tests.test_article_kept_picture import photo, post_change


def _words(response) -> str:
    """The form's page, as words (the refused story's headline is a link)."""
    assert response.status_code == 200
    return html.unescape(strip_tags(response.content.decode()))


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_a_slug_another_published_story_holds_names_it_and_a_free_one(
    editor_client, article, make_article
):
    other = make_article(title="Batteries get cheaper", slug="batteries")
    data = change_form_data(article, slug="batteries")

    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    said = _words(response)
    assert "Article with this Slug already exists" not in said
    assert (
        "“batteries” is the address of another story, “Batteries get cheaper” (published). "
        "Choose another: “batteries-2” is free."
    ) in said
    # On the form, the headline links to that story's form.
    link = f'<a href="/admin/articles/article/{other.pk}/change/">Batteries get cheaper</a>'
    assert link in _page(response)


def test_the_free_slug_offered_is_no_old_address_nor_another_story_s(
    editor_client, article, make_article
):
    make_article(title="Draft on batteries", slug="batteries", status="draft")
    make_article(title="Batteries, part two", slug="batteries-2")
    moved = make_article(title="Batteries, part three", slug="batteries-new")
    OldSlug.objects.create(slug="batteries-3", article=moved)
    data = change_form_data(article, slug="batteries")

    said = _words(editor_client.post(f"/admin/articles/article/{article.pk}/change/", data))

    assert "“Draft on batteries” (a draft). Choose another: “batteries-4” is free." in said


def test_a_headline_used_again_for_a_new_story_names_the_story_with_its_slug(admin_client, article):
    # The add form's slug is filled from the headline as it is typed (prepopulated_fields).
    data = as_new_story(change_form_data(article, title=article.title))

    said = _words(admin_client.post("/admin/articles/article/add/", data))

    assert f"“{article.title}” (published). Choose another: “xiaomi-car-2” is free." in said


def test_an_old_address_of_another_story_is_refused_with_a_free_slug(
    editor_client, article, make_article
):
    moved = make_article(title="Batteries, part three", slug="batteries-new")
    OldSlug.objects.create(slug="batteries", article=moved)
    data = change_form_data(article, slug="batteries")

    said = _words(editor_client.post(f"/admin/articles/article/{article.pk}/change/", data))

    assert "“batteries” is an old address of “Batteries, part three”" in said
    assert "under Old addresses). “batteries-2” is free." in said


def _taken_meanwhile(make_article, checked_on_save: bool):
    """The save, with another story given the slug once this form was checked: by another
    editor's save in between, before the save's own check (`checked_on_save`), or after it,
    when only the database refuses it."""
    real = admin_saving.save_article

    def save(**kwargs):
        make_article(title="Batteries get cheaper", slug="batteries")
        if checked_on_save:
            return real(**kwargs)
        with patch.object(Article, "validate_unique"):  # the check ran before the other save
            return real(**kwargs)

    return patch.object(admin_saving, "save_article", save)


@pytest.mark.parametrize("checked_on_save", [True, False])
def test_a_slug_taken_between_the_form_s_check_and_its_save_is_refused_by_name(
    editor_client, article, make_article, checked_on_save
):
    data = change_form_data(
        article, slug="batteries", standfirst="A lead typed for the move.", hero_alt="A battery"
    )

    with _taken_meanwhile(make_article, checked_on_save):
        response = post_change(editor_client, article, data, hero_image=photo())

    said = _words(response)
    assert "already exists" not in said
    assert (
        "“batteries” is the address of another story, “Batteries get cheaper” (published). "
        "Choose another: “batteries-2” is free."
    ) in said
    assert "A lead typed for the move." in said  # the editor's words, in the form again
    assert 'value="batteries"' in _page(response)
    assert "Picture kept: bridge.jpg" in said  # and the picture chosen, for the next save
    assert Article.objects.get(pk=article.pk).standfirst != "A lead typed for the move."


def test_a_new_story_s_slug_taken_between_its_check_and_its_save_is_refused_by_name(
    admin_client, article, make_article
):
    data = as_new_story(change_form_data(article, title="Batteries", slug="batteries"))

    with _taken_meanwhile(make_article, checked_on_save=False):
        response = admin_client.post("/admin/articles/article/add/", data)

    said = _words(response)
    assert "“batteries” is the address of another story, “Batteries get cheaper”" in said
    assert 'value="Batteries"' in _page(response)
    assert not Article.objects.filter(title="Batteries").exists()


def _heroes(media_root) -> set[str]:
    folder = media_root / "heroes"
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("new_story", [False, True])
def test_a_picture_chosen_for_a_save_refused_for_a_slug_taken_meanwhile_leaves_no_file(
    editor_client, admin_client, article, make_article, settings, new_story
):
    # The save wrote the upload under heroes/ before the database refused the slug: nothing
    # refers to it and no job removes it. The story's own picture stays.
    old = change_form_data(article, hero_alt="An old picture")
    post_change(editor_client, article, old, hero_image=photo("old.jpg"))
    article.refresh_from_db()
    assert article.hero_image
    before = _heroes(settings.MEDIA_ROOT)
    data = change_form_data(article, slug="batteries", hero_alt="A battery")

    with _taken_meanwhile(make_article, checked_on_save=False):
        if new_story:
            data = as_new_story({**data, "title": "Batteries"})
            response = admin_client.post(
                "/admin/articles/article/add/", {**data, "hero_image": photo()}
            )
        else:
            response = post_change(editor_client, article, data, hero_image=photo())

    assert "Picture kept: bridge.jpg" in _words(response)
    assert _heroes(settings.MEDIA_ROOT) == before
    assert Article.objects.get(pk=article.pk).hero_image.name == article.hero_image.name
