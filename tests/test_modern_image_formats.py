"""The hero and the home page's lead are offered in AVIF, then WebP, then JPEG: a browser takes
the first it can show, at a fraction of the JPEG's bytes. A phone is offered 800 px at most in
every format; a story saved before the modern formats were made still shows its JPEGs."""

import io
import re

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from articles.models import Article
from articles.picture_services import refresh_hero_renditions
from tests.article_forms import change_form_data
from tests.test_image_metadata import assert_no_metadata, camera_jpeg
from tests.test_images import image_file

PHONE = "(max-width: 575.98px)"
DENSE = "(min-resolution: 2.5dppx)"  # 3x screens: phones, held sideways too
WIDTHS_FOR = {PHONE: [400, 800], DENSE: [400, 800, 1200], None: [400, 800, 1200, 1600]}
DECODED_AS = {"image/avif": "AVIF", "image/webp": "WEBP", None: "JPEG"}


def picture(html: str) -> list[dict]:
    """The attributes of the first <picture>'s <source>s and <img>, in order."""
    inside = re.search(r"<picture>(.*?)</picture>", html, re.S).group(1)
    tags = re.findall(r"<(?:source|img)\b[^>]*>", inside)
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', tag)) for tag in tags]


def candidates(srcset: str) -> list[tuple[str, int]]:
    return [(url, int(width[:-1])) for url, width in (c.split() for c in srcset.split(", "))]


def old_story(article) -> None:
    """As a story saved before AVIF and WebP renditions were made is stored: JPEGs only."""
    for name in article.hero_file_names - {*article.hero_renditions.values()}:
        if name.endswith((".avif", ".webp")):
            default_storage.delete(name)
    Article.objects.filter(pk=article.pk).update(hero_modern_renditions={})


@pytest.fixture
def pictured(article):
    article.hero_alt = "A red card"
    article.hero_image.save("hero.png", image_file(), save=True)
    refresh_hero_renditions(article=article)
    return article


@pytest.mark.parametrize("where", ["article", "home"])
def test_the_picture_is_offered_in_avif_then_webp_before_the_jpeg(client, pictured, where):
    html = client.get(pictured.get_absolute_url() if where == "article" else "/").content.decode()

    *sources, img = picture(html)

    assert [(s.get("type"), s.get("media")) for s in sources] == [
        ("image/avif", PHONE),
        ("image/avif", DENSE),
        ("image/avif", None),
        ("image/webp", PHONE),
        ("image/webp", DENSE),
        ("image/webp", None),
        (None, PHONE),
        (None, DENSE),
    ]
    # The <img> is the JPEG it was, with its size and priority.
    assert all(url.endswith(".jpg") for url, _ in candidates(img["srcset"]))
    assert (img["width"], img["height"], img["fetchpriority"]) == ("1200", "675", "high")
    assert [s["sizes"] for s in sources if "media" not in s] == [img["sizes"]] * 2
    for source in sources:
        for url, width in candidates(source["srcset"]):
            response = client.get(url)
            assert response.status_code == 200, url
            with Image.open(io.BytesIO(b"".join(response.streaming_content))) as served:
                assert (served.format, served.width) == (DECODED_AS[source.get("type")], width)
            if "type" in source:
                assert response["Content-Type"] == source["type"]


@pytest.mark.parametrize("where", ["article", "home"])
def test_a_phone_is_offered_800_px_at_most_in_every_format(client, pictured, where):
    # Held sideways, a 3x phone draws the hero 696 px wide: 1200 px at most, as before 1600 came.
    html = client.get(pictured.get_absolute_url() if where == "article" else "/").content.decode()

    for source in picture(html):
        widths = [width for _, width in candidates(source["srcset"])]
        assert widths == WIDTHS_FOR[source.get("media")], source


@pytest.mark.parametrize("where", ["article", "home"])
def test_a_story_saved_before_the_modern_formats_offers_its_jpegs_only(client, pictured, where):
    old_story(pictured)

    html = client.get(pictured.get_absolute_url() if where == "article" else "/").content.decode()

    phone, dense, img = picture(html)
    jpegs = pictured.hero_jpeg_srcsets
    assert phone == {"media": PHONE, "srcset": jpegs["phone_srcset"], "sizes": "100vw"}
    assert (dense["media"], dense["srcset"]) == (DENSE, jpegs["dense_srcset"])
    # Without srcset, its 1200 px JPEG (tests/test_hero_fallback_size.py).
    assert img["srcset"] == pictured.hero_srcset
    assert img["src"] == default_storage.url(pictured.hero_renditions["1200"])
    assert ".avif" not in html and ".webp" not in html and 'srcset=""' not in html


