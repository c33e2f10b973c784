"""A reason typed on a queue card that names an address erased since the queue was drawn, sent
with the queue's script: nothing is decided, the card says why and stays open, and its box
holds the moderator's words with the address left out, to send again (the site's answer brings
them: the script had kept the words as typed, address and all)."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from comments.privacy import erase_comments
from tests.browser.helpers import open_queue

pytestmark = pytest.mark.browser

JANE = "jane.roe@example.org"


def test_a_cards_reason_naming_an_address_erased_since_comes_back_without_it(
    page, watch, article, moderator, make_comment
):
    jane = make_comment(article, name="Jane Roe", email=JANE, body="First words.")
    bob = make_comment(article, name="Bob Poe", email="bob@example.net", body="Same words.")
    open_queue(page, moderator.username)
    erase_comments(email=JANE)
    card = page.locator(f"#queue-{bob.pk}")

    card.locator(".queue-reason").fill(f"Copied from {JANE}")
    card.get_by_role("button", name="Reject").click()

    expect(card.locator(".queue-outcome")).to_contain_text("Nothing was decided")
    expect(card.locator(".queue-reason")).to_have_value("Copied from [erased address]")
    expect(card).not_to_have_class(re.compile(r"\bis-decided\b"))
    bob.refresh_from_db()
    assert (bob.status, bob.rejection_reason) == (Comment.Status.PENDING, "")
    assert not Comment.objects.filter(pk=jane.pk).exists()
    # The refusal is the site's answer (409), not a fault of the page.
    url = f"/admin/comments/comment/{bob.pk}/reject/"
    refused = [problem for problem in watch.problems if url in problem and "409" in problem]
    assert len(refused) == 2  # the response and Chromium's console line about it
    watch.problems = [problem for problem in watch.problems if problem not in refused]

    # Sent again as the box gives it back: rejected, without her address.
    card.get_by_role("button", name="Reject").click()
    expect(card.locator(".queue-outcome")).to_contain_text("rejected")
    bob.refresh_from_db()
    assert bob.rejection_reason == "Copied from [erased address]"
