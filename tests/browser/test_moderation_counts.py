"""The queue's counts follow the decisions made on its page: "3 results" beside the search box
and "3 comments" under the list go down as cards are decided (here, or by a colleague
meanwhile) and back up with an Undo; on the Reported queue its tab's count follows too. They
said what the page loaded with, whatever had been decided since."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.desk import report_comment
from comments.services import approve
from tests.browser.helpers import log_in_to_admin, open_queue

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("presets")]


def _counts(page):
    # As a person reads them: "3 results" beside the box, "3 comments" under the list.
    return page.locator("#changelist-search .quiet"), page.locator(".paginator")


def test_the_counts_follow_the_decisions_made_on_the_queue_page(
    page, moderator, make_article, make_comment, django_user_model
):
    article = make_article(title="Xiaomi will mass-produce its car", slug="xiaomi-car")
    start = timezone.now() - timedelta(hours=1)
    first, second, third = (
        make_comment(article, body=f"Comment number {n}.", created_at=start + timedelta(minutes=n))
        for n in range(3)
    )
    colleague = django_user_model.objects.create_user("moderator2", is_staff=True)
    open_queue(page, moderator.username)
    beside_search, under_list = _counts(page)
    expect(beside_search).to_contain_text("3 results")
    expect(under_list).to_contain_text("3 comments")

    page.keyboard.press("a")
    expect(page.locator(f"#queue-{first.pk} .queue-outcome")).to_contain_text("approved")
    expect(beside_search).to_contain_text("2 results")
    expect(under_list).to_contain_text("2 comments")

    page.keyboard.press("u")
    expect(page.locator(f"#queue-{first.pk} .queue-outcome")).to_contain_text("Undone")
    expect(beside_search).to_contain_text("3 results")

    approve(comment=third, by=colleague)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(page.locator(f"#queue-{third.pk} .queue-outcome")).to_contain_text("meanwhile")
    page.keyboard.press("s")  # the first card, selected again by its Undo
    expect(beside_search).to_have_text(re.compile(r"^\s*1 result\s*$"))
    expect(under_list).to_contain_text("1 comment")
    expect(under_list).not_to_contain_text("comments")
    expect(page.locator(f"#queue-{second.pk}")).not_to_have_class(re.compile(r"\bis-decided\b"))


def test_the_reported_tab_follows_on_the_reported_queue(page, moderator, approved_comment):
    report_comment(comment=approved_comment, reason="off-topic", ip="198.51.100.7")
    log_in_to_admin(page, moderator.username)
    page.goto("/admin/comments/comment/?status=reported")
    tab = page.locator(".status-tabs a", has_text=re.compile(r"^Reported"))
    expect(tab).to_have_text("Reported (1)")

    page.keyboard.press("x")

    expect(page.locator(".queue-outcome")).to_contain_text("dismissed")
    expect(tab).to_have_text("Reported (0)")
    expect(page.locator("#changelist-filter a", has_text="Reported")).to_have_text("Reported (0)")
    expect(_counts(page)[0]).to_contain_text("0 results")


def test_with_show_counts_the_pending_tab_follows_too(page, moderator, article, make_comment):
    make_comment(article, body="The first of two.")
    make_comment(article, body="The second of two.")
    log_in_to_admin(page, moderator.username)
    page.goto("/admin/comments/comment/?_facets=True")
    tab = page.locator(".status-tabs a", has_text=re.compile(r"^Pending"))
    expect(tab).to_have_text("Pending (2)")

    page.keyboard.press("a")

    expect(tab).to_have_text("Pending (1)")
    expect(page.locator("#changelist-filter a", has_text="Pending")).to_have_text("Pending (1)")


def test_the_action_bar_counts_the_cards_left_as_the_others_do(
    page, moderator, article, make_comment
):
    # An outside review: after two cards decided with their buttons the list read "4 results"
    # and "4 comments" while Django's action bar still said "0 of 6 selected".
    cards = [make_comment(article, body=f"Waiting comment {n}.") for n in range(6)]
    log_in_to_admin(page, moderator.username)
    page.goto("/admin/comments/comment/?status=pending")
    beside_search, under_list = _counts(page)
    counter = page.locator(".action-counter")
    expect(counter).to_have_text("0 of 6 selected")

    first, second, third, fourth = (page.locator(f"#queue-{c.pk}") for c in cards[:4])
    first.get_by_role("button", name="Approve").click()
    expect(first.locator(".queue-outcome")).to_contain_text("approved")
    second.locator(".queue-preset").select_option(label="1. Off-topic")
    second.get_by_role("button", name="Reject").click()
    expect(second.locator(".queue-outcome")).to_contain_text("rejected: Off-topic")

    expect(beside_search).to_contain_text("4 results")
    expect(under_list).to_contain_text("4 comments")
    expect(counter).to_have_text("0 of 4 selected")
    expect(page.locator(".queue-row:not(.is-decided)")).to_have_count(4)

    # A card ticked, then decided with its button: no longer among those an action acts on.
    fourth.locator("input.action-select").check()
    expect(counter).to_have_text("1 of 4 selected")
    fourth.get_by_role("button", name="Approve").click()
    expect(fourth.locator(".queue-outcome")).to_contain_text("approved")
    expect(counter).to_have_text("0 of 3 selected")
    expect(fourth.locator("input.action-select")).not_to_be_checked()
    third.locator("input.action-select").check()
    expect(counter).to_have_text("1 of 3 selected")
    expect(beside_search).to_contain_text("3 results")
    expect(under_list).to_contain_text("3 comments")

    fourth.get_by_role("button", name="Undo").click()  # the fourth card is back
    expect(fourth.locator(".queue-outcome")).to_contain_text("Undone")
    expect(counter).to_have_text("1 of 4 selected")
    expect(under_list).to_contain_text("4 comments")

    # "Select all" selects the cards left, and says so.
    page.locator("#action-toggle").check()
    expect(counter).to_have_text("4 of 4 selected")
    expect(page.locator("input.action-select:checked")).to_have_count(4)
    page.locator("#action-toggle").uncheck()
    expect(counter).to_have_text("0 of 4 selected")
