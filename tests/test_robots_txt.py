"""robots.txt as crawlers and browsers read it."""


def test_robots_txt_says_its_charset(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    # Without a charset a browser (and some crawlers) guess it: a site URL with a non-ASCII
    # host or path in the Sitemap lines would be read as Latin-1.
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Disallow: /admin/" in response.content.decode()
