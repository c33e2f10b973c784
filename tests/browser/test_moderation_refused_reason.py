"""A reason the site refuses (past its 300 characters) given on a queue card, with the queue's
script: nothing is decided, and the card comes back as it was, its buttons and box there to use,
the site's message on it and the moderator's words kept in the box, so that, shortened, the
next press goes through. The card had stayed closed and greyed as if decided, its box and
buttons hidden: the comment could only be decided after a reload."""

import re

import pytest
from playwright.sync_api import expect

from comments.desk import report_comment
from comments.models import Comment, RejectionReason, Report
from tests.browser.helpers import log_in_to_admin, open_queue

pytestmark = pytest.mark.browser

TOO_LONG = "Insults other readers again and again. " * 8  # 312 characters, the limit 300
REFUSED = f"Keep the reason to 300 characters (it has {len(TOO_LONG.strip())})."
DECIDED = re.compile(r"\bis-decided\b")


def _refusals_seen(watch, url):
    # The refusal is the site's answer (409), not a fault of the page: the response and
    # Chromium's console line about it, for each press refused.
    refused = [problem for problem in watch.problems if url in problem and "409" in problem]
    watch.problems = [problem for problem in watch.problems if problem not in refused]
    return len(refused)


def test_a_reason_too_long_leaves_the_card_open_with_its_words_to_shorten(
    page, watch, article, moderator, make_comment
):
    first = make_comment(article, name="Ann Long", body="A sharp word for another reader.")
    second = make_comment(article, name="Bo Next", body="Fine words.")
    open_queue(page, moderator.username)
    card = page.locator(f"#queue-{first.pk}")

    card.locator(".queue-reason").fill(TOO_LONG)
    card.get_by_role("button", name="Reject").click()

    expect(card.locator(".queue-outcome")).to_have_text(REFUSED)
    expect(card).not_to_have_class(DECIDED)
    expect(card.locator(".queue-reason")).to_be_visible()
    expect(card.locator(".queue-reason")).to_have_value(TOO_LONG)
    expect(card.get_by_role("button", name="Reject")).to_be_enabled()
    # The moderator was moved on to the next card: the status line says which one waits.
    expect(page.locator(f"#queue-{second.pk}")).to_have_class(re.compile(r"\bis-selected\b"))
    expect(page.locator(".queue-status")).to_have_text(
        f"{REFUSED} The comment by Ann Long is open again, above (k)."
    )
    first.refresh_from_db()
    assert (first.status, first.rejection_reason) == (Comment.Status.PENDING, "")
    assert _refusals_seen(watch, f"/admin/comments/comment/{first.pk}/reject/") == 2

    # Shortened, pressed again: rejected with the shorter words.
    card.locator(".queue-reason").fill("Insults other readers.")
    card.get_by_role("button", name="Reject").click()
    expect(card.locator(".queue-outcome")).to_contain_text("rejected")
    expect(card).to_have_class(DECIDED)
    first.refresh_from_db()
    assert (first.status, first.rejection_reason) == (
        Comment.Status.REJECTED,
        "Insults other readers.",
    )
    second.refresh_from_db()
    assert second.status == Comment.Status.PENDING


def test_a_reason_too_long_typed_after_d_comes_back_for_enter_again(
    page, watch, article, moderator, make_comment
):
    only = make_comment(article, name="Cy Keys", body="Shouting in capitals.")
    open_queue(page, moderator.username)
    card = page.locator(f"#queue-{only.pk}")

    page.keyboard.press("d")
    page.keyboard.insert_text(TOO_LONG)  # pasted
    page.keyboard.press("Enter")

    expect(card.locator(".queue-outcome")).to_have_text(REFUSED)
    expect(card).not_to_have_class(DECIDED)
    expect(card.locator(".queue-reason")).to_have_value(TOO_LONG)
    # The only card: selected again, not "every comment on this page is decided".
    expect(card).to_have_class(re.compile(r"\bis-selected\b"))
    expect(page.locator(".queue-status")).not_to_contain_text("Every comment on this page")
    assert _refusals_seen(watch, f"/admin/comments/comment/{only.pk}/reject/") == 2

    box = card.locator(".queue-reason")
    box.fill("Shouting.")
    box.press("Enter")
    expect(card.locator(".queue-outcome")).to_contain_text("rejected")
    only.refresh_from_db()
    assert (only.status, only.rejection_reason) == (Comment.Status.REJECTED, "Shouting.")


def test_a_take_down_reason_too_long_leaves_the_reported_card_open(
    page, watch, moderator, approved_comment
):
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    log_in_to_admin(page, moderator.username)
    page.goto("/admin/comments/comment/?status=reported")
    card = page.locator(f"#queue-{approved_comment.pk}")

    card.locator(".queue-reason").fill(TOO_LONG)
    card.get_by_role("button", name="Take down").click()

    expect(card.locator(".queue-outcome")).to_have_text(REFUSED)
    expect(card).not_to_have_class(DECIDED)
    expect(card.locator(".queue-reason")).to_have_value(TOO_LONG)
    expect(card.get_by_role("button", name="Take down")).to_be_enabled()
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED
    assert Report.objects.open().filter(comment=approved_comment).count() == 1
    url = f"/admin/comments/comment/{approved_comment.pk}/take-down/"
    assert _refusals_seen(watch, url) == 2

    card.locator(".queue-reason").fill("A personal attack.")
    card.get_by_role("button", name="Take down").click()
    expect(card.locator(".queue-outcome")).to_have_text("Comment by Early Bird taken down.")
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.REJECTED
    assert approved_comment.taken_down_by == moderator
    assert approved_comment.rejection_reason == "A personal attack."


