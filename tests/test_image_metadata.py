"""What a camera wrote into a hero picture (where, who, which camera) never reaches readers: the
stored original is stripped of it, and the public names do not lead to the original."""

import io
import re
from pathlib import PurePosixPath

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from PIL import Image, ImageCms

from articles.picture_services import refresh_hero_renditions
from tests.article_forms import change_form_data

GPS_IFD, ARTIST, ORIENTATION, EXIF_IFD, BODY_SERIAL = 0x8825, 0x013B, 0x0112, 0x8769, 0xA431
PHOTOGRAPHER = "Jane Photographer (source: confidential)"
SERIAL = "CAMSERIAL-0042"
SECRETS = (b"Jane Photographer", b"CAMSERIAL-0042", b"whistleblower", b"<x:xmpmeta")
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def camera_jpeg(*, orientation: int = 1) -> bytes:
    """A photo as a phone hands it over: GPS position, the photographer, the camera's serial, an
    XMP packet and a comment, a colour profile, and (optionally) a note to turn it."""
    exif = Image.Exif()
    exif[ARTIST] = PHOTOGRAPHER
    exif[ORIENTATION] = orientation
    exif.get_ifd(EXIF_IFD)[BODY_SERIAL] = SERIAL
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 31.0, 0.0), 3: "E", 4: (13.0, 24.0, 0.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (200, 30, 30)).save(
        buffer,
        "JPEG",
        quality=90,
        exif=exif,
        icc_profile=SRGB,
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Jane</x:xmpmeta>',
        comment=b"whistleblower at the plant gate",
    )
    return buffer.getvalue()


def assert_no_metadata(data: bytes, what: str) -> None:
    for secret in SECRETS:
        assert secret not in data, f"{what} holds {secret!r}"
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD), f"{what} holds a GPS position"
        assert ARTIST not in exif and BODY_SERIAL not in exif.get_ifd(EXIF_IFD), what
        assert "comment" not in image.info and "xmp" not in image.info, what


def media_addresses(html: str) -> set[str]:
    return {m.split("?")[0] for m in re.findall(r"/media/[^\s\"'<>,\\]+", html)}


@pytest.fixture
def desk(editor):
    """An editor who may change articles and nothing else."""
    client = Client()
    client.force_login(editor)
    return client


def test_a_reader_finds_no_camera_metadata_in_any_picture_the_article_page_leads_to(
    desk, client, article
):
    data = change_form_data(article, hero_alt="The plant at night")
    data["hero_image"] = SimpleUploadedFile("IMG_2041.jpg", camera_jpeg(), "image/jpeg")
    response = desk.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.hero_renditions and article.hero_crops

    html = client.get(article.get_absolute_url()).content.decode()
    addresses = media_addresses(html)
    assert len(addresses) >= 4  # renditions in srcset, crops in Open Graph and JSON-LD
    original = PurePosixPath(article.hero_image.name)
    # The page names nothing that leads to the stored original: not its random part, not the
    # camera's file name it was uploaded as.
    assert original.stem not in html and "IMG_2041" not in html
    month = original.parent.as_posix()  # heroes/YYYY/MM
    for address in addresses:
        served = client.get(address)
        assert served.status_code == 200
        assert_no_metadata(b"".join(served.streaming_content), address)
        # A name a shell takes as a name, not an option.
        assert PurePosixPath(address).name[0].isalnum(), address
        # What the reviewer did: the original's address built from a rendition's name.
        stem = PurePosixPath(address).stem.rsplit("-", 1)[0]
        for guess in (f"/media/{month}/{stem}.jpg", f"/media/heroes/{stem}.jpg"):
            assert client.get(guess).status_code == 404, guess


def test_the_stored_original_keeps_its_picture_and_colours_but_not_its_metadata(desk, article):
    data = change_form_data(article, hero_alt="The plant at night")
    # Taken with the phone turned: the EXIF says so, and goes; the pixels are turned instead.
    data["hero_image"] = SimpleUploadedFile("IMG_2041.jpg", camera_jpeg(orientation=6))
    desk.post(f"/admin/articles/article/{article.pk}/change/", data)

    article.refresh_from_db()
    assert article.hero_image.name.endswith("-IMG_2041.jpg")
    with default_storage.open(article.hero_image.name) as stored:
        data = stored.read()
    assert_no_metadata(data, "the stored original")
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (900, 1600)  # upright, at full size
        assert ORIENTATION not in image.getexif()
        assert image.info.get("icc_profile") == SRGB
        assert image.convert("RGB").getpixel((450, 800)) == pytest.approx((200, 30, 30), abs=3)
    with default_storage.open(article.hero_renditions["800"]) as rendition:
        assert Image.open(rendition).size == (800, 1422)  # upright too, and turned only once


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_other_formats_are_stored_without_their_metadata_too(desk, article, fmt):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[ARTIST] = PHOTOGRAPHER
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 0.0)})
    Image.new("RGBA", (600, 400), (10, 120, 200, 128)).save(  # see-through: alpha kept
        buffer, fmt, exif=exif, xmp=b"<x:xmpmeta>Jane</x:xmpmeta>", icc_profile=SRGB
    )
    data = change_form_data(article, hero_alt="A blue card")
    data["hero_image"] = SimpleUploadedFile(f"card.{fmt.lower()}", buffer.getvalue())
    desk.post(f"/admin/articles/article/{article.pk}/change/", data)

    article.refresh_from_db()
    with default_storage.open(article.hero_image.name) as stored:
        data = stored.read()
    assert_no_metadata(data, f"the stored {fmt}")
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.mode, image.size) == (fmt, "RGBA", (600, 400))
        assert image.info.get("icc_profile") == SRGB


@pytest.mark.parametrize("front_cache", [True, False])
def test_pictures_stored_before_are_stored_again_without_metadata_by_a_command(
    client, article, django_capture_on_commit_callbacks, settings, request, front_cache
):
    """Originals uploaded before uploads were stripped: `manage.py strip_hero_metadata`."""
    purges = request.getfixturevalue("purges") if front_cache else None
    if not front_cache:
        settings.FRONT_CACHE_PURGE_URLS = []  # a shell of the operator's own
    article.hero_alt = "The plant at night"
    article.hero_image.save("IMG_2041.jpg", SimpleUploadedFile("IMG_2041.jpg", camera_jpeg()))
    refresh_hero_renditions(article=article)
    article.refresh_from_db()
    old_files, updated_at = article.hero_file_names, article.updated_at

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the old files go after commit
        call_command("strip_hero_metadata", stdout=out)

    article.refresh_from_db()
    assert "1 picture(s) stored again without metadata; 0 failed." in out.getvalue()
    if front_cache:
        assert purges and "no front cache" not in out.getvalue()
    else:
        # The old pictures stay in a front cache that kept them: the command says so.
        assert "no front cache was purged" in out.getvalue()
        assert "stay at their old addresses there for up to 30 days" in out.getvalue()
        # How to empty it, make serve's or a systemd unit's.
        assert "make serve again, or systemctl restart its unit" in out.getvalue()
    assert article.updated_at == updated_at  # the same picture: not an update for readers
    assert article.hero_image.name.endswith("-IMG_2041.jpg")
    assert not old_files & article.hero_file_names
    assert not any(default_storage.exists(name) for name in old_files)
    with default_storage.open(article.hero_image.name) as stored:
        assert_no_metadata(stored.read(), "the original stored again")
    html = client.get(article.get_absolute_url()).content.decode()
    assert media_addresses(html) and all(
        client.get(address).status_code == 200 for address in media_addresses(html)
    )
