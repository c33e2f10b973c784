"""Hero uploads are checked before decoding; renditions are made once."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.images import validate_image_upload
from articles.picture_services import refresh_hero_renditions


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


def png_header_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes that say "width x height pixels": what a decompression bomb sends."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_an_editor_uploading_a_bomb_in_the_admin_is_told_why(superuser_client, article):
    from tests.article_forms import change_form_data

    data = change_form_data(article)
    data["hero_image"] = SimpleUploadedFile("bomb.png", png_header_claiming(30_000, 30_000))

    response = superuser_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 200  # the form again, with the error
    assert "far too many pixels" in response.content.decode()
    article.refresh_from_db()
    assert not article.hero_image


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

    assert sorted(article.hero_renditions) == ["1200", "1600", "400", "800"]
    html = client.get(article.get_absolute_url()).content.decode()
    assert "400w" in html and "1200w" in html and "1600w" in html
    assert 'alt="A red test card"' in html
    from django.core.files.storage import default_storage

    assert all(default_storage.exists(name) for name in article.hero_renditions.values())


def test_a_small_original_is_never_upscaled(article):
    article.hero_image.save("small.png", image_file(size=(500, 300)), save=True)

    refresh_hero_renditions(article=article)

    assert sorted(article.hero_renditions, key=int) == ["400", "500"]


def test_a_sideways_phone_photo_is_turned_upright_in_its_renditions(article):
    from django.core.files.storage import default_storage

    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; show it rotated 90°
    Image.new("RGB", (900, 600), (10, 120, 200)).save(buffer, "JPEG", exif=exif)
    article.hero_image.save("phone.jpg", SimpleUploadedFile("phone.jpg", buffer.getvalue()))

    refresh_hero_renditions(article=article)

    widest = sorted(article.hero_renditions, key=int)[-1]
    with default_storage.open(article.hero_renditions[widest]) as stored, Image.open(stored) as out:
        assert out.height > out.width  # upright: taller than wide


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP"])
def test_a_graphic_on_a_transparent_background_is_shown_on_white_not_black(article, fmt):
    # A chart or map exported with no background: black lines on transparent pixels, which
    # hide black (what most tools write there).
    from django.core.files.storage import default_storage

    graphic = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    graphic.paste((0, 0, 0, 255), (250, 150, 350, 250))
    buffer = io.BytesIO()
    graphic.save(buffer, fmt)
    article.hero_image.save(f"chart.{fmt.lower()}", SimpleUploadedFile("c", buffer.getvalue()))

    refresh_hero_renditions(article=article)

    names = [*article.hero_renditions.values(), *(c["name"] for c in article.hero_crops.values())]
    names += [n for widths in article.hero_modern_renditions.values() for n in widths.values()]
    for name in names:
        with default_storage.open(name) as stored, Image.open(stored) as out:
            rgb = out.convert("RGB")
            assert min(rgb.getpixel((2, 2))) > 240, name  # the background: white, as the page
            assert max(rgb.getpixel((rgb.width // 2, rgb.height // 2))) < 15, name  # the line


def test_a_sixteen_bit_black_and_white_scan_keeps_its_greys(article):
    # Archive scans come as 16-bit grey PNGs: converted as they were, every grey lighter than
    # 1/256 of white came out white, and readers saw a blank picture.
    from django.core.files.storage import default_storage

    buffer = io.BytesIO()
    scan = Image.new("I;16", (600, 400), 30_000)  # a mid grey of 65,535
    scan.paste(0, (250, 150, 350, 250))
    scan.save(buffer, "PNG")
    article.hero_image.save("scan.png", SimpleUploadedFile("scan.png", buffer.getvalue()))

    refresh_hero_renditions(article=article)

    with default_storage.open(article.hero_renditions["600"]) as stored, Image.open(stored) as out:
        assert all(100 < channel < 135 for channel in out.convert("RGB").getpixel((2, 2)))
        assert max(out.convert("RGB").getpixel((300, 200))) < 15


def test_an_image_without_alt_text_is_refused_in_the_admin(superuser_client, article):
    from tests.article_forms import change_form_data

    data = change_form_data(article, hero_alt="")
    data["hero_image"] = image_file()

    response = superuser_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Describe the image for readers who cannot see it" in page
    # The browser cannot keep the chosen file: the site keeps it, and says so.
    assert "Picture kept: hero.png" in page
    article.refresh_from_db()
    assert not article.hero_image


def test_a_related_link_error_also_keeps_the_picture_and_says_so(
    superuser_client, article, make_article
):
    from tests.article_forms import change_form_data

    data = change_form_data(
        article,
        hero_alt="A red square",
        **{
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-order": "0",
            "related_links-0-target_article": make_article().pk,
            "related_links-0-url": "https://example.org/both",
            "related_links-0-title": "Both",
        },
    )
    data["hero_image"] = image_file()

    response = superuser_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 200
    assert "Picture kept: hero.png" in response.content.decode()


@pytest.mark.parametrize("size", [(2000, 1), (1, 1), (3000, 3), (1200, 150)])
def test_a_sliver_of_a_picture_is_refused_with_its_size_and_the_form_kept(
    superuser_client, article, size
):
    from tests.article_forms import change_form_data

    data = change_form_data(article, hero_alt="A sliver")
    data["hero_image"] = image_file(size=size)

    response = superuser_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"The image is {size[0]}×{size[1]} pixels" in page
    assert "A sliver" in page
    article.refresh_from_db()
    assert not article.hero_image


def test_a_draft_s_picture_cannot_be_found_by_its_camera_file_name(
    superuser_client, client, make_article
):
    from tests.article_forms import change_form_data

    drafts = [make_article(status="draft", title=f"Embargoed {n}") for n in range(2)]
    for draft in drafts:
        data = change_form_data(draft, status="draft", hero_alt="The new plant")
        data["hero_image"] = image_file(name="IMG_1234.png")
        superuser_client.post(f"/admin/articles/article/{draft.pk}/change/", data)

    names = []
    for draft in drafts:
        draft.refresh_from_db()
        names += sorted(draft.hero_file_names)
    assert len(names) == len(set(names)) > 2  # each upload and rendition a name of its own
    stamp = timezone.now().strftime("%Y/%m")
    for guess in (f"heroes/{stamp}/IMG_1234.png", "renditions/IMG_1234-400w.jpg"):
        assert guess not in names
        assert client.get(f"/media/{guess}").status_code == 404


def test_an_image_named_as_another_kind_of_file_is_stored_and_served_as_the_image_it_is(
    superuser_client, client, article
):
    from tests.article_forms import change_form_data

    data = change_form_data(article, hero_alt="The new plant")
    data["hero_image"] = image_file(name="report.pdf")  # a PNG, whatever its name says
    superuser_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    article.refresh_from_db()
    assert article.hero_image.name.endswith("-report.png")
    served = client.get(article.hero_image.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"


def refused_picture_page(client, article) -> str:
    """An editor's change with a picture the media storage cannot take: the form comes back
    (not an error page) with their words, and nothing is stored."""
    from tests.article_forms import change_form_data

    data = change_form_data(article, body="A new paragraph, long to write.", hero_alt="Plant")
    data["hero_image"] = image_file()
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "A new paragraph, long to write." in page
    article.refresh_from_db()
    assert not article.hero_image
    return page


def test_a_full_media_disk_refuses_the_picture_and_keeps_the_editor_s_changes(
    superuser_client, article, monkeypatch, caplog
):
    import shutil

    real_disk_usage = shutil.disk_usage
    monkeypatch.setattr(
        shutil, "disk_usage", lambda path: real_disk_usage(path)._replace(free=150_000)
    )
    page = refused_picture_page(superuser_client, article)

    assert "no room to store this picture" in page
    assert "media storage full" in caplog.text  # the editor is told to tell the operator


def test_media_storage_that_refuses_writes_refuses_the_picture_and_keeps_the_editor_s_changes(
    superuser_client, article, settings, tmp_path, caplog
):
    """A MEDIA_ROOT the server cannot write to (here: under a plain file, which no one, root
    included, can make a folder in) was found only when the story was saved: a 500 page."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = str(blocker / "media")

    page = refused_picture_page(superuser_client, article)

    assert "cannot store pictures right now" in page
    assert "media storage refuses writes" in caplog.text  # what the operator reads


