"""Behind a CDN that reads Surrogate-Key (Fastly: EDGE_SURROGATE_KEY_HEADER=Surrogate-Key), our
Varnish passes each page's keys on, on a miss and on a hit, and is still purged by them;
without it they stay Varnish's own. Against an origin the test controls
(tests/test_proxy_fake_origin.py), which names its page `site page`."""

import pytest

from tests.test_proxy_fake_origin import proxy_before_fake_origin


@pytest.mark.parametrize(
    "variables, passed_on",
    [({"EDGE_SURROGATE_KEY_HEADER": "surrogate-key"}, "site page"), ({}, None)],
    ids=["fastly-in-front", "no-cdn"],
)
def test_the_keys_reach_the_cdn_only_when_it_reads_them(monkeypatch, variables, passed_on):
    with proxy_before_fake_origin(monkeypatch, variables) as (proxy, origin):
        miss = proxy.get("/page")
        hit = proxy.get("/page")
        purged = proxy.fetch("PURGE", "/", headers={"xkey-purge": "page"}, port=proxy.purge_port)
        after = proxy.get("/page")

    assert [miss.header("X-Cache"), hit.header("X-Cache")] == ["MISS", "HIT"]
    assert miss.headers.get("Surrogate-Key") == passed_on
    assert hit.headers.get("Surrogate-Key") == passed_on
    assert "xkey" not in hit.headers
    assert purged.status == 200
    assert after.header("X-Cache") == "MISS"
    assert origin.requests == 2
