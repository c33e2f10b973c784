"""Query strings through the real front proxy (tests/proxy_stack.py). A parameter the page does
not read (a made-up one, a tracking tag, one of another page's) neither makes a copy of its own,
pushing real pages out of the cache, nor reaches gunicorn, however the query is spelt or ordered;
one the page reads still draws its own page; the admin and a signed-in reader get the query as
they sent it."""

import re

from tests.proxy_stack import request_id, warm

# An address of its own: tests before may have spent 127.0.0.1's misses (PROXY_MISS_LIMIT).
READER = "127.0.0.6"


def _the_copy_answers(stack, path, copy):
    rid = request_id()
    got = stack.get(path, headers={"X-Request-ID": rid}, source=READER)
    assert got.status == copy.status, path
    assert got.header("X-Cache") == "HIT", path
    assert got.body == copy.body, path
    assert stack.never_reached_gunicorn(rid), path


def test_a_made_up_parameter_on_the_home_page_is_the_home_page(stack):
    home = warm(stack, "/")
    assert home.header("X-Cache") == "HIT"
    # Another page's parameters, or the home page's in another case, are made up here too.
    for query in ("foo=bar", "a=1&b=2", "PAGE=2", "pages=2", "q=news", "comments-page=2", ""):
        _the_copy_answers(stack, f"/?{query}", home)


def test_two_spellings_of_an_article_s_address_are_one_copy(stack):
    article = stack.articles[1]
    stack.forget(article)
    first = stack.get(f"{article}?a=1&b=2", source=READER)
    assert first.status == 200
    assert first.header("X-Cache") == "MISS"
    _the_copy_answers(stack, f"{article}?b=2&a=1", first)
    _the_copy_answers(stack, f"{article}?ref=newsletter&page=3", first)
    _the_copy_answers(stack, article, first)


def test_static_files_and_media_read_no_query(stack):
    home = stack.get("/").text
    for path in (
        re.search(r'href="(/static/[^"]+\.css)"', home)[1],
        re.search(r'src="(/media/[^"]+)"', home)[1],
    ):
        copy = warm(stack, path)
        assert copy.status == 200, path
        _the_copy_answers(stack, f"{path}?v={request_id()}", copy)


def test_the_parameters_a_page_reads_still_draw_their_own_page(stack):
    page_2 = stack.get("/?page=2&foo=1", source=READER)
    assert page_2.status == 200
    assert re.search(r"<title>[^<]* – page 2", page_2.text)
    _the_copy_answers(stack, "/?bar=1&page=2", page_2)

    found = stack.get("/search/?zz=1&q=proxyalpha", source=READER)
    assert "<title>Search: proxyalpha " in found.text
    _the_copy_answers(stack, "/search/?q=proxyalpha&utm_source=x", found)
    other = stack.get("/search/?q=proxybeta&zz=1", source=READER)
    assert "<title>Search: proxybeta " in other.text

    # A sitemap's page (Django's ?p=): the second of a one-page sitemap is not there.
    assert stack.get("/sitemap-articles.xml?x=2", source=READER).status == 200
    assert stack.get("/sitemap-articles.xml?p=2", source=READER).status == 404

    # An article's reply link without JavaScript draws the reader a form of their own.
    article = stack.articles[2]
    for _ in range(2):  # never kept: not a miss the next reader's hit follows
        reply = stack.get(f"{article}?reply-to=1&x=1", source=READER)
        assert reply.status == 200
        assert "private" in reply.header("Cache-Control")
        assert reply.header("X-Cache") == "PASS"


def test_the_admin_and_a_signed_in_reader_get_the_query_as_sent(stack):
    # The sign-in page is to lead back to the address asked for, whole.
    admin = stack.get("/admin/?foo=bar", source=READER)
    assert admin.status == 302
    assert admin.header("Location") == "/admin/login/?next=/admin/%3Ffoo%3Dbar"

    # Page 1 named leads to the address without it, the rest of the query kept: what Django
    # was given. A reader with a session (any: the page is theirs) gives it all.
    mine = stack.get("/?page=1&foo=bar", headers={"Cookie": "sessionid=x"}, source=READER)
    assert mine.header("Location") == "/?foo=bar"
    shared = stack.get("/?page=1&foo=bar", source=READER)
    assert shared.header("Location") == "/"
