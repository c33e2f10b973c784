"""Error pages at the addresses of the admin and the comment endpoints (status pages, mailed
links, form posts) are kept by no shared cache: the shipped Varnish never stores them, but a CDN
in front of the site might, and a 404 kept there would outlive the address coming to answer."""

import pytest

from tests.test_http_caching import assert_personal


@pytest.mark.parametrize(
    "url",
    [
        "/comments",
        "/comments/",
        "/comments/made-up/",
        "/comments/post/99999/",
        "/comments/form-token/99999/",
        "/comments/report/99999/",
    ],
)
def test_a_missing_page_under_the_comment_endpoints_is_kept_by_no_cache(client, db, url):
    response = client.get(url)

    assert response.status_code == 404
    assert_personal(response)


def test_the_answer_to_a_post_is_kept_by_no_cache_even_when_it_is_a_404(client, db):
    # A POST changes state: whatever comes back belongs to the one who sent it.
    for url in ("/comments/report/99999/", "/no-such-page/"):
        response = client.post(url, {"reason": "spam"})

        assert response.status_code == 404
        assert_personal(response)


def test_a_missing_public_page_is_still_shared(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "public" in response["Cache-Control"]
