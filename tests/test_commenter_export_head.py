"""A HEAD of the export download (a download manager, a link checker, a browser asking what a
link is before it saves it) answers the download's headers without reading every comment and
writing the file, which only a GET sends."""

import pytest
from django.test import Client

from comments import links
from tests.mail_helpers import verify

SAME = ("Content-Type", "Content-Disposition", "Cache-Control", "X-Robots-Tag", "Referrer-Policy")


@pytest.fixture
def download_link(article, make_comment, settings):
    for n in range(3):
        make_comment(article, email="maria@example.com", body=f"Thought number {n}")
    link = links.privacy_url(verify("maria@example.com").pk, "export")
    return link.removeprefix(settings.SITE_URL) + "?download=1"


def test_head_answers_the_downloads_headers_without_building_it(
    download_link, django_assert_num_queries
):
    got = Client().get(download_link)

    # The link's address alone: no comment, version or article is read.
    with django_assert_num_queries(1):
        head = Client().head(download_link)

    assert head.status_code == 200
    assert {h: head.get(h) for h in SAME} == {h: got.get(h) for h in SAME}
    assert head["Content-Disposition"] == 'attachment; filename="my-comments.json"'
    assert b"".join(head.streaming_content) == b""
    # Known only once the file is written (RFC 9110, 9.3.2: HEAD may leave it out).
    assert "Content-Length" not in head


def test_head_of_a_stale_link_is_the_same_private_404_as_its_get(download_link):
    stale = download_link.replace("/comments/privacy/", "/comments/privacy/x")

    head, got = Client().head(stale), Client().get(stale)

    assert head.status_code == got.status_code == 404
    assert "no-store" in head["Cache-Control"]