def _rejected_with_a_preset_deleted_meanwhile(page, moderator, comment):
    """The comment's card, its Reject pressed with "2. Abusive" chosen, deleted since by an
    administrator tidying the list: refused, the card open again."""
    open_queue(page, moderator.username)
    card = page.locator(f"#queue-{comment.pk}")
    card.locator(".queue-preset").select_option(label="2. Abusive")
    RejectionReason.objects.filter(label="Abusive").delete()

    card.get_by_role("button", name="Reject").click()

    expect(card.locator(".queue-outcome")).to_contain_text(
        "The preset reason chosen was deleted meanwhile: nothing was done."
    )
    expect(card).not_to_have_class(DECIDED)
    return card


@pytest.mark.usefixtures("presets")
def test_a_preset_deleted_meanwhile_leaves_the_card_open_to_choose_another(
    page, watch, article, moderator, make_comment
):
    comment = make_comment(article, name="Di Preset", body="Off on a tangent.")
    card = _rejected_with_a_preset_deleted_meanwhile(page, moderator, comment)
    expect(card.get_by_role("button", name="Reject")).to_be_enabled()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert _refusals_seen(watch, f"/admin/comments/comment/{comment.pk}/reject/") == 2

    card.locator(".queue-preset").select_option(index=1)
    card.get_by_role("button", name="Reject").click()
    expect(card.locator(".queue-outcome")).to_contain_text("rejected")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert comment.rejection_reason


@pytest.mark.usefixtures("presets")
def test_a_preset_refused_as_deleted_is_no_longer_offered_on_its_card(
    page, watch, article, moderator, make_comment
):
    comment = make_comment(article, name="Ed Again", body="Off on another tangent.")
    card = _rejected_with_a_preset_deleted_meanwhile(page, moderator, comment)
    preset = card.locator(".queue-preset")

    # Gone from the card's choices and no longer chosen: a press now could only be refused
    # again. The others keep their numbers, which the keys 1-9 choose.
    expect(preset).to_have_value("")
    offered = preset.evaluate(
        "select => [...select.options].filter(o => !o.hidden && !o.disabled).map(o => o.label)"
    )
    assert offered == [
        "Reason for Reject…",
        "1. Off-topic",
        "3. Advertising",
        "4. Personal information",
    ]
    # Its number by key sends nothing, and says why; another number rejects.
    page.keyboard.press("d")
    page.keyboard.press("2")
    expect(page.locator(".queue-status")).to_have_text(
        "Preset 2 was deleted meanwhile: press another number, or type your own words."
    )
    expect(card).not_to_have_class(DECIDED)
    page.keyboard.press("1")
    expect(card.locator(".queue-outcome")).to_contain_text("rejected")
    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason) == (
        Comment.Status.REJECTED,
        "Off-topic: comments need to be about the article.",
    )
    # Refused once (the response and its console line), never sent again with the dead preset.
    assert _refusals_seen(watch, f"/admin/comments/comment/{comment.pk}/reject/") == 2


def _offered(preset):
    return preset.evaluate(
        "select => [...select.options].filter(o => !o.hidden && !o.disabled).map(o => o.label)"
    )


@pytest.mark.usefixtures("presets")
def test_a_preset_refused_as_deleted_leaves_every_card_on_the_page(
    page, watch, article, moderator, make_comment
):
    # Only its own card dropped it: the next card still offered "2. Abusive", still chosen
    # there, and its Reject (or d then 2) was refused again, for the same reason.
    first = make_comment(article, name="Fay First", body="Off on a tangent.")
    second = make_comment(article, name="Gil Second", body="Rude to a reader.")
    third = make_comment(article, name="Hal Third", body="Selling watches.")
    open_queue(page, moderator.username)
    cards = [page.locator(f"#queue-{comment.pk}") for comment in (first, second, third)]
    for card in cards[:2]:
        card.locator(".queue-preset").select_option(label="2. Abusive")
    RejectionReason.objects.filter(label="Abusive").delete()

    cards[0].get_by_role("button", name="Reject").click()
    expect(cards[0].locator(".queue-outcome")).to_contain_text("deleted meanwhile")

    left = ["Reason for Reject…", "1. Off-topic", "3. Advertising", "4. Personal information"]
    for card in cards:
        expect(card.locator(".queue-preset")).to_have_value("")
        assert _offered(card.locator(".queue-preset")) == left
    # Where it was chosen, the card says why its choice is gone.
    expect(cards[1].locator(".queue-outcome")).to_have_text(
        "The preset reason chosen here was deleted meanwhile: choose another, or type your "
        "own words."
    )
    expect(cards[2].locator(".queue-outcome")).to_have_count(0)

    # The second card, selected as the first was sent: its d then 2 sends nothing, and says why.
    expect(cards[1]).to_have_class(re.compile(r"\bis-selected\b"))
    page.keyboard.press("d")
    page.keyboard.press("2")
    expect(page.locator(".queue-status")).to_have_text(
        "Preset 2 was deleted meanwhile: press another number, or type your own words."
    )
    expect(cards[1]).not_to_have_class(DECIDED)
    page.keyboard.press("3")
    expect(cards[1].locator(".queue-outcome")).to_contain_text("rejected")
    second.refresh_from_db()
    assert second.status == Comment.Status.REJECTED
    assert second.rejection_reason.startswith("Advertising")
    assert _refusals_seen(watch, f"/admin/comments/comment/{first.pk}/reject/") == 2
    assert _refusals_seen(watch, f"/admin/comments/comment/{second.pk}/reject/") == 0
