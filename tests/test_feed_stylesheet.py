"""A feed opened in a browser names a stylesheet (XSLT) that draws it as a page saying what a
feed is and how to follow it; feed readers get the same valid RSS and Atom as before."""

import re
from xml.etree import ElementTree

import pytest

from tests.test_http_caching import assert_shared

FEEDS = {
    "/feed/": "rss",
    "/atom/": "{http://www.w3.org/2005/Atom}feed",
    "/section/technology/feed/": "rss",
    "/section/technology/atom/": "{http://www.w3.org/2005/Atom}feed",
}
XSLT = "{http://www.w3.org/1999/XSL/Transform}"
# After the XML declaration and before the root element, as browsers look for it.
STYLESHEET_PI = re.compile(
    rb'^<\?xml version="1.0" encoding="utf-8"\?>\n<\?xml-stylesheet ([^?]*)\?><(rss|feed) '
)
# Our own address: drawn by Django (articles.feeds.stylesheet), so it names its CSS by the
# hashed name.
SAME_ORIGIN_XSL = re.compile(r"/feed\.xsl")
HASHED_CSS = re.compile(r"/static/feeds/feed\.[0-9a-f]{12}\.css")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def stylesheet_named(content: bytes) -> dict:
    found = STYLESHEET_PI.match(content)
    assert found, content[:300]
    return dict(re.findall(r'(\w+)="([^"]*)"', found.group(1).decode()))


@pytest.mark.parametrize("url", FEEDS)
def test_a_feed_names_its_stylesheet_and_stays_the_feed_readers_expect(client, article, url):
    response = client.get(url)

    assert response.status_code == 200
    named = stylesheet_named(response.content)
    assert SAME_ORIGIN_XSL.fullmatch(named["href"]), named
    assert named["type"] == "text/xsl" and named["media"] == "screen"
    # Still the document feed readers parse, with the story, under its usual media type.
    root = ElementTree.fromstring(response.content)
    assert root.tag == FEEDS[url]
    assert "Xiaomi will mass-produce its car" in response.content.decode()
    # As XML, which browsers draw through the stylesheet (Chromium shows application/rss+xml
    # as plain text, Firefox downloads it); feed readers read the document whatever its type.
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert_shared(response, "list")


def test_the_stylesheet_is_served_from_our_own_site_as_xml(client, article):
    # A browser applies a stylesheet only from the feed's own origin, and only one served as XML.
    href = stylesheet_named(client.get("/feed/").content)["href"]

    response = client.get(href)

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] in ("text/xml", "application/xml", "text/xsl")
    assert_shared(response)
    stylesheet = ElementTree.fromstring(body(response))
    assert stylesheet.tag == f"{XSLT}stylesheet"
    text = ElementTree.tostring(stylesheet, encoding="unicode", method="text")
    assert "Paste it into your feed reader" in text
    # Its own look, under our origin too (the feed's CSP allows styles from 'self' only).
    css = stylesheet.find(".//{*}link[@rel='stylesheet']")
    assert css is not None and css.get("href").startswith("/static/")
    assert client.get(css.get("href")).status_code == 200


def test_the_stylesheet_names_its_css_by_the_hashed_name(client, article):
    # A change to the feed page's look reaches readers with the release: the unhashed name,
    # kept for a day by browsers and the proxy, showed the old look that long.
    href = stylesheet_named(client.get("/feed/").content)["href"]
    stylesheet = ElementTree.fromstring(body(client.get(href)))

    css = stylesheet.find(".//{*}link[@rel='stylesheet']").get("href")

    assert HASHED_CSS.fullmatch(css), css
    assert b"--brand" in body(client.get(css))
