"""The end of a queue page: once every card on it is decided, by this moderator or by others
meanwhile, the queue offers the way on (the next page, or on the last page a check for new
comments), never a page with nothing left to do and nothing to press."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.admin import CommentAdmin
from comments.desk import report_comment
from comments.models import Comment
from comments.services import approve, reject
from tests.browser.helpers import log_in_to_admin, open_queue

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("presets")]


@pytest.fixture
def article(make_article):
    return make_article(title="Xiaomi will mass-produce its car", slug="xiaomi-car")


def _queue(article, make_comment, count):
    start = timezone.now() - timedelta(hours=1)
    return [
        make_comment(article, body=f"Paged comment {n}.", created_at=start + timedelta(minutes=n))
        for n in range(count)
    ]


@pytest.fixture
def colleague(django_user_model):
    return django_user_model.objects.create_user("moderator2", is_staff=True)


@pytest.fixture
def paged(article, make_comment, monkeypatch):
    """Five comments waiting, three a page (fifty on the site)."""
    monkeypatch.setattr(CommentAdmin, "list_per_page", 3)
    return _queue(article, make_comment, 5)


def _seen_again(page):
    # The moderator comes back to the tab (the browser says so to the page): the queue asks.
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def test_next_page_is_offered_when_colleagues_decided_the_pages_last_cards(
    page, moderator, paged, colleague
):
    comments = paged
    open_queue(page, moderator.username)
    page.keyboard.press("a")
    expect(page.locator(f"#queue-{comments[0].pk} .queue-outcome")).to_contain_text("approved")
    next_page = page.get_by_role("button", name="Next page")
    expect(next_page).to_be_hidden()  # two cards still wait

    approve(comment=comments[1], by=colleague)
    reject(comment=comments[2], by=colleague, reason="Off-topic")
    _seen_again(page)

    expect(page.locator(f"#queue-{comments[2].pk} .queue-outcome")).to_have_text(
        "Decided meanwhile by moderator2: rejected."
    )
    expect(next_page).to_be_visible()
    expect(next_page).to_be_focused()  # Enter goes on, as n does
    expect(page.locator(".queue-status")).to_have_text(
        "2 comments on this page were decided meanwhile: their cards say by whom. Every "
        "comment on this page is decided. Press n (or Next page) for the next comments; u "
        "undoes the last decision first."
    )
    page.keyboard.press("n")

    rows = page.locator(".queue-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_id(f"queue-{comments[3].pk}")


def test_the_last_page_says_all_caught_up_and_checks_for_new_comments(
    page, moderator, article, make_comment, snap
):
    _first, second = _queue(article, make_comment, 2)
    open_queue(page, moderator.username)
    page.evaluate("window.sameDocument = true")
    check = page.get_by_role("button", name="Check for new comments")
    expect(check).to_be_hidden()

    page.keyboard.press("a")
    page.keyboard.press("s")

    expect(page.locator(".queue-caught-up")).to_have_text(re.compile(r"^All caught up\."))
    expect(check).to_be_visible()
    expect(check).to_be_focused()
    expect(page.locator(".queue-status")).to_contain_text("Every comment on this page is decided.")
    # The last decision can still be undone: nothing reloaded under it.
    expect(page.locator(f"#queue-{second.pk}").get_by_role("button", name="Undo")).to_be_visible()
    assert page.evaluate("window.sameDocument") is True
    snap("all-caught-up", phone_layout=True)

    newcomer = make_comment(article, body="A comment sent while the moderator worked.")
    page.keyboard.press("n")

    rows = page.locator(".queue-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_id(f"queue-{newcomer.pk}")
    second.refresh_from_db()
    assert second.status == Comment.Status.SPAM


def test_the_last_page_decided_by_colleagues_goes_back_to_the_first_page(
    page, moderator, paged, colleague
):
    comments = paged
    open_queue(page, moderator.username)
    page.get_by_role("link", name="2", exact=True).click()
    expect(page.locator(".queue-row")).to_have_count(2)
    expect(page.locator(".queue-row").first).to_have_class(re.compile(r"\bis-selected\b"))

    for comment in comments[3:]:
        approve(comment=comment, by=colleague)
    _seen_again(page)

    check = page.get_by_role("button", name="Check for new comments")
    expect(check).to_be_visible()
    expect(page.locator(".queue-status")).to_have_text(
        "2 comments on this page were decided meanwhile: their cards say by whom. Every "
        "comment on this page is decided."
    )
    check.click()

    # Page 2 is gone (three comments wait, one page): the first page, not the admin's error.
    expect(page).not_to_have_url(re.compile(r"[?&](p|e)="))
    rows = page.locator(".queue-row")
    expect(rows).to_have_count(3)
    expect(rows.first).to_have_id(f"queue-{comments[0].pk}")


def test_the_reported_queue_done_checks_for_new_reports(page, moderator, article, make_comment):
    comment = make_comment(article, status=Comment.Status.APPROVED, body="A reported comment.")
    report_comment(comment=comment, reason="abuse", ip="192.0.2.1")
    log_in_to_admin(page, moderator.username)
    page.goto("/admin/comments/comment/?status=reported")
    expect(page.locator(f"#queue-{comment.pk}")).to_have_class(re.compile(r"\bis-selected\b"))

    page.keyboard.press("x")

    check = page.get_by_role("button", name="Check for new reports")
    expect(check).to_be_visible()
    expect(page.locator(".queue-caught-up")).to_have_text(
        "All caught up. Press n (or the button) to see what waits now, new reports included; "
        "u undoes the last decision first."
    )
    page.keyboard.press("n")
    expect(page.locator(".queue-empty")).to_have_text("No reports waiting. Check again")


def test_the_reported_queue_offers_its_next_page_and_says_its_undo_still_works(
    page, moderator, article, make_comment, monkeypatch
):
    monkeypatch.setattr(CommentAdmin, "list_per_page", 1)
    for n in range(2):
        comment = make_comment(article, status=Comment.Status.APPROVED, body=f"Reported {n}.")
        report_comment(comment=comment, reason="abuse", ip=f"192.0.2.{n + 1}")
    log_in_to_admin(page, moderator.username)
    page.goto("/admin/comments/comment/?status=reported")

    page.keyboard.press("x")

    expect(page.get_by_role("button", name="Next page")).to_be_visible()
    expect(page.locator(".queue-status")).to_have_text(
        re.compile(
            r"dismissed: it stays up\. Every comment on this page is decided\. Press n "
            r"\(or Next page\) for the next comments; u undoes the last decision first\.$"
        )
    )
