"""A picture chosen in the article's form survives the form coming back with other errors: the
editor reads "Picture kept: <name>", fixes the rest and saves, and the story has its picture."""

import io
import os
import re
import time
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from articles.models import Article
from tests.article_forms import as_new_story, change_form_data


def photo(name="bridge.jpg", colour=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def kept_token(page: str) -> str:
    return re.search(r'name="hero_image_kept" value="([^"]+)"', page).group(1)


def kept_files() -> list[str]:
    return (
        default_storage.listdir("kept-pictures")[1]
        if default_storage.exists("kept-pictures")
        else []
    )


def post_change(client, article, data, **files):
    return client.post(f"/admin/articles/article/{article.pk}/change/", {**data, **files})


def test_a_picture_chosen_with_a_headline_missing_is_kept_and_saved_with_the_fix(
    editor_client, article, django_capture_on_commit_callbacks
):
    data = change_form_data(article, title="", hero_alt="The new bridge")

    refused = post_change(editor_client, article, data, hero_image=photo())

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Picture kept: bridge.jpg" in page
    assert "choose it again" not in page
    data.update(title="A bridge opens", hero_image_kept=kept_token(page))
    with django_capture_on_commit_callbacks(execute=True):
        saved = post_change(editor_client, article, data)

    assert saved.status_code == 302
    article.refresh_from_db()
    assert article.hero_image.name.endswith("-bridge.jpg")
    assert article.hero_renditions  # made as for a picture chosen in that save
    with article.hero_image.open("rb") as stored, Image.open(stored) as picture:
        assert picture.size == (1200, 800)
        assert picture.getpixel((600, 400))[0] > 180
    assert kept_files() == []  # the temporary copy is gone


def test_a_new_story_s_picture_is_kept_too(editor_client, article):
    data = as_new_story(
        change_form_data(article, slug="a-new-story", title="", hero_alt="The new bridge")
    )
    data.pop("related_links-TOTAL_FORMS")
    data.update({"related_links-TOTAL_FORMS": "0", "related_links-INITIAL_FORMS": "0"})

    refused = editor_client.post("/admin/articles/article/add/", {**data, "hero_image": photo()})

    page = refused.content.decode()
    assert "Picture kept: bridge.jpg" in page
    data.update(title="A new story", hero_image_kept=kept_token(page))
    assert editor_client.post("/admin/articles/article/add/", data).status_code == 302
    assert Article.objects.get(slug="a-new-story").hero_image.name.endswith("-bridge.jpg")


def test_a_related_link_s_error_keeps_the_picture(editor_client, article):
    link = {"order": "0", "url": "https://example.org/report", "title": ""}  # no title: refused
    data = change_form_data(article, hero_alt="A red square")
    data.update({f"related_links-0-{key}": value for key, value in link.items()})
    data["related_links-TOTAL_FORMS"] = "1"

    page = post_change(editor_client, article, data, hero_image=photo()).content.decode()

    assert "An external link needs a title" in page
    assert "Picture kept: bridge.jpg" in page
    data.update({"related_links-0-title": "The report", "hero_image_kept": kept_token(page)})
    assert post_change(editor_client, article, data).status_code == 302
    article.refresh_from_db()
    assert article.hero_image.name.endswith("-bridge.jpg")
    assert article.related_links.get().title == "The report"


def test_a_picture_kept_through_two_refusals_is_still_saved(
    editor_client, article, django_capture_on_commit_callbacks
):
    data = change_form_data(article, title="", hero_alt="")
    page = post_change(editor_client, article, data, hero_image=photo()).content.decode()
    data["hero_image_kept"] = kept_token(page)
    data["hero_alt"] = "The new bridge"  # the headline still missing

    page = post_change(editor_client, article, data).content.decode()

    assert "Picture kept: bridge.jpg" in page
    data.update(title="A bridge opens", hero_image_kept=kept_token(page))
    with django_capture_on_commit_callbacks(execute=True):
        assert post_change(editor_client, article, data).status_code == 302
    article.refresh_from_db()
    assert article.hero_image.name.endswith("-bridge.jpg")
    assert kept_files() == []


def test_another_file_chosen_replaces_the_kept_one(editor_client, article):
    data = change_form_data(article, title="", hero_alt="The new bridge")
    page = post_change(editor_client, article, data, hero_image=photo()).content.decode()
    data.update(title="A bridge opens", hero_image_kept=kept_token(page))

    post_change(editor_client, article, data, hero_image=photo("dusk.jpg", (20, 20, 200)))

    article.refresh_from_db()
    assert article.hero_image.name.endswith("-dusk.jpg")


def test_a_kept_picture_the_editor_does_not_want_is_not_saved(editor_client, article):
    data = change_form_data(article, title="", hero_alt="The new bridge")
    page = post_change(editor_client, article, data, hero_image=photo()).content.decode()
    data.update(title="A bridge opens", hero_image_kept=kept_token(page), hero_image_kept_drop="on")

    assert post_change(editor_client, article, data).status_code == 302

    article.refresh_from_db()
    assert not article.hero_image


def test_a_kept_picture_past_its_time_is_asked_for_again_and_nothing_saved(editor_client, article):
    data = change_form_data(article, title="", hero_alt="The new bridge")
    three_days_ago = time.time() - 3 * 86400
    with mock.patch("django.core.signing.time.time", return_value=three_days_ago):
        page = post_change(editor_client, article, data, hero_image=photo()).content.decode()
    data.update(title="A bridge opens", hero_image_kept=kept_token(page))

    response = post_change(editor_client, article, data)

    assert response.status_code == 200
    assert "The picture kept for you (bridge.jpg) is no longer kept" in response.content.decode()
    article.refresh_from_db()
    assert article.title != "A bridge opens"


def test_a_reference_not_made_by_the_site_saves_no_picture(editor_client, article):
    data = change_form_data(article, hero_image_kept="kept-pictures/someone-else.jpg:forged")

    assert post_change(editor_client, article, data).status_code == 302

    article.refresh_from_db()
    assert not article.hero_image


def test_pictures_kept_for_forms_never_saved_are_swept_by_the_hourly_job(editor_client, article):
    data = change_form_data(article, title="", hero_alt="The new bridge")
    post_change(editor_client, article, data, hero_image=photo("left.jpg"))
    (abandoned,) = kept_files()
    old = time.time() - 3 * 86400
    os.utime(default_storage.path(f"kept-pictures/{abandoned}"), (old, old))
    post_change(editor_client, article, data, hero_image=photo("next.jpg"))

    # On a quiet site no form comes by: README's cron line sweeps them.
    call_command("prune_kept_pictures", verbosity=0)

    assert [name.endswith("-next.jpg") for name in kept_files()] == [True]


@pytest.fixture
def editor_client(client, db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client
