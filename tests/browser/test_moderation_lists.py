"""The comment lists other than the queue's cards (approved, rejected, spam, all, a search), as a
moderator reads them at 1280 px beside the sidebar and the filters, and on a phone."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.conftest import DESKTOP, PHONE
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
    artifacts.screenshot(page, "list-1280.png", full_page=True)

    results = page.locator(".results")
    scroll, client = results.evaluate("(box) => [box.scrollWidth, box.clientWidth]")
    assert scroll <= client, f"the list scrolls sideways: {scroll} px in a {client} px box"
    box = results.bounding_box()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() > 0
    for n in range(rows.count()):
        for cell in ("field-author", "field-decision"):
            shown = rows.nth(n).locator(f"td.{cell}").bounding_box()
            assert shown["x"] + shown["width"] <= box["x"] + box["width"], (n, cell, shown, box)
    # The time since it came, whether the comment still waits or not.
    expect(page.locator("#result_list thead th").nth(1)).to_have_text("Received")


@pytest.mark.parametrize("width", [800, 1024], ids=["tablet", "small-laptop"])
@pytest.mark.parametrize("query", ["?status=all", "?status=all&q=example"])
def test_on_a_tablet_or_a_small_laptop_the_comments_of_a_list_can_be_read(
    page, moderator, decided_and_waiting, query, width, artifacts
):
    # Beside the sidebar and the filters, the table's narrow columns left the comment 0 px: a
    # letter a line, the list 60,000 px tall.
    log_in_to_admin(page, moderator.username)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(LIST + query)
    expect(page.locator("#nav-sidebar")).to_be_visible()
    artifacts.screenshot(page, f"list-{width}.png", full_page=True)

    comments = page.locator("#result_list td.field-excerpt")
    assert comments.count() > 0
    for n in range(comments.count()):
        shown = comments.nth(n).bounding_box()
        assert shown["width"] >= 150, (n, shown)
    for cell in ("field-author", "field-decision"):
        expect(page.locator(f"#result_list td.{cell}").first).to_be_visible()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"sideways scroll: {widths}"


@pytest.mark.parametrize("query", ["", "?status=all"], ids=["queue", "all"])
def test_on_a_phone_the_action_bar_stacks_and_every_checkbox_is_a_24_px_target(
    page, moderator, decided_and_waiting, query, artifacts
):
    log_in_to_admin(page, moderator.username)
    page.set_viewport_size(PHONE)
    page.goto(LIST + query)
    artifacts.screenshot(page, "list-390.png", full_page=True)

    bar = page.locator("#changelist-form .actions").bounding_box()
    action = page.locator("select[name=action]").bounding_box()
    # As wide as the bar, where it showed "-----" in 50 px.
    assert action["width"] >= bar["width"] - 1, (action, bar)
    reason = page.get_by_label("Reason (sent with rejections)")
    label_bottom = reason.evaluate(
        """(box) => {
            const words = document.createRange();
            words.selectNodeContents(box.labels[0].firstChild);
            return words.getBoundingClientRect().bottom;
        }"""
    )
    shown = reason.bounding_box()
    assert label_bottom <= shown["y"], "the reason's label is beside its box, not above it"
    assert shown["width"] >= bar["width"] - 1, (shown, bar)

    checkboxes = page.locator("#result_list input[type=checkbox]:visible")
    rows = page.locator("#result_list tbody tr").count()
    assert rows and checkboxes.count() >= rows
    for n in range(checkboxes.count()):
        target = checkboxes.nth(n).bounding_box()
        assert target["width"] >= 24 and target["height"] >= 24, (n, target)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " document.querySelector('.results').scrollWidth,"
        " document.querySelector('.results').clientWidth]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[3], f"sideways scroll: {widths}"


def _overflowing_headers(page) -> list[str]:
    """Column headers whose words run past their column into the next one's."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#result_list thead th')]
            .filter((th) => th.scrollWidth > th.clientWidth + 1)
            .map((th) => th.textContent.trim())"""
    )


def test_a_list_of_rejected_comments_says_why_under_headers_that_do_not_overlap(
    page, moderator, decided_and_waiting, artifacts
):
    Comment.objects.filter(status=Comment.Status.REJECTED).update(
        moderated_by=moderator, rejection_reason="Off-topic"
    )
    log_in_to_admin(page, moderator.username)
    page.set_viewport_size(DESKTOP)
    page.goto(LIST + "?status=rejected")
    artifacts.screenshot(page, "rejected-1280.png", full_page=True)

    assert _overflowing_headers(page) == []  # "DECIDE" ran into "AUTHOR"
    expect(page.locator("#result_list td.field-decision")).to_have_text(
        "RejectedOff-topic, by moderator"
    )


def test_the_blocks_list_fits_beside_the_sidebar_at_1280_px(page, superuser, artifacts):
    # An administrator's list has a checkbox column too (blocks can be deleted): 667 px in 631.
    from comments.desk import block_sender

    block_sender(
        kind="email",
        value="benedict.cumberbatch-longname@example.com",
        period="7",
        by=superuser,
        reason="Posts the same advert on every story",
    )
    block_sender(kind="ip", value="2001:db8:85a3::8a2e:370:7334", period="forever", by=superuser)
    log_in_to_admin(page, superuser.username)
    page.set_viewport_size(DESKTOP)
    page.goto("/admin/comments/block/")
    artifacts.screenshot(page, "blocks-1280.png", full_page=True)

    box = page.locator(".results").bounding_box()
    for n in range(2):
        shown = page.locator("#result_list tbody tr").nth(n).locator("td.field-set_at")
        right = shown.bounding_box()["x"] + shown.bounding_box()["width"]
        assert right <= box["x"] + box["width"], "when it was set is cut off"
    assert _overflowing_headers(page) == []


def test_on_a_phone_the_reported_queue_is_a_tap_away_from_the_top_of_the_queue(
    page, moderator, decided_and_waiting, make_comment, artifacts
):
    # The filters came after the fifty cards: "Reported" was 24,000 px down.
    article = decided_and_waiting[0].article
    for n in range(30):
        make_comment(article, body=f"Waiting comment {n}. " * 8)
    log_in_to_admin(page, moderator.username)
    page.set_viewport_size(PHONE)
    page.goto(LIST)
    artifacts.screenshot(page, "queue-tabs-390.png")

    tab = page.get_by_role("navigation", name="Comments by status").get_by_role(
        "link", name="Reported (0)"
    )
    expect(tab).to_be_in_viewport()
    tab.click()
    expect(page.locator("h1")).to_have_text("Reported comments")
    # Beside the filters, where those say it already, they are not drawn twice.
    page.set_viewport_size(DESKTOP)
    expect(page.get_by_role("navigation", name="Comments by status")).to_be_hidden()
