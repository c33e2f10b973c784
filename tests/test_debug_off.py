"""Every public page renders with DEBUG off, with hashed static files served by whitenoise."""

import re

import pytest
from django.conf import settings
from django.test import override_settings

PAGES = [
    "/",
    "/?page=2",
    "/section/technology/",
    "/author/marta-ribeiro/",
    "/tag/electric-cars/",
    "/search/?q=xiaomi",
    "/search/",
    "/feed/",
    "/atom/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/sitemap-news.xml",
    "/robots.txt",
]


@pytest.fixture
def content(make_article, tag, add_related, second_page):
    lead = make_article(title="Xiaomi car", tags=[tag])
    add_related(lead, make_article(title="Battery prices", tags=[tag]), in_body=1)
    return lead


@override_settings(DEBUG=False)
@pytest.mark.parametrize("url", PAGES)
def test_public_pages_render_with_debug_off(client, content, url):
    assert settings.DEBUG is False
    assert client.get(url).status_code == 200


@override_settings(DEBUG=False)
def test_article_page_renders_with_debug_off(client, content):
    assert client.get(content.get_absolute_url()).status_code == 200


@override_settings(DEBUG=False)
def test_static_files_have_hashed_names_and_are_served_by_whitenoise(client, content):
    html = client.get("/").content.decode()
    css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', html)
    js = re.search(r'src="(/static/js/site\.[0-9a-f]{12}\.js)"', html)
    assert css and js, "static URLs should carry a content hash"

    response = client.get(css.group(1))

    assert response.status_code == 200
    # Hashed files never change, so whitenoise lets browsers keep them for good.
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