@pytest.mark.parametrize("saved_before", [False, True])
def test_a_list_card_offers_its_picture_in_avif_then_webp_too(client, pictured, saved_before):
    # The cards are most of a list's pictures: a section page is ten of them.
    if saved_before:
        old_story(pictured)
    html = client.get(pictured.section.get_absolute_url()).content.decode()

    *sources, img = picture(html)

    assert "card-image" in img["class"]
    assert all(url.endswith(".jpg") for url, _ in candidates(img["srcset"]))
    if saved_before:
        assert sources == [] and ".avif" not in html and ".webp" not in html
        return
    assert [s["type"] for s in sources] == ["image/avif", "image/webp"]
    assert [s["sizes"] for s in sources] == [img["sizes"]] * 2
    for source in sources:
        widths = [width for _, width in candidates(source["srcset"])]
        assert widths == [width for _, width in candidates(img["srcset"])]
        for url, width in candidates(source["srcset"]):
            with Image.open(default_storage.open(url.removeprefix(settings.MEDIA_URL))) as file:
                assert (file.format, file.width) == (DECODED_AS[source["type"]], width)


def test_a_command_gives_stories_saved_before_their_avif_and_webp(
    client, pictured, django_capture_on_commit_callbacks, settings
):
    settings.FRAGMENT_CACHE_SECONDS = 300  # the page drawn before is kept: the command purges it
    old_story(pictured)
    jpegs = dict(pictured.hero_renditions)
    assert ".avif" not in client.get(pictured.get_absolute_url()).content.decode()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_modern_renditions", stdout=out)
        call_command("make_modern_renditions", stdout=out)  # again: nothing left to do

    assert out.getvalue().splitlines() == [
        "1 picture(s) given AVIF and WebP renditions; 0 failed.",
        "0 picture(s) given AVIF and WebP renditions; 0 failed.",
    ]
    pictured.refresh_from_db()
    assert pictured.hero_renditions == jpegs  # the JPEGs readers and caches have stay
    sources = picture(client.get(pictured.get_absolute_url()).content.decode())
    assert [s.get("type") for s in sources] == ["image/avif"] * 3 + ["image/webp"] * 3 + [None] * 3
    for source in sources[:6]:
        for url, width in candidates(source["srcset"]):
            with (
                default_storage.open(url.removeprefix("/media/")) as stored,
                Image.open(stored) as made,
            ):
                assert (made.format, made.width) == (DECODED_AS[source["type"]], width)


def test_every_format_holds_the_pixels_only_so_the_picture_looks_the_same_in_each(client, article):
    # Stored as a camera wrote it (a picture stored before uploads were stripped): GPS, the
    # photographer, a colour profile. The AVIF encoder copies a profile it finds; the others not.
    article.hero_image.save("IMG_2041.jpg", SimpleUploadedFile("IMG_2041.jpg", camera_jpeg()))
    refresh_hero_renditions(article=article)

    for source in picture(client.get(article.get_absolute_url()).content.decode()):
        for url, _ in candidates(source["srcset"]):
            with default_storage.open(url.removeprefix("/media/")) as stored:
                data = stored.read()
            assert_no_metadata(data, url)
            with Image.open(io.BytesIO(data)) as served:
                assert "icc_profile" not in served.info, url


def test_replacing_or_removing_the_picture_deletes_its_avif_and_webp_files(
    editor_client, pictured, django_capture_on_commit_callbacks
):
    def post(**changes):
        data = change_form_data(pictured, hero_alt="A red card", **changes)
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(f"/admin/articles/article/{pictured.pk}/change/", data)
        assert response.status_code == 302
        pictured.refresh_from_db()

    def modern_files():
        names = {n for widths in pictured.hero_modern_renditions.values() for n in widths.values()}
        assert len(names) == 8 and all(default_storage.exists(name) for name in names)
        return names

    first = modern_files()
    post(hero_image=image_file(name="second.png"))
    second = modern_files()
    assert not any(default_storage.exists(name) for name in first)

    post(**{"hero_image-clear": "on"})
    assert not pictured.hero_image and not pictured.hero_modern_renditions
    assert not any(default_storage.exists(name) for name in second)
