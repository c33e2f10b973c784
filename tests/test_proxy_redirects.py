"""Which redirects the proxy keeps: the permanent one (301) whenever the origin shares it; a
temporary one (302) only when the origin shares it under surrogate keys, its own say that the
writes that move it purge those keys (newsportal.caching, for a live update's own address);
any other 302 (after a post, a sign-in, one reader's), and every 303 and 307, goes to its
reader alone. Against an origin the test controls (tests/test_proxy_fake_origin.py)."""

import pytest

from tests.test_proxy_fake_origin import proxy_before_fake_origin

SHARED = "public, max-age=0, s-maxage=300, stale-while-revalidate=30, stale-if-error=86400"


@pytest.fixture
def proxy_and_origin(monkeypatch):
    with proxy_before_fake_origin(monkeypatch, {}) as (proxy, origin):
        origin.location = "/there/"
        yield proxy, origin


def test_a_302_the_origin_shares_under_keys_is_kept_until_they_are_purged(proxy_and_origin):
    proxy, origin = proxy_and_origin
    origin.status, origin.body, origin.cache_control = 302, b"", SHARED

    first, again = proxy.get("/to/"), proxy.get("/to/")
    head = proxy.fetch("HEAD", "/to/")
    origin.location = "/elsewhere/"
    purged = proxy.fetch("PURGE", "/", headers={"xkey-purge": "page"}, port=proxy.purge_port)
    moved = proxy.get("/to/")

    assert [r.header("X-Cache") for r in (first, again, head)] == ["MISS", "HIT", "HIT"]
    for response in (first, again, head):
        assert (response.status, response.header("Location")) == (302, "/there/")
    assert purged.status == 200
    assert (moved.status, moved.header("Location")) == (302, "/elsewhere/")
    assert origin.requests == 2


@pytest.mark.parametrize(
    "status, cache_control, keys",
    [
        (302, SHARED, None),  # shared, but no key to purge it by when it moves
        (302, "max-age=0, s-maxage=300", "site page"),  # not said to be public
        (302, "private, s-maxage=300", "site page"),
        (302, "max-age=0, no-cache, no-store, must-revalidate, private", None),  # Django's own
        (303, SHARED, "site page"),
        (307, SHARED, "site page"),
    ],
)
def test_every_other_temporary_redirect_is_its_readers_alone(
    proxy_and_origin, status, cache_control, keys
):
    proxy, origin = proxy_and_origin
    origin.status, origin.body, origin.cache_control = status, b"", cache_control
    origin.surrogate_key = keys

    answers = [proxy.get("/to/") for _ in range(3)]

    for response in answers:
        assert (response.status, response.header("Location")) == (status, "/there/")
        assert response.header("X-Cache") != "HIT"
    assert origin.requests == 3
