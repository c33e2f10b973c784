"""A picture kept for an article form that came back with errors is the editor's unsaved
choice: nobody else reads it, one form's post reads it once, and one that cannot be had any
more is told truly (used by an earlier save, unreadable)."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage

from tests.article_forms import change_form_data
from tests.test_article_kept_picture import kept_files, kept_token, photo, post_change


@pytest.mark.parametrize(
    "address",
    [
        "/media/kept-pictures/{name}",
        "/media/Kept-Pictures/{name}",  # a case-insensitive disk would find it
        "/media/heroes/../kept-pictures/{name}",
        "/media//kept-pictures/{name}",
    ],
)
def test_a_kept_picture_is_not_served_under_media(client, editor_client, article, address):
    data = change_form_data(article, title="", hero_alt="The new bridge")
    post_change(editor_client, article, data, hero_image=photo())
    (name,) = kept_files()

    response = client.get(address.format(name=name))

    assert response.status_code == 404
    assert "max-age=2592000" not in response.get("Cache-Control", "")


def test_the_saved_story_s_picture_is_still_served(client, editor_client, article):
    data = change_form_data(article, hero_alt="The new bridge")
    post_change(editor_client, article, data, hero_image=photo())
    article.refresh_from_db()

    response = client.get(f"/media/{article.hero_image.name}")

    assert response.status_code == 200
    assert "max-age=2592000" in response["Cache-Control"]


@pytest.fixture
def editor_client(db):
    from django.test import Client

    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    editor = Client()
    editor.force_login(user)
    return editor


def test_one_save_reads_the_kept_picture_once(editor_client, article):
    # Up to 30 MB each time: the form, its changed fields, the admin's log and the save
    # each asked the widget for the picture.
    data = change_form_data(article, title="", hero_alt="The new bridge")
    page = post_change(editor_client, article, data, hero_image=photo()).content.decode()
    data.update(title="A bridge opens", hero_image_kept=kept_token(page))
    opened = []
    real_open = default_storage.open

    def counting_open(name, *args, **kwargs):
        opened.append(name)
        return real_open(name, *args, **kwargs)

    with mock.patch.object(default_storage, "open", counting_open):
        assert post_change(editor_client, article, data).status_code == 302

    assert [name for name in opened if name.startswith("kept-pictures/")] == [
        f"kept-pictures/{kept_files()[0]}"
    ]
    article.refresh_from_db()
    assert article.hero_image.name.endswith("-bridge.jpg")


def test_a_form_posted_again_after_its_save_says_the_picture_was_used_by_that_save(
    editor_client, article, django_capture_on_commit_callbacks
):
    # The browser's Back, then Save again: the kept copy went with the first save.
    data = change_form_data(article, title="", hero_alt="The new bridge")
    page = post_change(editor_client, article, data, hero_image=photo()).content.decode()
    data.update(title="A bridge opens", hero_image_kept=kept_token(page))
    with django_capture_on_commit_callbacks(execute=True):
        assert post_change(editor_client, article, data).status_code == 302

    again = post_change(editor_client, article, data)

    said = again.content.decode()
    assert again.status_code == 200
    assert "The picture kept for you (bridge.jpg) was already used by an earlier save" in said
    assert "pictures are kept for 2 days" not in said
    article.refresh_from_db()
    assert article.hero_image.name.endswith("-bridge.jpg")  # as the first save left it
    # What it says to do: saved again (the form came back without the kept picture), the
    # story's picture stays.
    del data["hero_image_kept"]
    assert post_change(editor_client, article, data).status_code == 302
    article.refresh_from_db()
    assert article.hero_image.name.endswith("-bridge.jpg")


def test_a_kept_picture_the_storage_cannot_read_is_not_said_to_be_used(editor_client, article):
    data = change_form_data(article, title="", hero_alt="The new bridge")
    page = post_change(editor_client, article, data, hero_image=photo()).content.decode()
    data.update(title="A bridge opens", hero_image_kept=kept_token(page))

    with mock.patch.object(default_storage, "open", side_effect=OSError("I/O error")):
        said = post_change(editor_client, article, data).content.decode()

    assert "The picture kept for you (bridge.jpg) could not be read" in said
    assert "already used" not in said
