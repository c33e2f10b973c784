"""A card another moderator decided does not stay open on this screen: when the tab is seen
again the queue asks which of its cards were decided meanwhile, and closes those, saying by
whom."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.desk import dismiss_reports, report_comment
from comments.services import approve
from tests.browser.helpers import log_in_to_admin, open_queue

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("presets")]


def _closes_when_seen_again(page, card, said):
    # The moderator comes back to the tab (the browser says so to the page).
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(card.locator(".queue-outcome")).to_have_text(said)
    expect(card).to_have_class(re.compile(r"\bis-decided\b"))


def test_a_card_decided_by_a_colleague_closes_when_the_tab_is_seen_again(
    page, moderator, make_article, make_comment, django_user_model
):
    article = make_article(title="Xiaomi will mass-produce its car", slug="xiaomi-car")
    start = timezone.now() - timedelta(hours=1)
    first, second = (
        make_comment(article, body=f"Comment number {n}.", created_at=start + timedelta(minutes=n))
        for n in range(2)
    )
    colleague = django_user_model.objects.create_user("moderator2", is_staff=True)
    open_queue(page, moderator.username)
    card = page.locator(f"#queue-{first.pk}")
    expect(card).to_have_class(re.compile(r"\bis-selected\b"))

    approve(comment=first, by=colleague)

    _closes_when_seen_again(page, card, "Decided meanwhile by moderator2: approved.")
    expect(card.get_by_role("button", name="Approve")).to_be_hidden()
    # The next card is selected: a key goes to a comment still waiting.
    expect(page.locator(f"#queue-{second.pk}")).to_have_class(re.compile(r"\bis-selected\b"))


def test_a_reported_card_a_colleague_decided_closes_when_the_tab_is_seen_again(
    page, moderator, approved_comment, django_user_model
):
    report_comment(comment=approved_comment, reason="off-topic", ip="198.51.100.7")
    colleague = django_user_model.objects.create_user("moderator2", is_staff=True)
    log_in_to_admin(page, moderator.username)
    page.goto("/admin/comments/comment/?status=reported")
    card = page.locator(f"#queue-{approved_comment.pk}")
    expect(card).to_have_class(re.compile(r"\bis-selected\b"))

    dismiss_reports(comment=approved_comment, by=colleague)

    _closes_when_seen_again(page, card, "Reports dismissed meanwhile by moderator2.")
    expect(page.get_by_role("button", name="Check for new reports")).to_be_visible()
