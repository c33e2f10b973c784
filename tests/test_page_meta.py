"""What search engines and social networks read from the head of every page a reader can
share: one robots line (large picture previews, or noindex), Open Graph and Twitter cards."""

import re

import pytest


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
