"""What a browser without srcset (the <img>'s src) and search engines and social cards (JSON-LD,
og:image, the feeds' enclosure of a picture saved before crops were made) are given of a hero:
its 1200 px JPEG, the width crops are cut at and Google asks for large previews, never the
1600 px one (for 2x screens that choose it from the srcset: twice the bytes for nobody)."""

import re

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

from articles.models import Article
from tests.test_article_metadata import json_ld, with_hero
from tests.test_feeds_and_sitemaps import parse


def stored_width(url: str) -> int:
    name = url.removeprefix(settings.SITE_URL).removeprefix(settings.MEDIA_URL)
    with default_storage.open(name) as stored, Image.open(stored) as image:
        return image.width


def img_src(html: str) -> str:
    inside = re.search(r"<picture>(.*?)</picture>", html, re.S).group(1)
    return re.search(r'<img\b[^>]*\bsrc="([^"]*)"', inside).group(1)


def saved_before_crops(article) -> Article:
    Article.objects.filter(pk=article.pk).update(hero_crops={})
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def pictured(article):
    return with_hero(article, (1600, 900))


@pytest.mark.parametrize("where", ["article", "home"])
@pytest.mark.parametrize("crops", [True, False])
def test_a_browser_without_srcset_gets_the_1200_px_jpeg(client, pictured, where, crops):
    if not crops:
        saved_before_crops(pictured)
    html = client.get(pictured.get_absolute_url() if where == "article" else "/").content.decode()

    src = img_src(html)

    assert src.endswith(".jpg") and stored_width(src) == 1200
    assert "-1600w.jpg 1600w" in html  # still offered to the screens that choose it


def test_a_picture_saved_before_crops_is_named_at_1200_px_for_search_engines(client, pictured):
    story = saved_before_crops(pictured)

    html = client.get(story.get_absolute_url()).content.decode()

    (image,) = json_ld(html)["image"]
    assert image.startswith(settings.SITE_URL) and stored_width(image) == 1200
    assert f'<meta property="og:image" content="{image}">' in html


def test_a_picture_saved_before_crops_is_the_feeds_1200_px_enclosure(client, pictured):
    saved_before_crops(pictured)

    enclosure = parse(client.get("/feed/")).find("channel/item/enclosure")

    assert stored_width(enclosure.get("url")) == 1200


def test_a_narrower_picture_is_given_at_its_own_width(client, article):
    story = saved_before_crops(with_hero(article, (1000, 600)))

    html = client.get(story.get_absolute_url()).content.decode()

    assert stored_width(img_src(html)) == 1000
    assert [stored_width(url) for url in json_ld(html)["image"]] == [1000]
