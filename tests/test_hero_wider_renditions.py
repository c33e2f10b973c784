"""A laptop's or tablet's dense screen draws the hero 760 px wide (the home page's lead 778) at
twice the pixels: it is offered a 1600 px rendition when the upload is that wide (1200 px looked
soft there), while a phone is still offered 800 px at most, and a smaller upload is never blown
up. Pictures saved when 1200 px was the widest get theirs from `manage.py
make_wider_renditions`."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from articles.models import Article
from articles.picture_services import refresh_hero_renditions
from tests.test_images import image_file
from tests.test_modern_image_formats import DECODED_AS, WIDTHS_FOR, candidates, picture


def pictured(article, size):
    article.hero_alt = "A red card"
    article.hero_image.save("hero.png", image_file(size=size), save=True)
    refresh_hero_renditions(article=article)
    return article


def saved_at_1200_px_at_most(article) -> None:
    """As a picture saved when renditions stopped at 1200 px is stored: no 1600 px files."""
    article.refresh_from_db()
    for name in article.hero_file_names:
        if "-1600w." in name:
            default_storage.delete(name)
    Article.objects.filter(pk=article.pk).update(
        hero_renditions={w: n for w, n in article.hero_renditions.items() if w != "1600"},
        hero_modern_renditions={
            mime_type: {w: n for w, n in widths.items() if w != "1600"}
            for mime_type, widths in article.hero_modern_renditions.items()
        },
    )


def widths_offered(html) -> list[tuple[str | None, str | None, list[int]]]:
    return [
        (s.get("type"), s.get("media"), [w for _, w in candidates(s["srcset"])])
        for s in picture(html)
    ]


@pytest.mark.parametrize("where", ["article", "home"])
def test_a_wide_upload_is_offered_1600_px_on_large_screens_and_800_on_phones(
    client, article, where
):
    pictured(article, (2400, 1350))

    html = client.get(article.get_absolute_url() if where == "article" else "/").content.decode()

    offered = widths_offered(html)
    assert len(offered) == 9  # for phones, for 3x screens (phones held sideways), for the rest
    for mime_type, media, widths in offered:
        assert widths == WIDTHS_FOR[media], mime_type
    for source in picture(html):
        for url, width in candidates(source["srcset"]):
            response = client.get(url)
            with Image.open(io.BytesIO(b"".join(response.streaming_content))) as served:
                assert (served.format, served.size) == (
                    DECODED_AS[source.get("type")],
                    (width, width * 9 // 16),
                )


def test_an_upload_1200_px_wide_gets_nothing_wider(client, article):
    pictured(article, (1200, 675))

    html = client.get(article.get_absolute_url()).content.decode()

    for _, media, widths in widths_offered(html):
        assert widths == [w for w in WIDTHS_FOR[media] if w <= 1200]


def test_an_upload_1400_px_wide_is_offered_at_its_own_width(client, article):
    pictured(article, (1400, 700))

    html = client.get(article.get_absolute_url()).content.decode()

    assert widths_offered(html)[-1][2] == [400, 800, 1200, 1400]


def test_a_command_gives_pictures_saved_before_their_1600_px_renditions(
    client, article, make_article, django_capture_on_commit_callbacks, settings
):
    settings.FRAGMENT_CACHE_SECONDS = 300  # the page drawn before is kept: the command purges it
    pictured(article, (2400, 1350))
    saved_at_1200_px_at_most(article)
    small = make_article(title="A small picture", slug="a-small-picture")
    pictured(small, (1200, 675))
    article.refresh_from_db()
    kept_jpegs, kept_modern = dict(article.hero_renditions), dict(article.hero_modern_renditions)
    assert "1600w" not in client.get(article.get_absolute_url()).content.decode()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_wider_renditions", stdout=out)
        call_command("make_wider_renditions", stdout=out)  # again: nothing left to do

    assert out.getvalue().splitlines() == [
        "1 picture(s) given wider renditions; 0 failed.",
        "0 picture(s) given wider renditions; 0 failed.",
    ]
    article.refresh_from_db()
    # The renditions readers and caches have stay under their names.
    assert kept_jpegs.items() <= article.hero_renditions.items()
    for mime_type, widths in kept_modern.items():
        assert widths.items() <= article.hero_modern_renditions[mime_type].items()
    html = client.get(article.get_absolute_url()).content.decode()
    for mime_type, media, widths in widths_offered(html):
        assert widths == WIDTHS_FOR[media], mime_type
    for source in picture(html):
        url, width = candidates(source["srcset"])[-1]
        with Image.open(default_storage.open(url.removeprefix("/media/"))) as made:
            assert (made.format, made.width) == (DECODED_AS[source.get("type")], width)
    small_html = client.get(small.get_absolute_url()).content.decode()
    assert widths_offered(small_html)[-1][2] == [400, 800, 1200]
