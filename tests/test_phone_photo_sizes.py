"""A newsroom's photos come straight from phones and cameras: a 48-megapixel phone JPEG is
often over 10 MB, a camera's 25-30 MB. The article form takes one up to IMAGE_MAX_BYTES (30 MB
unless the operator says otherwise), and one over it comes back with the editor's text kept."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.article_forms import change_form_data

MB = 1024 * 1024


def photo_of(size: int) -> SimpleUploadedFile:
    """A JPEG of exactly `size` bytes: a real picture, then the rest of a camera's file (data
    after the picture's end, as maker notes and previews make it)."""
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (30, 120, 60)).save(buffer, "JPEG", quality=80)
    data = buffer.getvalue()
    return SimpleUploadedFile("DSC_0042.jpg", data + b"\0" * (size - len(data)), "image/jpeg")


def post_picture(client, article, upload):
    data = change_form_data(article, hero_alt="The harbour at dawn", body="Filed from the quay.")
    data["hero_image"] = upload
    return client.post(f"/admin/articles/article/{article.pk}/change/", data)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_a_photo_just_under_30_mb_is_taken(editor_client, article):
    response = post_picture(editor_client, article, photo_of(30 * MB - 1024))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.hero_image
    assert article.body == "Filed from the quay."


def test_a_photo_over_30_mb_comes_back_with_the_limit_and_the_text_kept(editor_client, article):
    response = post_picture(editor_client, article, photo_of(30 * MB + 1024))

    page = response.content.decode()
    assert response.status_code == 200
    assert "the limit is 30.0\xa0MB. Save a smaller copy" in page
    assert "Filed from the quay." in page


def test_the_picture_field_names_the_30_mb_limit(editor_client, article):
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    assert "JPEG, PNG, WebP or GIF, at most 30.0\xa0MB and 40 megapixels." in page
