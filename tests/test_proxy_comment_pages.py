"""An article's made-up comment-page addresses through the real front proxy (tests/proxy_stack.py):
none of them is a copy of the article in the cache. A value that is no page number is one small
shared redirect; a number past the last page is a redirect the proxy never stores."""

import re

from tests.proxy_stack import request_id, warm


def _last_comments_page(stack, article) -> int:
    shown = re.search(r"Page 1 of (\d+)", stack.get(article).text)
    return int(shown[1]) if shown else 1


def test_a_value_that_is_no_page_number_is_a_shared_redirect_not_a_copy_of_the_article(stack):
    article = stack.articles[1]

    kept = warm(stack, f"{article}?comments-page=abc")

    assert kept.status == 301
    assert kept.header("X-Cache") == "HIT"
    assert kept.header("Location") == article
    assert b"<article" not in kept.body


def test_a_number_past_the_last_page_is_led_on_and_never_stored(stack):
    article = stack.articles[1]
    last = _last_comments_page(stack, article)
    led_to = article if last == 1 else f"{article}?comments-page={last}"

    for _ in range(2):
        rid = request_id()
        response = stack.get(f"{article}?comments-page=999", headers={"X-Request-ID": rid})
        assert response.status == 302
        assert response.header("Location") == led_to
        assert response.header("X-Cache") != "HIT"
        assert stack.reached_gunicorn(rid)
