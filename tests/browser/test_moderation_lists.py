"""The comment lists other than the queue's cards (approved, rejected, spam, all, a search), as a
moderator reads them at 1280 px beside the sidebar and the filters, and on a phone."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.conftest import DESKTOP
from tests.browser.helpers import log_in_to_admin

pytestmark = pytest.mark.browser

LIST = "/admin/comments/comment/"
LONG_URL = "https://example.com/" + "very-long-path-segment" * 12
LONG_WORD = "Supercalifragilisticexpialidocious" * 6


@pytest.fixture
def decided_and_waiting(make_article, make_comment):
    article = make_article(
        title="Xiaomi aims to mass-produce its electric car as early as 2024", slug="xiaomi"
    )
    return [
        make_comment(article, name="Ana", body=f"See {LONG_URL} for the plans."),
        make_comment(
            article,
            name="Ben",
            email="benedict.cumberbatch-longname@subdomain.example.com",
            body=LONG_WORD,
            status=Comment.Status.APPROVED,
            held_because=["first-time commenter"],
        ),
        make_comment(article, name="Chloe", status=Comment.Status.REJECTED),
        make_comment(article, name="Dev", body=LONG_URL, status=Comment.Status.SPAM),
    ]


@pytest.mark.parametrize("query", ["?status=all", "?status=spam", "?status=all&q=example"])
def test_a_list_of_decided_comments_shows_author_and_status_without_sideways_scroll(
    page, moderator, decided_and_waiting, query, artifacts
):
    log_in_to_admin(page, moderator.username)
    page.set_viewport_size(DESKTOP)
    page.goto(LIST + query)
    expect(page.locator("#nav-sidebar")).to_be_visible()
    expect(page.locator("#changelist-filter")).to_be_visible()
    page.screenshot(path=artifacts.path("list-1280.png"), full_page=True)

    results = page.locator(".results")
    scroll, client = results.evaluate("(box) => [box.scrollWidth, box.clientWidth]")
    assert scroll <= client, f"the list scrolls sideways: {scroll} px in a {client} px box"
    box = results.bounding_box()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() > 0
    for n in range(rows.count()):
        for cell in ("field-author", "field-status"):
            shown = rows.nth(n).locator(f"td.{cell}").bounding_box()
            assert shown["x"] + shown["width"] <= box["x"] + box["width"], (n, cell, shown, box)
    # The time since it came, whether the comment still waits or not.
    expect(page.locator("#result_list thead th").nth(1)).to_have_text("Received")
