"""What search engines and social cards read from an article page: NewsArticle JSON-LD with the
author's page, the publisher's logo and the hero in three shapes; Open Graph image sizes; the
hero fetched first and at the width it is shown."""

import io
import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.picture_services import refresh_hero_renditions


def with_hero(article, size=(1600, 900)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, "PNG")
    article.hero_image.save("hero.png", SimpleUploadedFile("hero.png", buffer.getvalue()))
    article.hero_alt = "Assembly line at dusk"
    article.save()
    refresh_hero_renditions(article=article)
    return article


def json_ld(html: str) -> dict:
    start = html.index('<script type="application/ld+json">')
    return json.loads(html[start:].split(">", 1)[1].split("</script>", 1)[0])


def stored_size(url: str) -> tuple[int, int]:
    name = url.removeprefix(settings.SITE_URL).removeprefix(settings.MEDIA_URL)
    with default_storage.open(name) as stored, Image.open(stored) as image:
        return image.size


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ((1600, 900), [(1200, 675), (1200, 900), (900, 900)]),
        ((500, 300), [(500, 281), (400, 300), (300, 300)]),  # never blown up
    ],
)
def test_hero_crops_come_in_16_9_4_3_and_1_1(article, original, expected):
    with_hero(article, original)
    article.refresh_from_db()

    crops = article.hero_crop_images

    assert [(c["width"], c["height"]) for c in crops] == expected
    assert [stored_size(c["url"]) for c in crops] == expected


def test_json_ld_names_author_pages_publisher_logo_and_three_image_shapes(client, article):
    with_hero(article)

    data = json_ld(client.get(article.get_absolute_url()).content.decode())

    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Marta Ribeiro",
            "url": f"{settings.SITE_URL}/author/marta-ribeiro/",
        }
    ]
    logo = data["publisher"]["logo"]
    assert logo["url"].startswith(settings.SITE_URL + settings.STATIC_URL)
    with Image.open(finders.find("logo.png")) as image:
        assert image.size == (logo["width"], logo["height"])
    shapes = [stored_size(url) for url in data["image"]]
    assert [round(w / h, 2) for w, h in shapes] == [1.78, 1.33, 1.0]
    assert all(url.startswith(settings.SITE_URL) for url in data["image"])
    assert data["datePublished"] == article.published_at.isoformat(timespec="seconds")


def test_open_graph_image_has_its_size(client, article):
    with_hero(article)

    response = client.get(article.get_absolute_url())

    image = response.context["share_image"]
    assert (image["width"], image["height"]) == (1200, 675)
    for tag in (
        f'<meta property="og:image" content="{image["url"]}">',
        '<meta property="og:image:width" content="1200">',
        '<meta property="og:image:height" content="675">',
        '<meta property="og:image:alt" content="Assembly line at dusk">',
    ):
        assert tag in response.content.decode()


def test_hero_is_fetched_first_at_the_reading_columns_width(client, article):
    with_hero(article)

    html = client.get(article.get_absolute_url()).content.decode()

    figure = html[html.index('<figure class="hero">') :]
    hero = figure[figure.index("<img") :].split(">", 1)[0]
    assert 'fetchpriority="high"' in hero
    # The column is at most 760 px wide (47.5rem), beside the rail from 992 px: never 100vw there.
    assert 'sizes="(min-width: 1200px) 760px, (min-width: 992px) 588px' in hero


def test_an_article_without_a_hero_has_no_image_in_its_json_ld(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    # Not the logo: Google wants the story's own picture there (social cards get the logo).
    assert "image" not in json_ld(html)


def test_open_graph_times_are_iso_8601_as_in_the_json_ld(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    data = json_ld(html)
    # RFC 3339 / ISO 8601 extended: "+00:00", as Open Graph and Facebook's parser read it.
    assert f'<meta property="article:published_time" content="{data["datePublished"]}">' in html
    assert f'<meta property="article:modified_time" content="{data["dateModified"]}">' in html
    assert data["datePublished"].endswith("+00:00")


def test_a_shared_cards_picture_is_described_to_readers_of_x_too(client, article):
    # X reads the picture's description from twitter:image:alt, not from og:image:alt: its
    # card's picture had none for a screen reader.
    with_hero(article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<meta name="twitter:image:alt" content="Assembly line at dusk">' in html

    front = client.get("/").content.decode()
    assert f'<meta name="twitter:image:alt" content="{settings.SITE_NAME} logo">' in front