def test_a_month_s_folder_the_server_cannot_write_to_refuses_the_picture_too(
    superuser_client, article, settings, tmp_path
):
    """After a restore only this month's folder may be another's: the rest of the storage
    takes writes, the upload's own folder does not (here: a plain file in its place)."""
    from django.utils import timezone

    settings.MEDIA_ROOT = str(tmp_path / "media")
    month = tmp_path / "media" / "heroes" / f"{timezone.now():%Y}"
    month.mkdir(parents=True)
    (month / f"{timezone.now():%m}").write_text("")

    page = refused_picture_page(superuser_client, article)

    assert "cannot store pictures right now" in page


def test_a_picture_far_wider_than_high_gets_renditions_at_least_a_pixel_high(article):
    """The size check lets a 200-pixel-high panorama through; its narrow renditions would be
    0 pixels high."""
    from articles.images import make_renditions

    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1), (10, 120, 200)).save(buffer, "PNG")
    article.hero_image.save("strip.png", SimpleUploadedFile("strip.png", buffer.getvalue()))

    renditions = make_renditions(article.hero_image)

    assert list(renditions) == ["image/jpeg", "image/avif", "image/webp"]
    assert all(list(by_width) == ["400", "800", "1200", "1600"] for by_width in renditions.values())


@pytest.mark.parametrize(
    ("credit", "printed"),
    [
        ("Jane Doe/Reuters", "Photo: Jane Doe/Reuters"),
        ("Photo: Jane Doe/Reuters", "Photo: Jane Doe/Reuters"),
        ("Illustration by Bo Lee", "Illustration by Bo Lee"),
        # The agencies' own credit lines name it after the agency.
        ("AP Photo/Jane Doe", "AP Photo/Jane Doe"),
        ("AFP Photo / Bo Lee", "AFP Photo / Bo Lee"),
        ("Getty Images", "Photo: Getty Images"),
        ("Jane Mapp/OpenStreetMaps", "Photo: Jane Mapp/OpenStreetMaps"),
    ],
)
def test_the_picture_credit_says_photo_once(client, article, credit, printed):
    article.hero_image.save("hero.png", image_file(), save=True)
    article.hero_alt, article.hero_credit = "A red test card", credit
    article.save()
    refresh_hero_renditions(article=article)

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'<span class="credit">{printed}</span>' in html


