"""The site's icons at the root (/favicon.ico, /apple-touch-icon.png and its -precomposed twin)
keep their names when a release changes them, so the proxy keeps them five minutes, not the
origin's day, and tells browsers and a CDN the same: a changed icon shows within minutes, not a
day later. Other files keep the origin's header. Against an origin the test controls
(tests/test_proxy_fake_origin.py)."""

import pytest

from tests.test_proxy_fake_origin import proxy_before_fake_origin

WHITENOISE_DAY = "max-age=86400, public"  # what the origin gives files under fixed names


@pytest.fixture
def proxy_and_origin(monkeypatch):
    with proxy_before_fake_origin(monkeypatch, {}) as (proxy, origin):
        origin.cache_control = WHITENOISE_DAY
        yield proxy, origin


@pytest.mark.parametrize(
    "path", ["/favicon.ico", "/apple-touch-icon.png", "/apple-touch-icon-precomposed.png"]
)
def test_a_root_icon_is_fresh_for_five_minutes_here_and_after_us(proxy_and_origin, path):
    proxy, _ = proxy_and_origin

    first = proxy.get(path)
    second = proxy.get(path)

    assert second.header("X-Cache") == "HIT"
    for response in (first, second):
        assert response.header("Cache-Control") == "public, max-age=300"
        assert int(response.header("Age") or 0) < 300


def test_other_files_keep_the_origin_s_header(proxy_and_origin):
    proxy, _ = proxy_and_origin

    assert proxy.get("/static/site.css").header("Cache-Control") == WHITENOISE_DAY
    assert proxy.get("/favicon.ico.bak").header("Cache-Control") == WHITENOISE_DAY
