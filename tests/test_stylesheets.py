"""How pages load the site's CSS: a few files under hashed names (no build step joins them), each
page only the parts it draws. The list pages' stories are lists.css, which an article page
never downloads; an article's is article.css, which a list never downloads."""

import re
from pathlib import Path

import pytest

CSS_DIR = Path(__file__).resolve().parents[1] / "static" / "css"
STYLESHEET = re.compile(
    r'<link rel="stylesheet" href="/static/(?:[^"]*/)?([\w-]+?)(?:\.min)?\.[0-9a-f]+\.css"'
)


def _stylesheets(client, url: str) -> list[str]:
    response = client.get(url, follow=True)
    return STYLESHEET.findall(response.content.decode())


@pytest.mark.parametrize("page", ["home", "section", "search"])
def test_a_list_page_loads_the_lists_stylesheet_and_not_the_articles(client, article, page):
    url = {"home": "/", "section": article.section.get_absolute_url(), "search": "/search/?q=x"}
    sheets = _stylesheets(client, url[page])
    assert sheets == ["bootstrap", "fonts", "site", "lists"], sheets


def test_an_article_page_loads_its_own_stylesheet_and_not_the_lists(client, article):
    sheets = _stylesheets(client, article.get_absolute_url())
    assert sheets == ["bootstrap", "fonts", "site", "article"], sheets


def test_a_page_with_neither_loads_the_frame_alone(client, db):
    sheets = _stylesheets(client, "/no-such-page/")
    assert sheets == ["bootstrap", "fonts", "site"], sheets


def test_each_of_our_stylesheets_stays_short_enough_to_read(db):
    for path in CSS_DIR.glob("*.css"):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 400, f"{path.name}: {lines} lines; split it by part of the page"