def test_an_iphone_s_heic_photo_is_named_as_such_with_what_to_do(editor_client, article):
    # What a photo AirDropped from an iPhone to a Mac is: no browser shows it, and Pillow
    # cannot read it. "Not a valid image" sent the editor looking for a broken file.
    from tests.article_forms import change_form_data

    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 500
    data = change_form_data(article, body="Typed on deadline.", hero_alt="The bridge")
    data["hero_image"] = SimpleUploadedFile("IMG_0412.HEIC", heic)

    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "not a valid image" not in page
    assert "a HEIC picture (as iPhones take them)" in page and "as a JPEG" in page
    assert "Typed on deadline." in page


def test_the_admin_s_preview_shows_the_picture_as_pages_cut_it(editor_client, article):
    # Pages show a hero at 16:9, cut from the centre: a portrait loses the top of its head
    # there, a tall chart its title. The preview showed it whole, as no reader sees it.
    article.hero_image.save("portrait.jpg", image_file("JPEG", (1200, 1600), "portrait.jpg"))
    article.hero_alt = "The mayor"
    refresh_hero_renditions(article=article)

    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    preview = page[page.index("field-hero_preview") :][:1200]
    assert article.hero_crop_images[0]["url"] in preview  # the 16:9 crop pages show
    assert article.thumbnail_url not in preview
    assert "Pages show it cut to this shape (16:9) from the centre" in preview
