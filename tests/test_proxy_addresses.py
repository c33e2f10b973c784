"""Addresses that name a page another way, through the real front proxy (tests/proxy_stack.py):
one copy of the page, answered from the cache, not one trip to gunicorn per spelling."""

from tests.proxy_stack import request_id, warm

# From an address of its own: other tests spend 127.0.0.1's cache misses.
READER = "127.0.0.6"


def test_a_slashless_address_is_redirected_from_the_cache(stack):
    article = stack.articles[3]
    warm(stack, article.rstrip("/"))
    rid = request_id()

    response = stack.get(article.rstrip("/"), headers={"X-Request-ID": rid}, source=READER)

    assert response.status == 301
    assert response.header("Location") == article
    assert response.header("X-Cache") == "HIT"
    assert stack.never_reached_gunicorn(rid)


def test_a_slashless_comment_endpoint_is_redirected_by_gunicorn_each_time(stack):
    for _ in range(2):
        rid = request_id()
        response = stack.get("/comments/privacy", headers={"X-Request-ID": rid}, source=READER)
        assert response.status == 301
        assert response.header("X-Cache") == "PASS"
        assert "no-store" in response.header("Cache-Control")
        assert stack.reached_gunicorn(rid)
