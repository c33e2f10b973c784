"""The moderation queue's keys, continued: reject mode ends when its box loses the focus, a
card's own reason box sends with Enter, and a decision the site did not take (the comment
deleted meanwhile, the session ended) says so instead of blaming the connection."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment, Report
from comments.services import approve
from tests.browser.helpers import log_in_to_admin, open_queue

# The seeded preset reasons (tests/browser/conftest.py), in every test here.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("presets")]

QUEUE = "/admin/comments/comment/"
SIGNED_OUT = (
    "Your session has ended or you may no longer moderate: sign in again (reload the page), "
    "then decide again."
)


@pytest.fixture
def article(make_article):
    return make_article(title="Xiaomi will mass-produce its car", slug="xiaomi-car")


def _queue_of(article, make_comment, count):
    start = timezone.now() - timedelta(hours=count)
    return [
        make_comment(
            article,
            body=f"Queued comment number {n}: a point worth a moderator's time.",
            created_at=start + timedelta(minutes=n),
        )
        for n in range(count)
    ]


def test_digits_typed_in_the_search_box_after_d_are_a_search_not_a_rejection(
    page, article, moderator, make_comment
):
    first, _second = _queue_of(article, make_comment, 2)
    open_queue(page, moderator.username)
    card = page.locator(f"#queue-{first.pk}")

    page.keyboard.press("d")
    expect(card.locator(".queue-reason")).to_be_focused()
    expect(card).to_have_class(re.compile(r"\bis-rejecting\b"))
    # A change of mind: a search instead.
    search = page.locator("#searchbar")
    search.click()
    page.keyboard.type("12")

    expect(search).to_have_value("12")
    expect(card).not_to_have_class(re.compile(r"\bis-rejecting\b"))
    expect(card).not_to_have_class(re.compile(r"\bis-decided\b"))
    expect(card.locator(".queue-outcome")).to_have_count(0)
    page.wait_for_timeout(300)  # a decision would have been posted by now
    first.refresh_from_db()
    assert first.status == Comment.Status.PENDING
    assert first.rejection_reason == ""


def test_enter_in_a_cards_own_reason_box_rejects_it_with_those_words(
    page, article, moderator, make_comment
):
    first, second = _queue_of(article, make_comment, 2)
    open_queue(page, moderator.username)
    page.evaluate("window.sameDocument = true")
    box = page.locator(f"#queue-{first.pk} .queue-reason")

    # Empty, Enter neither decides nor submits the change list's form.
    box.click()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    first.refresh_from_db()
    assert first.status == Comment.Status.PENDING
    assert page.evaluate("window.sameDocument") is True

    box.fill("Please keep to the subject")  # no d pressed first
    box.press("Enter")

    expect(page.locator(f"#queue-{first.pk} .queue-outcome")).to_contain_text(
        "rejected: Please keep to the subject"
    )
    expect(page.locator(f"#queue-{second.pk}")).to_have_class(re.compile(r"\bis-selected\b"))
    assert page.evaluate("window.sameDocument") is True  # decided without a reload
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Comment.Status.REJECTED
    assert first.rejection_reason == "Please keep to the subject"
    assert first.moderated_by == moderator
    assert second.status == Comment.Status.PENDING


def test_a_comment_deleted_since_the_queue_opened_is_said_to_be_gone(
    page, watch, article, moderator, make_comment
):
    # Waits for the server to answer 410 with JSON for a comment that no longer exists.
    gone, kept = _queue_of(article, make_comment, 2)
    gone_pk = gone.pk
    open_queue(page, moderator.username)
    gone.delete()  # by another moderator, or an erase, meanwhile

    page.keyboard.press("a")

    card = page.locator(f"#queue-{gone_pk}")
    expect(card.locator(".queue-outcome")).to_have_text(
        "That comment no longer exists: it was deleted meanwhile."
    )
    expect(page.locator(".queue-status")).to_have_text(
        "That comment no longer exists: it was deleted meanwhile."
    )
    expect(card).to_have_class(re.compile(r"\bis-decided\b"))  # gone: nothing left to decide
    expect(page.locator(f"#queue-{kept.pk}")).to_have_class(re.compile(r"\bis-selected\b"))
    assert not Comment.objects.filter(pk=gone_pk).exists()
    kept.refresh_from_db()
    assert kept.status == Comment.Status.PENDING
    # The 410 is the answer by design, which the watch (and Chromium's console) report.
    url = f"{page.url.split('/admin/')[0]}{QUEUE}{gone_pk}/approve/"
    refused = [problem for problem in watch.problems if url in problem and "410" in problem]
    assert len(refused) == 2  # the response and the console line about it
    watch.problems = [problem for problem in watch.problems if problem not in refused]


def test_a_decision_after_the_session_ended_says_so_and_opens_the_comment_again(
    page, article, moderator, make_comment
):
    first, second = _queue_of(article, make_comment, 2)
    open_queue(page, moderator.username)
    Session.objects.all().delete()  # signed out meanwhile (elsewhere, or expired)

    page.keyboard.press("a")

    card = page.locator(f"#queue-{first.pk}")
    expect(card.locator(".queue-outcome")).to_have_text(SIGNED_OUT)
    expect(card).not_to_have_class(re.compile(r"\bis-decided\b"))
    # The moderator is on the next card by now: it stays theirs, the first waits for them.
    expect(page.locator(f"#queue-{second.pk}")).to_have_class(re.compile(r"\bis-selected\b"))
    expect(card).not_to_have_class(re.compile(r"\bis-selected\b"))
    # Which comment waits, and where, from the card the moderator is on.
    expect(page.locator(".queue-status")).to_have_text(
        f"{SIGNED_OUT} The comment by {first.name} is open again, above (k)."
    )
    expect(page.locator(".queue-outcome", has_text="check the connection")).to_have_count(0)
    page.keyboard.press("k")
    expect(card).to_have_class(re.compile(r"\bis-selected\b"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Comment.Status.PENDING
    assert second.status == Comment.Status.PENDING


def test_enter_in_a_reported_cards_reason_box_takes_nothing_down_and_keeps_the_words(
    page, article, moderator, make_comment
):
    reported = make_comment(article, status=Comment.Status.APPROVED, body="Reported words.")
    Report.objects.create(comment=reported, reason="abuse", reporter="someone")
    log_in_to_admin(page, moderator.username)
    page.goto(f"{QUEUE}?status=reported")
    box = page.locator(f"#queue-{reported.pk} .queue-reason")

    box.fill("Personal attack")
    box.press("Enter")

    expect(page.locator(".queue-status")).to_contain_text("Press the Take down button")
    expect(box).to_have_value("Personal attack")  # no reload took the words
    reported.refresh_from_db()
    assert reported.status == Comment.Status.APPROVED


def test_a_key_a_hidden_comment_does_not_take_says_which_keys_do(
    page, article, moderator, make_comment
):
    from comments.desk import report_comment
    from comments.models import ModerationPolicy

    ModerationPolicy.objects.create(hide_after_reports=1)
    hidden = make_comment(article, status=Comment.Status.APPROVED, body="Words readers reported.")
    type(article).objects.filter(pk=article.pk).update(approved_comment_count=1)
    report_comment(comment=hidden, reason="abuse", ip="198.51.100.7")
    open_queue(page, moderator.username)

    page.keyboard.press("a")

    expect(page.locator(".queue-status")).to_contain_text(
        "decided as a report: press t to take it down, or x to dismiss the reports."
    )
    hidden.refresh_from_db()
    assert hidden.status == Comment.Status.PENDING


def test_a_comment_edited_meanwhile_never_takes_the_key_meant_for_the_next_one(
    page, watch, article, moderator, make_comment
):
    from comments.commenter_services import edit_comment

    first, second = _queue_of(article, make_comment, 2)
    open_queue(page, moderator.username)
    edit_comment(comment=first, body="Buy cheap watches at example.com today")

    page.keyboard.press("a")  # the first, read before its author changed it
    card = page.locator(f"#queue-{first.pk}")
    expect(card.locator(".queue-outcome")).to_contain_text("edited since you read it")
    expect(card).not_to_have_class(re.compile(r"\bis-decided\b"))
    expect(page.locator(f"#queue-{second.pk}")).to_have_class(re.compile(r"\bis-selected\b"))

    page.keyboard.press("s")  # meant for the second, which the moderator is reading

    expect(page.locator(f"#queue-{second.pk} .queue-outcome")).to_contain_text("spam")
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == Comment.Status.SPAM
    assert first.status == Comment.Status.PENDING
    _expect_refused(page, watch, first)


def _expect_refused(page, watch, comment):
    """The refusal of Approve on this comment is a 409 by design, which the watch (and
    Chromium's console) report: expected, once."""
    url = f"{page.url.split('/admin/')[0]}{QUEUE}{comment.pk}/approve/"
    refused = [problem for problem in watch.problems if url in problem and "409" in problem]
    assert len(refused) == 2  # the response and the console line about it
    watch.problems = [problem for problem in watch.problems if problem not in refused]


def test_a_reply_left_waiting_for_its_comment_can_be_approved_once_that_is(
    page, watch, article, moderator, make_comment
):
    start = timezone.now() - timedelta(hours=1)
    parent = make_comment(article, created_at=start + timedelta(minutes=1))
    reply = make_comment(article, parent=parent, name="Rita", created_at=start)
    open_queue(page, moderator.username)
    card = page.locator(f"#queue-{reply.pk}")

    page.keyboard.press("a")  # the reply, first in the queue, under a comment still waiting
    expect(card.locator(".queue-outcome")).to_contain_text("Approve the comment first.")
    expect(card).not_to_have_class(re.compile(r"\bis-decided\b"))  # still to decide
    page.keyboard.press("a")  # the comment it answers, selected next
    expect(page.locator(f"#queue-{parent.pk} .queue-outcome")).to_contain_text("approved")
    card.locator("button[data-action=approve]").click()

    expect(card.locator(".queue-outcome")).to_have_text("Comment by Rita: approved.")
    reply.refresh_from_db()
    assert reply.status == Comment.Status.APPROVED
    _expect_refused(page, watch, reply)


def test_a_decision_key_held_down_decides_one_comment(page, article, moderator, make_comment):
    first, second, third = _queue_of(article, make_comment, 3)
    open_queue(page, moderator.username)

    page.keyboard.down("a")
    page.evaluate(
        """() => document.activeElement.dispatchEvent(new KeyboardEvent("keydown",
            {key: "a", repeat: true, bubbles: true, cancelable: true}))"""
    )
    page.keyboard.up("a")

    expect(page.locator(f"#queue-{first.pk} .queue-outcome")).to_contain_text("approved")
    expect(page.locator(f"#queue-{second.pk}")).to_have_class(re.compile(r"\bis-selected\b"))
    page.wait_for_timeout(500)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == third.status == Comment.Status.PENDING


def test_one_card_is_current_for_a_screen_reader_after_tab_and_keys(
    page, article, moderator, make_comment
):
    _first, _second, third, fourth = _queue_of(article, make_comment, 4)
    open_queue(page, moderator.username)

    page.locator(f"#queue-{third.pk} button[data-action=approve]").focus()
    expect(page.locator(".queue-row[aria-current]")).to_have_attribute("id", f"queue-{third.pk}")
    page.keyboard.press("j")

    current = page.locator(".queue-row[aria-current]")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("id", f"queue-{fourth.pk}")
    expect(page.locator(".queue-row.is-selected")).to_have_count(1)


def test_opening_a_comment_right_after_deciding_others_loses_no_decision(
    page, article, moderator, make_comment
):
    first, second, third = _queue_of(article, make_comment, 3)
    open_queue(page, moderator.username)

    page.keyboard.press("a")
    page.keyboard.press("a")
    page.keyboard.press("o")  # the third, in full

    expect(page).to_have_url(re.compile(rf"/admin/comments/comment/{third.pk}/change/"))
    for comment in (first, second):
        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED


def test_enter_in_the_reason_box_of_a_reported_comments_page_takes_nothing_down(
    page, article, moderator, make_comment
):
    # The page's first button was Take down, which Enter in a text box presses.
    comment = make_comment(article, body="A comment two readers reported.")
    approve(comment=comment, by=moderator)
    for n in range(2):
        Report.objects.create(comment=comment, reason="abuse", reporter=f"r-{n}")
    log_in_to_admin(page, moderator.username)
    page.goto(f"{QUEUE}{comment.pk}/change/?_changelist_filters=status%3Dreported")

    box = page.get_by_label(re.compile("Or your own reason"))
    box.fill("Insulting another reader")
    box.press("Enter")
    page.wait_for_timeout(500)  # a submission, had there been one, would have left the page

    expect(page.get_by_role("heading", name="Decide on the reports")).to_be_visible()
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED
    assert Comment.objects.get(pk=comment.pk).taken_down_at is None
    assert Report.objects.filter(comment=comment).count() == 2
    # The buttons still work.
    page.get_by_role("button", name="Take down").click()
    expect(page.locator(".messagelist")).to_contain_text("taken down")
    assert Comment.objects.get(pk=comment.pk).taken_down_at is not None
