"""A reason given on a queue card, with the queue's script: it keeps Approve (button or key)
from publishing the comment, it goes with "Reject selected" without the admin's "unsaved
changes" warning, and the status line keeps the last decision's words."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.helpers import log_in_to_admin, open_queue

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("presets")]

GAVE_REASON = "Not approved: a reason for rejecting is given on this comment."


def test_a_reason_given_on_a_card_keeps_approve_from_publishing_it(
    page, article, moderator, make_comment
):
    comment = make_comment(article, body="A sharp word or two for another reader.")
    open_queue(page, moderator.username)
    card = page.locator(f"#queue-{comment.pk}")

    card.locator(".queue-reason").fill("Insulting other readers")
    card.get_by_role("button", name="Approve").click()
    expect(card.locator(".queue-outcome")).to_contain_text(GAVE_REASON)
    expect(card).not_to_have_class(re.compile(r"\bis-decided\b"))

    # A preset chosen, then the key: refused the same way.
    card.locator(".queue-reason").fill("")
    card.locator(".queue-preset").select_option(label="2. Abusive")
    page.locator("body").click()  # the key goes to the queue, not to the select
    page.keyboard.press("a")
    expect(page.locator(".queue-status")).to_contain_text(GAVE_REASON)

    page.wait_for_timeout(300)  # a decision would have been posted by now
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING

    # Reject sends the preset.
    card.get_by_role("button", name="Reject").click()
    expect(card.locator(".queue-outcome")).to_contain_text("rejected")
    expect(page.locator(".queue-status")).to_have_text(
        re.compile(r"^Comment by .*: rejected: .+ Every comment on this page is decided\.$")
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert comment.rejection_reason


def test_reject_selected_takes_each_cards_own_reason_without_an_unsaved_changes_warning(
    page, article, moderator, make_comment
):
    first, second = (make_comment(article, body=f"Comment number {n}.") for n in (1, 2))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_queue(page, moderator.username)

    page.locator(f"#queue-{first.pk} .queue-reason").fill("Shouting at other readers.")
    page.locator(f"#queue-{first.pk} .action-select").check()
    page.locator(f"#queue-{second.pk} .action-select").check()
    page.locator("select[name=action]").select_option("reject_selected")
    page.get_by_label("Reason (sent with rejections)").fill("Off topic.")
    page.locator("button[name=index]").click()

    expect(page.locator(".messagelist")).to_contain_text("2 comments rejected")
    assert dialogs == []
    reasons = dict(Comment.objects.values_list("pk", "rejection_reason"))
    assert reasons == {first.pk: "Shouting at other readers.", second.pk: "Off topic."}


def test_a_comment_s_own_page_on_a_tablet_lines_up_its_reasons_and_fits_the_decision(
    page, article, moderator, make_comment
):
    comment = make_comment(article, held_because=["2 links (held at 2 or more)"])
    log_in_to_admin(page, moderator.username)
    page.set_viewport_size({"width": 800, "height": 1000})
    page.goto(f"/admin/comments/comment/{comment.pk}/change/")

    # The reasons start where the other values do (the name's), not 170 px further in.
    reason = page.locator(".field-held_because_words li").bounding_box()
    name = page.locator(".field-name .readonly").bounding_box()
    assert reason["x"] - name["x"] < 30, (reason, name)
    # The preset reasons' list stays inside the Decide panel.
    preset = page.get_by_label("Preset reason (for a rejection)")
    panel = page.locator(".moderation-decision").first.bounding_box()
    shown = preset.bounding_box()
    assert shown["x"] + shown["width"] <= panel["x"] + panel["width"], (shown, panel)
    # Each preset says its label once, with what the commenter reads.
    expect(preset.locator("option").nth(1)).to_have_text(
        "Off-topic: comments need to be about the article."
    )
