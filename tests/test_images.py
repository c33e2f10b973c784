"""Hero uploads are checked before decoding; renditions are made once."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.images import validate_image_upload
from articles.services import refresh_hero_renditions


def image_file(fmt="PNG", size=(1600, 900), name="hero.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_real_image_is_accepted():
    validate_image_upload(image_file())


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError, match="not a valid image"):
        validate_image_upload(SimpleUploadedFile("hero.png", b"<?php echo 1; ?>"))


def test_a_format_we_do_not_serve_is_refused():
    with pytest.raises(ValidationError, match="not accepted"):
        validate_image_upload(image_file("BMP", (10, 10), "hero.bmp"))


def test_a_decompression_bomb_is_refused_before_it_is_decoded(settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    # A small file whose header claims 4,000 x 4,000 pixels.
    bomb = image_file("PNG", (4000, 4000))

    with pytest.raises(ValidationError, match="pixels"):
        validate_image_upload(bomb)


def test_an_oversized_file_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 1024

    with pytest.raises(ValidationError, match="limit"):
        validate_image_upload(image_file())


def test_renditions_are_made_once_and_used_in_srcset(client, article):
    article.hero_image.save("hero.png", image_file(), save=True)
    article.hero_alt = "A red test card"
    article.save()

    refresh_hero_renditions(article=article)
    article.refresh_from_db()

    assert sorted(article.hero_renditions) == ["1200", "400", "800"]
    html = client.get(article.get_absolute_url()).content.decode()
    assert "400w" in html and "1200w" in html
    assert 'alt="A red test card"' in html
    from django.core.files.storage import default_storage

    assert all(default_storage.exists(name) for name in article.hero_renditions.values())


def test_a_small_original_is_never_upscaled(article):
    article.hero_image.save("small.png", image_file(size=(500, 300)), save=True)

    refresh_hero_renditions(article=article)

    assert sorted(article.hero_renditions, key=int) == ["400", "500"]
