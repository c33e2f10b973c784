"""A decided card (greyed, its Undo beside the outcome) offers no box to tick for the action
bar: its decision is made, and a bulk action is for the cards still open. Its box looked as
tickable as an open card's, and a click ticked it for an instant before the queue's script took
the tick back, the counter unmoved: a box that seemed broken. With the Undo the card is open
again, and so is its box."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from comments.services import approve
from tests.browser.helpers import open_queue

pytestmark = pytest.mark.browser


def _status(comment):
    comment.refresh_from_db()
    return comment.status


def test_a_decided_card_cannot_be_ticked_until_its_undo(
    page, moderator, article, make_comment, django_user_model
):
    comments = [make_comment(article, body=f"Waiting comment {n}.") for n in range(4)]
    fourth = comments[3]
    cards = [page.locator(f"#queue-{comment.pk}") for comment in comments]
    boxes = [card.locator("input.action-select") for card in cards]
    counter = page.locator(".action-counter")
    select_all = page.locator("#action-toggle")
    open_queue(page, moderator.username)
    expect(counter).to_have_text("0 of 4 selected")

    cards[0].get_by_role("button", name="Approve").click()
    expect(cards[0].locator(".queue-outcome")).to_contain_text("approved")
    expect(boxes[0]).to_be_disabled()
    expect(counter).to_have_text("0 of 3 selected")

    # Decided by a colleague meanwhile: closed, and its box with it.
    colleague = django_user_model.objects.create_user("moderator2", is_staff=True)
    approve(comment=fourth, by=colleague)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(cards[3].locator(".queue-outcome")).to_contain_text("meanwhile")
    expect(boxes[3]).to_be_disabled()
    expect(counter).to_have_text("0 of 2 selected")

    # "Select all" ticks the open cards, and only them.
    select_all.check()
    expect(counter).to_have_text("2 of 2 selected")
    for box, ticked in zip(boxes, (False, True, True, False), strict=True):
        expect(box).to_be_checked(checked=ticked)
    select_all.uncheck()
    expect(counter).to_have_text("0 of 2 selected")

    # Undone, the first card is open again: its box is there to tick.
    cards[0].get_by_role("button", name="Undo").click()
    expect(cards[0].locator(".queue-outcome")).to_contain_text("Undone")
    expect(boxes[0]).to_be_enabled()
    expect(boxes[0]).not_to_be_checked()
    expect(counter).to_have_text("0 of 3 selected")
    boxes[0].check()
    boxes[1].check()
    expect(counter).to_have_text("2 of 3 selected")
    expect(cards[0]).to_have_class(re.compile(r"\bselected\b"))

    page.locator("select[name=action]").select_option(label="Mark selected comments as spam")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("2 comments marked as spam.")
    assert [_status(comment) for comment in comments] == [
        Comment.Status.SPAM,
        Comment.Status.SPAM,
        Comment.Status.PENDING,
        Comment.Status.APPROVED,
    ]
