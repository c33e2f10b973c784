"""A card another moderator decided does not stay open on this screen: when the tab is seen
again the queue asks which of its cards were decided meanwhile, and closes those, saying by
whom."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.services import approve
from tests.browser.helpers import open_queue

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("presets")]


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
    # The moderator comes back to the tab (the browser says so to the page).
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")

    expect(card.locator(".queue-outcome")).to_have_text(
        "Decided meanwhile by moderator2: approved."
    )
    expect(card).to_have_class(re.compile(r"\bis-decided\b"))
    expect(card.get_by_role("button", name="Approve")).to_be_hidden()
    # The next card is selected: a key goes to a comment still waiting.
    expect(page.locator(f"#queue-{second.pk}")).to_have_class(re.compile(r"\bis-selected\b"))
