"""A phone's 48-megapixel photo (8000×6000) is taken and stored at a size pages can use; a
picture too large for us says how large it is, what we take, and what to do."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.article_forms import change_form_data
from tests.test_images import png_header_claiming


def phone_photo(size=(8000, 6000)) -> SimpleUploadedFile:
    """A 48-megapixel JPEG, made in memory: one colour, so a few hundred KB of file."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, "JPEG", quality=60)
    return SimpleUploadedFile("IMG_0001.jpg", buffer.getvalue(), "image/jpeg")


def post_picture(client, article, upload):
    data = change_form_data(article, hero_alt="The harbour at dawn", body="Filed from the quay.")
    data["hero_image"] = upload
    return client.post(f"/admin/articles/article/{article.pk}/change/", data)


def test_a_48_megapixel_phone_photo_is_taken_and_stored_smaller(editor_client, article):
    response = post_picture(editor_client, article, phone_photo())

    assert response.status_code == 302
    article.refresh_from_db()
    with article.hero_image.open("rb") as stored, Image.open(stored) as picture:
        assert picture.size == (4000, 3000)
        assert picture.getpixel((2000, 1500))[1] > 100  # its colours, not a blank
    assert sorted(article.hero_renditions, key=int) == ["400", "800", "1200", "1600"]


def test_a_png_over_the_limit_names_it_and_what_to_do(editor_client, article):
    huge = SimpleUploadedFile("chart.png", png_header_claiming(9000, 6000))

    response = post_picture(editor_client, article, huge)

    page = response.content.decode()
    assert response.status_code == 200
    assert "The image is 9000×6000 pixels (54 megapixels), more than the 40 megapixels" in page
    assert "Save a smaller copy (4,000 pixels across is plenty" in page
    assert "pages show it at most 1,600 wide" in page
    assert "Filed from the quay." in page


def test_a_file_over_the_size_limit_says_what_to_do(editor_client, article, settings):
    settings.IMAGE_MAX_BYTES = 1024

    response = post_picture(editor_client, article, phone_photo((3000, 2000)))

    page = response.content.decode()
    assert "the limit is 1.0\xa0KB. Save a smaller copy" in page


def test_the_picture_field_names_its_limits_before_a_file_is_chosen(editor_client, article):
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    assert "JPEG, PNG, WebP or GIF, at most 30.0\xa0MB and 40 megapixels." in page
    assert "A JPEG photo larger than that (up to 89 megapixels" in page


def test_a_lower_limit_set_by_the_operator_still_takes_a_larger_jpeg(
    editor_client, article, settings
):
    settings.IMAGE_MAX_PIXELS = 1_000_000

    response = post_picture(editor_client, article, phone_photo((2400, 1600)))

    assert response.status_code == 302
    article.refresh_from_db()
    with article.hero_image.open("rb") as stored, Image.open(stored) as picture:
        assert picture.size == (1200, 800)  # half each way: within the operator's limit


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
