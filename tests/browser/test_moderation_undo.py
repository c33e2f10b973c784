"""Undo on a queue card: a decision made by mistake (a button, or a key) is undone where it was
made, with the button the decided card shows or with `u`, and a colleague's decision made since
is never undone in its place."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.admin import CommentAdmin
from comments.models import Comment
from comments.services import reject, return_to_queue
from tests.browser.helpers import open_queue

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("presets")]


@pytest.fixture
def comments(make_article, make_comment):
    article = make_article(title="Xiaomi will mass-produce its car", slug="xiaomi-car")
    start = timezone.now() - timedelta(hours=1)
    return [
        make_comment(
            article,
            body=f"Queued comment number {n}: a point worth a moderator's time.",
            created_at=start + timedelta(minutes=n),
        )
        for n in range(3)
    ]


def _status(comment):
    comment.refresh_from_db()
    return comment.status


def test_a_decision_is_undone_from_its_card_with_the_button_or_u(page, moderator, comments):
    first, second, _third = comments
    open_queue(page, moderator.username)
    card = page.locator(f"#queue-{first.pk}")

    page.keyboard.press("a")
    card.get_by_role("button", name="Undo").click()

    expect(card.locator(".queue-outcome")).to_contain_text("Undone: The comment by")
    expect(card).not_to_have_class(re.compile(r"\bis-decided\b"))
    expect(card).to_have_class(re.compile(r"\bis-selected\b"))  # to be decided again
    assert _status(first) == Comment.Status.PENDING
    expect(card.get_by_role("button", name="Undo")).to_have_count(0)

    # Spam by mistake, on the next card, undone with the key.
    page.keyboard.press("j")
    page.keyboard.press("s")
    expect(page.locator(f"#queue-{second.pk}").get_by_role("button", name="Undo")).to_be_visible()
    page.keyboard.press("u")

    expect(page.locator(f"#queue-{second.pk} .queue-outcome")).to_contain_text("Undone")
    assert _status(second) == Comment.Status.PENDING
    # Decided again after the undo, as any card.
    page.keyboard.press("a")
    expect(page.locator(f"#queue-{second.pk} .queue-outcome")).to_contain_text("approved")
    assert _status(second) == Comment.Status.APPROVED


def test_undo_says_whose_decision_came_since_and_leaves_it(
    page, moderator, comments, django_user_model, watch
):
    first = comments[0]
    colleague = django_user_model.objects.create_user("moderator2", is_staff=True)
    open_queue(page, moderator.username)
    card = page.locator(f"#queue-{first.pk}")
    page.keyboard.press("a")
    undo = card.get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    first.refresh_from_db()
    return_to_queue([first], by=colleague)
    reject(comment=first, by=colleague, reason="Off-topic")

    undo.click()

    expect(card.locator(".queue-outcome")).to_contain_text(
        "decided again meanwhile: rejected by moderator2"
    )
    expect(card).to_have_class(re.compile(r"\bis-decided\b"))
    assert _status(first) == Comment.Status.REJECTED
    # The refusal is the site's answer (409), not a fault of the page.
    url = f"/admin/comments/comment/{first.pk}/requeue/"
    refused = [problem for problem in watch.problems if url in problem and "409" in problem]
    assert len(refused) == 2  # the response and Chromium's console line about it
    watch.problems = [problem for problem in watch.problems if problem not in refused]


def test_the_last_card_of_a_page_keeps_its_undo_until_the_moderator_moves_on(
    page, moderator, make_article, make_comment, monkeypatch
):
    # Three cards a page (fifty on the site): a page with pages after it, decided in three keys.
    monkeypatch.setattr(CommentAdmin, "list_per_page", 3)
    article = make_article(title="Xiaomi will mass-produce its car", slug="xiaomi-car")
    start = timezone.now() - timedelta(hours=1)
    comments = [
        make_comment(article, body=f"Paged comment {n}.", created_at=start + timedelta(minutes=n))
        for n in range(5)
    ]
    open_queue(page, moderator.username)
    page.evaluate("window.sameDocument = true")
    last = page.locator(f"#queue-{comments[2].pk}")

    for _ in range(3):
        page.keyboard.press("a")

    next_page = page.get_by_role("button", name="Next page")
    expect(next_page).to_be_visible()
    expect(page.locator(".queue-status")).to_contain_text("Press n (or Next page)")
    # The last decision was a mistake: undone on its card, still on the screen.
    last.get_by_role("button", name="Undo").click()
    expect(last.locator(".queue-outcome")).to_contain_text("Undone")
    assert _status(comments[2]) == Comment.Status.PENDING
    expect(next_page).to_be_hidden()  # a card to decide again first
    assert page.evaluate("window.sameDocument") is True

    page.keyboard.press("s")
    expect(next_page).to_be_visible()
    assert _status(comments[2]) == Comment.Status.SPAM
    page.keyboard.press("n")

    # The next comments, on the page the decided ones left.
    rows = page.locator(".queue-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_id(f"queue-{comments[3].pk}")
    expect(rows.first).to_have_class(re.compile(r"\bis-selected\b"))


def test_u_undoes_a_bulk_action_chosen_by_mistake(page, moderator, comments):
    first, second, third = comments
    open_queue(page, moderator.username)
    for comment in (first, second):
        page.locator(f"#queue-{comment.pk} input.action-select").check()
    page.locator("select[name=action]").select_option(label="Mark selected comments as spam")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("2 comments marked as spam.")
    assert _status(first) == Comment.Status.SPAM

    page.keyboard.press("u")

    expect(page.locator(".messagelist")).to_contain_text(
        "Undone: 2 comments back in the queue, undecided."
    )
    assert {_status(first), _status(second), _status(third)} == {Comment.Status.PENDING}
