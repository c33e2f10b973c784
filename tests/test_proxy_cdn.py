"""Behind a CDN: the proxy believes the header the CDN names each reader in, from the CDN's
addresses only (PROXY_CLIENT_IP_HEADER, PROXY_CLIENT_IP_FROM), so Django and the throttles see
readers, not the CDN's nodes. Against an origin the test controls
(tests/test_proxy_fake_origin.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from deploy import serve
from tests.test_proxy_fake_origin import proxy_before_fake_origin

CDN = "127.0.0.9"  # the CDN node every reader comes through
ELSEWHERE = "127.0.0.10"  # a client that reached the proxy without the CDN
BEHIND_A_CDN = {
    "PROXY_CLIENT_IP_HEADER": "CF-Connecting-IP",
    "PROXY_CLIENT_IP_FROM": f"{CDN},2001:db8:cd::/48",
    "PROXY_POST_LIMIT": "2",
}


@pytest.fixture
def behind_a_cdn(monkeypatch):
    with proxy_before_fake_origin(monkeypatch, BEHIND_A_CDN) as running:
        yield running


def post(proxy, reader, *, source=CDN):
    response = proxy.post(
        "/comments/post/1/",
        {"body": "text"},
        headers={"CF-Connecting-IP": reader},
        source=source,
    )
    return response.status


def test_django_sees_the_reader_the_cdn_names(behind_a_cdn):
    proxy, origin = behind_a_cdn

    proxy.get("/one", headers={"CF-Connecting-IP": "203.0.113.7"}, source=CDN)
    assert origin.forwarded_for == "203.0.113.7"
    proxy.get("/two", headers={"CF-Connecting-IP": "2001:db8::5"}, source=CDN)
    assert origin.forwarded_for == "2001:db8::5"
    # Not an address: the CDN's own is all that is known.
    proxy.get("/three", headers={"CF-Connecting-IP": "localhost"}, source=CDN)
    assert origin.forwarded_for == CDN


def test_a_client_that_is_not_the_cdn_cannot_name_another_reader(behind_a_cdn):
    proxy, origin = behind_a_cdn

    proxy.get("/page", headers={"CF-Connecting-IP": "203.0.113.7"}, source=ELSEWHERE)

    assert origin.forwarded_for == ELSEWHERE


def test_one_reader_s_posts_do_not_throttle_the_others_behind_the_same_cdn_node(
    behind_a_cdn,
):
    proxy, _ = behind_a_cdn

    # Two comment posts a minute per reader (PROXY_POST_LIMIT=2).
    assert [post(proxy, "203.0.113.7") for _ in range(2)] == [200, 200]
    assert post(proxy, "203.0.113.7") == 429
    assert [post(proxy, "198.51.100.20") for _ in range(2)] == [200, 200]
    # A client not through the CDN is counted by its own address whatever it claims.
    assert [post(proxy, "192.0.2.1", source=ELSEWHERE) for _ in range(3)] == [200, 200, 429]
    assert post(proxy, "192.0.2.2", source=ELSEWHERE) == 429


@pytest.mark.parametrize(
    ("variables", "words"),
    [
        ({"PROXY_CLIENT_IP_HEADER": "CF-Connecting-IP"}, "go together"),
        ({"PROXY_CLIENT_IP_FROM": "10.0.0.0/8"}, "go together"),
        (
            {"PROXY_CLIENT_IP_HEADER": "X-Forwarded-For", "PROXY_CLIENT_IP_FROM": "10.0.0.0/8"},
            "PROXY_CLIENT_IP_HEADER must name a header holding the reader's address alone",
        ),
        (
            {"PROXY_CLIENT_IP_HEADER": "CF-Connecting-IP;", "PROXY_CLIENT_IP_FROM": "10.0.0.0/8"},
            "PROXY_CLIENT_IP_HEADER must name a header",
        ),
        (
            {"PROXY_CLIENT_IP_HEADER": "True-Client-IP", "PROXY_CLIENT_IP_FROM": "cdn.example"},
            "PROXY_CLIENT_IP_FROM must list the CDN's addresses or networks, not 'cdn.example'",
        ),
        (
            {"PROXY_CLIENT_IP_HEADER": "True-Client-IP", "PROXY_CLIENT_IP_FROM": "0.0.0.0/0"},
            "PROXY_CLIENT_IP_FROM must list the CDN's addresses or networks, not '0.0.0.0/0'",
        ),
    ],
)
def test_a_cdn_set_up_half_or_wrong_stops_start_up_naming_the_variable(
    monkeypatch, variables, words
):
    for name in ("PROXY_CLIENT_IP_HEADER", "PROXY_CLIENT_IP_FROM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=words.replace("(", r"\(")):
        serve.config()


def test_a_page_fetched_again_after_a_purge_still_names_the_reader(behind_a_cdn):
    # The fresh copy a purged page waits for is fetched on a restart of the request: the
    # reader's address stays the one the CDN named.
    proxy, origin = behind_a_cdn
    proxy.get("/page", headers={"CF-Connecting-IP": "203.0.113.7"}, source=CDN)
    purge = proxy.fetch("PURGE", "/", headers={"xkey-purge": "site"}, port=proxy.purge_port)
    assert purge.status == 200

    again = proxy.get("/page", headers={"CF-Connecting-IP": "198.51.100.20"}, source=CDN)

    assert again.header("X-Cache") == "MISS"
    assert origin.forwarded_for == "198.51.100.20"
