"""A picture chosen in the article's form is drawn in the preview no larger than the preview
shows it, and decoded no larger than needed: a phone's 40-megapixel photo was decoded whole
twice (once to strip it for storing, though the preview stores nothing, then to draw it, with
copies of it on white), over 600 MB of a worker's memory for a picture 1,200 pixels wide. What
a save refuses, the preview refuses too, in the same words."""

import base64
import io
import resource
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.article_forms import change_form_data
from tests.test_images import png_header_claiming


@pytest.fixture
def preview(editor_client, article):
    def post(upload):
        data = change_form_data(article, hero_alt="The harbour at dawn") | {"hero_image": upload}
        return editor_client.post(f"/admin/articles/article/{article.pk}/preview/", data)

    return post


def _photo(size, orientation=None) -> bytes:
    """A photo's grain (one colour decodes faster than any photograph): some 12 MB at 40."""
    grain = Image.effect_noise((size[0] // 4, size[1] // 4), 40).resize(size)
    picture = Image.merge("RGB", (grain, grain.transpose(Image.Transpose.FLIP_LEFT_RIGHT), grain))
    exif = picture.getexif()
    if orientation:
        exif[0x0112] = orientation  # as phones store a picture taken upright: sideways
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def _upload(data: bytes, name="IMG_0001.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "image/jpeg")


def _shown(page: str) -> Image.Image:
    encoded = page.split('src="data:image/jpeg;base64,', 1)[1].split('"', 1)[0]
    return Image.open(io.BytesIO(base64.b64decode(encoded)))


@contextmanager
def memory_to_spare(megabytes: int):
    """What the process may take on top of what it holds now (its address space: a picture
    decoded whole is a MemoryError past it), as a server's worker limited in memory."""
    held = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = held + megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard < 0 else min(limit, hard), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_a_40_megapixel_photo_is_previewed_in_a_fraction_of_its_decoded_size(preview):
    upload = _upload(_photo((7300, 5470)))  # 120 MB decoded, 12 MB as sent

    # Drawn small it takes some 30 MB; decoded whole, the preview wanted over 600 MB.
    with memory_to_spare(100):
        response = preview(upload)

    assert response.status_code == 200
    assert _shown(response.content.decode()).width == 1200


def test_a_photo_taken_upright_is_previewed_upright(preview):
    response = preview(_upload(_photo((4000, 3000), orientation=6)))

    assert response.status_code == 200
    assert _shown(response.content.decode()).size == (1200, 1600)


def test_a_photo_cut_short_is_refused_as_a_save_refuses_it(preview):
    response = preview(_upload(_photo((2000, 1500))[:20_000]))

    assert response.status_code == 400
    assert "Hero image: The file is not a valid image." in response.content.decode()


def test_a_picture_over_the_limit_is_refused_as_a_save_refuses_it(preview):
    response = preview(SimpleUploadedFile("chart.png", png_header_claiming(9000, 6000)))

    page = response.content.decode()
    assert response.status_code == 400
    assert "The image is 9000×6000 pixels (54 megapixels), more than the 40 megapixels" in page
    assert "Save a smaller copy" in page
