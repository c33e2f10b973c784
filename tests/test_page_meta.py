"""What search engines and social networks read from the head of every page a reader can
share: one robots line (large picture previews, or noindex), Open Graph and Twitter cards."""

import re
from html import unescape

import pytest
from django.conf import settings


def robots_lines(html: str) -> list[str]:
    return re.findall(r'<meta name="robots" content="([^"]*)">', html)


@pytest.mark.parametrize("page", ["home", "section", "tag", "author", "article"])
def test_shared_pages_allow_large_picture_previews(client, article, tag, page):
    article.tags.set([tag])
    url = {
        "home": "/",
        "section": article.section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": article.authors.first().get_absolute_url(),
        "article": article.get_absolute_url(),
    }[page]

    html = client.get(url).content.decode()

    # Google shows a large picture (and Discover lists the story) only when told it may.
    assert robots_lines(html) == ["max-image-preview:large"]


def test_pages_kept_out_of_search_say_only_noindex(client, article, make_comment):
    pending = make_comment(article)

    for url in ("/search/?q=car", pending.status_url):
        assert robots_lines(client.get(url).content.decode()) == ["noindex"], url


def meta(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)"', html)
    )


def logo_url() -> str:
    from django.templatetags.static import static

    return settings.SITE_URL + static("logo.png")


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("/", settings.SITE_NAME),
        ("/?page=2", "Latest news – page 2"),
        ("/section/technology/", "Technology"),
        ("/tag/electric-cars/", "Tagged “Electric cars”"),
        ("/author/marta-ribeiro/", "Marta Ribeiro"),
    ],
)
def test_list_pages_have_social_cards_with_the_logo(client, second_page, article, page, title):
    html = client.get(page).content.decode()

    tags = meta(html)
    assert tags["og:type"] == "website"
    assert tags["og:title"] == tags["twitter:title"] == unescape(title)
    # Their one address, from SITE_URL: every reader shares the same card.
    assert tags["og:url"] == settings.SITE_URL + page
    assert f'<link rel="canonical" href="{tags["og:url"]}">' in html.replace("&amp;", "&")
    assert tags["og:image"] == logo_url()
    assert (tags["og:image:width"], tags["og:image:height"]) == ("512", "512")
    assert tags["twitter:card"] == "summary"
    # What a network shows under the title (the home page's is the site's own description).
    assert tags["og:description"] == unescape(
        re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    )


def test_an_article_without_a_picture_is_shared_with_the_logo(client, article):
    tags = meta(client.get(article.get_absolute_url()).content.decode())

    assert tags["og:type"] == "article"
    assert tags["og:image"] == logo_url()
    assert tags["og:image:alt"] == f"{settings.SITE_NAME} logo"
    assert tags["twitter:card"] == "summary"
