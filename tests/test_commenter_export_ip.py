"""The export of "every comment made with my address" goes to the address's owner, but anyone
can type an address: a comment a stranger sent with it carries the stranger's IP address, which
is the stranger's, not the owner's. The download gives an IP address only for the comments the
owner showed are theirs, or sent from the browser that downloads it, and says which."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from comments import links
from comments.models import Comment
from tests.mail_helpers import verify

OWNER = "maria@example.com"


@pytest.fixture(autouse=True)
def _no_flood_interval(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


def _download(browser, settings) -> dict:
    link = links.privacy_url(verify(OWNER).pk, "export").removeprefix(settings.SITE_URL)
    response = browser.get(link + "?download=1")
    assert response.status_code == 200
    return json.loads(response.getvalue())


def _by_body(data: dict) -> dict:
    return {c["body"]: c for c in data["comments"]}


def test_a_strangers_comment_sent_with_the_address_leaves_its_ip_address_out(
    article, make_comment, settings
):
    make_comment(article, email=OWNER, body="Mine.", ip_address="198.51.100.7")
    make_comment(
        article, email=OWNER, body="A stranger's.", ip_address="203.0.113.66", owner_vouched=False
    )

    data = _download(Client(), settings)

    comments = _by_body(data)
    assert comments["Mine."]["ip_address"] == "198.51.100.7"
    assert comments["Mine."]["confirmed_as_yours"] is True
    assert comments["A stranger's."]["ip_address"] is None
    assert comments["A stranger's."]["confirmed_as_yours"] is False
    assert comments["A stranger's."]["sent_from_this_browser"] is False
    assert "203.0.113.66" not in json.dumps(data)
    note = data["about_ip_addresses"]
    assert "someone else sent with yours carries their IP address" in note
    assert note.endswith(
        f"We clear each IP address {settings.COMMENTS_KEEP_IP_DAYS} days after its comment came "
        "in: older comments have none."
    )


def test_a_comment_sent_from_the_downloading_browser_keeps_its_ip_address(
    article, comment_form_data, settings
):
    """Never confirmed (no mail was asked for), but written from this very browser: whoever
    downloads holds both the mailbox and the browser that wrote it."""
    browser = Client(REMOTE_ADDR="198.51.100.7")
    data = comment_form_data(article, email=OWNER, body="Written here.")
    assert browser.post(reverse("comments:post", args=[article.pk]), data).status_code == 302
    Comment.objects.create(
        article=article,
        name="Someone",
        email=OWNER,
        body="Written elsewhere.",
        ip_address="203.0.113.66",
    )

    here = _by_body(_download(browser, settings))
    elsewhere = _by_body(_download(Client(), settings))

    assert here["Written here."]["sent_from_this_browser"] is True
    assert here["Written here."]["confirmed_as_yours"] is False
    assert here["Written here."]["ip_address"] == "198.51.100.7"
    assert here["Written elsewhere."]["ip_address"] is None
    # The same file from another browser: nothing shows this one wrote it.
    assert elsewhere["Written here."]["ip_address"] is None
    assert elsewhere["Written here."]["sent_from_this_browser"] is False


def test_the_export_page_says_whose_ip_addresses_the_download_holds(
    article, make_comment, settings
):
    make_comment(article, email=OWNER)
    link = links.privacy_url(verify(OWNER).pk, "export").removeprefix(settings.SITE_URL)

    page = " ".join(Client().get(link).content.decode().split())

    assert "the IP address we still hold for those you showed are yours" in page


def _rows(page: str) -> list[str]:
    listed = re.search(r'<ul class="your-comments">(.*?)</ul>', page, flags=re.DOTALL).group(1)
    return [" ".join(re.sub(r"<[^>]+>", "", row).split()) for row in listed.split("<li>")[1:]]


def test_the_export_page_calls_yours_only_what_the_owner_showed_is_theirs(
    article, make_comment, comment_form_data, settings
):
    make_comment(article, email=OWNER, body="Confirmed.")
    make_comment(article, email=OWNER, body="Someone's.", owner_vouched=False)
    browser = Client()
    data = comment_form_data(article, email=OWNER, body="From here.")
    assert browser.post(reverse("comments:post", args=[article.pk]), data).status_code == 302
    link = links.privacy_url(verify(OWNER).pk, "export").removeprefix(settings.SITE_URL)

    page = browser.get(link).content.decode()

    title = f"on “{article.title}”"
    assert [row.split(", sent")[0] for row in _rows(page)] == [
        f"Your comment {title}",
        f"A comment sent with your address {title}",
        f"Your comment {title}",
    ]
    assert "“Sent with your address” marks a comment you never confirmed as yours" in page
    alike = Client().get(link).content.decode()
    assert "A comment sent with your address" in _rows(alike)[0]
