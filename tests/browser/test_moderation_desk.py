"""The moderator's desk in a real browser: a queue cleared with the keys alone, controls in
view beside the sidebar and on a phone, and a reader's report through to a take-down."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment, Report
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import log_in_to_admin

# The seeded preset reasons (tests/browser/conftest.py), in every test here.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("presets")]

QUEUE = "/admin/comments/comment/"


@pytest.fixture
def article(make_article):
    return make_article(title="Xiaomi will mass-produce its car", slug="xiaomi-car")


def _queue_of(article, make_comment, count):
    start = timezone.now() - timedelta(hours=count)
    return [
        make_comment(
            article,
            body=f"Queued comment number {n}: " + "a long and thoughtful point. " * 20,
            created_at=start + timedelta(minutes=n),
        )
        for n in range(count)
    ]


def test_a_moderator_clears_twenty_comments_with_the_keyboard_alone(
    page, article, moderator, make_comment, presets, snap
):
    comments = _queue_of(article, make_comment, 20)
    # Every fifth rejected with the first preset (d then 1), every fifth spam, the rest approved.
    plan = [("reject", "approve", "approve", "spam", "approve")[n % 5] for n in range(20)]
    keys = {"approve": ["a"], "reject": ["d", "1"], "spam": ["s"]}

    log_in_to_admin(page, moderator.username)
    page.goto(QUEUE)
    first = page.locator(".queue-row").first
    expect(first).to_have_class(re.compile(r"\bis-selected\b"))
    page.evaluate("window.sameDocument = true")
    snap("queue-opened")

    pressed = 0
    for decision in plan:
        for key in keys[decision]:
            page.keyboard.press(key)
            pressed += 1
    assert pressed <= 25

    expect(page.locator(".queue-row.is-decided")).to_have_count(20)
    expect(page.locator(".queue-outcome", has_text="Sending")).to_have_count(0)
    # The last decision's own words, then the page's end.
    expect(page.locator(".queue-status")).to_have_text(
        f"Comment by {comments[-1].name}: approved. Every comment on this page is decided."
    )
    assert page.evaluate("window.sameDocument") is True  # no reload on the way
    snap("queue-cleared")

    expected_status = {
        "approve": Comment.Status.APPROVED,
        "reject": Comment.Status.REJECTED,
        "spam": Comment.Status.SPAM,
    }
    for comment, decision in zip(comments, plan, strict=True):
        comment.refresh_from_db()
        assert comment.status == expected_status[decision], comment.body[:30]
        assert comment.moderated_by == moderator
        reason = presets[0].text if decision == "reject" else ""
        assert comment.rejection_reason == reason
    assert Article.objects.get(pk=article.pk).approved_comment_count == plan.count("approve")
    logged = LogEntry.objects.filter(user=moderator, object_id__in=[str(c.pk) for c in comments])
    assert logged.count() == 20
    assert logged.filter(change_message=f"Rejected: {presets[0].text}").count() == 4
    assert logged.filter(change_message="Marked as spam").count() == 4


def test_a_typed_reason_is_sent_with_enter_and_escape_cancels(
    page, article, moderator, make_comment
):
    first, second = _queue_of(article, make_comment, 2)
    log_in_to_admin(page, moderator.username)
    page.goto(QUEUE)

    page.keyboard.press("d")
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    page.keyboard.press("d")
    page.keyboard.type("Please keep to the subject")
    page.keyboard.press("Enter")

    expect(page.locator(f"#queue-{second.pk} .queue-outcome")).to_contain_text(
        "rejected: Please keep to the subject"  # as the moderator typed it
    )
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.rejection_reason == "Please keep to the subject"
    assert first.status == Comment.Status.PENDING


def test_the_keys_are_listed_on_question_mark(page, article, moderator, make_comment, presets):
    _queue_of(article, make_comment, 1)
    log_in_to_admin(page, moderator.username)
    page.goto(QUEUE)

    page.keyboard.press("?")

    keys = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(keys).to_be_visible()
    expect(keys).to_contain_text(f"1 {presets[0].label}")
    keys.get_by_role("button", name="Close").click()
    expect(keys).to_be_hidden()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280x800", "390x844"])
def test_the_first_comments_controls_are_in_view(
    page, article, moderator, make_comment, viewport, artifacts
):
    _queue_of(article, make_comment, 3)
    make_comment(article, body="https://example.com/" + "x" * 300)
    log_in_to_admin(page, moderator.username)
    page.set_viewport_size(viewport)
    page.goto(QUEUE)
    if viewport == DESKTOP:
        expect(page.locator("#nav-sidebar")).to_be_visible()  # the sidebar is open
        expect(page.locator("#changelist-filter")).to_be_visible()

    first = page.locator(".queue-row").first
    for label in ("Approve", "Reject", "Spam"):
        button = first.get_by_role("button", name=label, exact=True)
        box = button.bounding_box()
        assert box is not None, label
        assert box["x"] >= 0 and box["y"] >= 0, (label, box)
        assert box["x"] + box["width"] <= viewport["width"], (label, box)
        assert box["y"] + box["height"] <= viewport["height"], (label, box)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the queue scrolls sideways: {widths}"
    artifacts.screenshot(page, f"queue-{viewport['width']}.png")


def _report(page, comment, reason_label):
    item = page.locator(f"#comment-{comment.pk}")
    item.get_by_role("link", name=f"Report the comment by {comment.name}").click()
    item.get_by_label(reason_label).check()
    item.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you: a moderator will look at this comment.")).to_be_visible()


def test_a_reported_comment_is_taken_down_and_another_kept_from_the_reported_queue(
    page, new_page, article, moderator, make_comment, snap, assert_accessible
):
    bad = make_comment(article, name="Troll", body="You are all idiots.", status="approved")
    fine = make_comment(article, name="Fair Critic", body="I disagree.", status="approved")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)

    page.goto(article.get_absolute_url())
    _report(page, bad, "Abusive or hateful")
    _report(page, fine, "Off-topic")

    admin = new_page()
    log_in_to_admin(admin, moderator.username)
    expect(admin.locator("#moderation-summary .moderation-reported")).to_have_text("2")
    admin.get_by_role("link", name=re.compile("Reported")).first.click()
    card = admin.locator(f"#queue-{bad.pk}")
    expect(card.locator(".queue-reports")).to_contain_text("1 report")
    expect(card.locator(".queue-reports")).to_contain_text("Abusive or hateful")
    snap("reported-queue", on=admin)
    assert_accessible("reported queue", on=admin)

    card.get_by_role("button", name="Take down").click()
    expect(card.locator(".queue-outcome")).to_contain_text("taken down")
    # The next one is selected: dismissed with its key.
    expect(admin.locator(f"#queue-{fine.pk}")).to_have_class(re.compile(r"\bis-selected\b"))
    admin.keyboard.press("x")
    expect(admin.locator(f"#queue-{fine.pk} .queue-outcome")).to_contain_text("stays up")

    page.reload()
    expect(page.locator(f"#comment-{bad.pk}")).to_have_count(0)
    expect(page.locator(f"#comment-{fine.pk}")).to_be_visible()
    expect(page.locator("#comments-heading")).to_have_text("1 comment")
    admin.goto("/admin/")
    expect(admin.locator("#moderation-summary .moderation-reported")).to_have_text("0")


def test_one_report_form_opens_under_the_comment_whose_link_was_pressed(
    page, article, make_comment, snap, assert_accessible
):
    first = make_comment(article, name="First Reader", body="One view.", status="approved")
    second = make_comment(article, name="Second Reader", body="Another view.", status="approved")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    question = "Why should a moderator look at this comment?"
    page.goto(article.get_absolute_url())
    # Hidden ones too: one form on the page, whether open or not.
    reasons = page.get_by_role("group", name=question, include_hidden=True)
    first_link = page.get_by_role("link", name="Report the comment by First Reader")
    second_link = page.get_by_role("link", name="Report the comment by Second Reader")
    expect(reasons).to_have_count(1)
    expect(reasons).to_be_hidden()
    expect(first_link).to_have_attribute("aria-expanded", "false")

    def under(comment):
        return page.locator(f"#comment-{comment.pk}").get_by_role("group", name=question)

    first_link.click()
    expect(under(first)).to_be_visible()
    expect(first_link).to_have_attribute("aria-expanded", "true")
    page.get_by_label("Spam or advertising").check()
    page.get_by_label(re.compile(r"^Anything to add")).fill("Meant for the first one")
    snap("report-form-open")
    assert_accessible("article with the report form open")

    # Another comment's link moves the form there, with nothing carried over.
    second_link.click()
    expect(under(second)).to_be_visible()
    expect(first_link).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_label("Spam or advertising")).not_to_be_checked()
    expect(page.get_by_label(re.compile(r"^Anything to add"))).to_have_value("")
    expect(reasons).to_have_count(1)

    page.get_by_role("button", name="Cancel report").click()
    expect(reasons).to_be_hidden()
    expect(second_link).to_be_focused()
    # From the keyboard: Enter opens it on the first reason, Escape closes it.
    page.keyboard.press("Enter")
    expect(page.get_by_label("Spam or advertising")).to_be_focused()
    page.keyboard.press("Escape")
    expect(reasons).to_be_hidden()
    expect(second_link).to_be_focused()
    # Closed and opened again on the same comment, what the reader chose and wrote is there.
    second_link.click()
    page.get_by_label("Spam or advertising").check()
    page.get_by_label(re.compile(r"^Anything to add")).fill("Links to a shop")
    page.keyboard.press("Escape")
    second_link.click()
    expect(page.get_by_label("Spam or advertising")).to_be_checked()
    expect(page.get_by_label(re.compile(r"^Anything to add"))).to_have_value("Links to a shop")
    assert not Report.objects.exists()

    # Sent after moving around, the report is about the comment it was last opened under.
    first_link.click()
    second_link.click()
    page.get_by_label("Off-topic").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you: a moderator will look at this comment.")).to_be_visible()
    report = Report.objects.get()
    assert (report.comment_id, report.reason) == (second.pk, "off-topic")


def test_a_report_whose_token_cannot_be_fetched_comes_back_to_send_once_more(
    page, article, make_comment, watch
):
    comment = make_comment(article, name="Loud Reader", status="approved")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    page.route("**/comments/form-token/**", lambda route: route.abort())
    page.goto(article.get_absolute_url())

    page.get_by_role("link", name="Report the comment by Loud Reader").click()
    page.get_by_role("radio", name="Something else").check()
    page.get_by_label(re.compile(r"^Anything to add")).fill("It names my neighbour")
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_text("please press “Send report” once more")).to_be_visible()
    expect(page.get_by_role("radio", name="Something else")).to_be_checked()
    expect(page.get_by_label(re.compile(r"^Anything to add"))).to_have_value(
        "It names my neighbour"
    )
    assert not Report.objects.exists()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you: a moderator will look at this comment.")).to_be_visible()
    assert Report.objects.get(comment=comment).text == "It names my neighbour"
    # The token requests failed on purpose (and only they failed).
    blocked = [problem for problem in watch.problems if "/comments/form-token/" in problem]
    assert blocked
    watch.problems = [problem for problem in watch.problems if problem not in blocked]


def test_from_a_card_to_the_commenter_a_note_and_a_block(
    page, article, moderator, make_comment, snap, assert_accessible
):
    make_comment(article, email="troll@example.com", body="First rant")
    make_comment(article, email="troll@example.com", body="Second rant")
    log_in_to_admin(page, moderator.username)
    page.goto(QUEUE)

    page.locator(".queue-row").first.get_by_role("link", name="This e-mail").click()
    expect(page.locator("#comments-title")).to_be_visible()
    expect(page.locator(".commenter-comments")).to_contain_text("Second rant")
    page.get_by_label("Note for the other moderators").fill("Warned by mail on Monday.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".commenter-notes")).to_contain_text("Warned by mail on Monday.")
    page.get_by_label("Block troll@example.com").select_option(label="for a week")
    page.get_by_role("button", name="Block", exact=True).click()
    expect(page.locator(".commenter-block.is-active")).to_contain_text("blocked until")
    page.get_by_role("button", name="Reject all 2 waiting").click()
    expect(page.locator(".messagelist")).to_contain_text("2 pending comments")
    snap("commenter", phone_layout=True)
    assert_accessible("commenter page")
    assert Comment.objects.filter(status=Comment.Status.REJECTED).count() == 2


def test_a_comment_edited_after_the_queue_opened_comes_back_with_its_new_words(
    page, watch, article, moderator, make_comment
):
    from comments.commenter_services import edit_comment

    (comment,) = _queue_of(article, make_comment, 1)
    log_in_to_admin(page, moderator.username)
    page.goto(QUEUE)
    expect(page.locator(f"#queue-{comment.pk} .queue-edit")).to_be_hidden()
    edit_comment(comment=comment, body="Buy cheap watches at https://watches.example/ today")

    page.keyboard.press("a")

    card = page.locator(f"#queue-{comment.pk}")
    expect(card.locator(".queue-outcome")).to_contain_text("edited since you read it")
    expect(card.locator(".queue-body")).to_have_text(
        "Buy cheap watches at https://watches.example/ today"
    )
    # Drawn as a card is on a fresh queue: the link marked, and what the edit changed.
    expect(card.locator(".queue-body mark")).to_have_text("https://watches.example/")
    expect(card.locator(".queue-edit")).to_be_visible()
    expect(card.locator(".queue-edit ins").first).to_have_text("Buy")
    expect(card.locator(".queue-edit del").first).to_have_text("Queued")
    # Why the new words are held, not the old words' reasons.
    expect(card.locator(".queue-held")).to_be_visible()
    expect(card.locator(".queue-held")).to_contain_text("edited by its author; it said before")
    expect(card).not_to_have_class(re.compile("is-decided"))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING

    page.keyboard.press("a")  # read now: the second press approves the new words

    expect(card.locator(".queue-outcome")).to_contain_text("approved")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    _expect_one_refusal(page, watch, comment)


def _expect_one_refusal(page, watch, comment):
    # The refusal is a 409 by design, which the watch (and Chromium's console) report: only
    # that one answer, once, is expected.
    url = f"{page.url.split('/admin/')[0]}{QUEUE}{comment.pk}/approve/"
    refused = [problem for problem in watch.problems if url in problem and "409" in problem]
    assert len(refused) == 2  # the response and the console line about it
    watch.problems = [problem for problem in watch.problems if problem not in refused]


def test_words_edited_into_a_right_to_left_script_keep_their_own_direction_on_the_card(
    page, watch, article, moderator, make_comment
):
    # In the English line around them, "3" would otherwise join the Arabic run.
    from comments.commenter_services import edit_comment

    (comment,) = _queue_of(article, make_comment, 1)
    log_in_to_admin(page, moderator.username)
    page.goto(QUEUE)
    edit_comment(comment=comment, body="مقال رائع! 3 أسباب للتفاؤل.")

    page.keyboard.press("a")

    card = page.locator(f"#queue-{comment.pk}")
    expect(card.locator(".queue-outcome")).to_contain_text("edited since you read it")
    expect(card.locator(".queue-body[dir=auto]")).to_have_text("مقال رائع! 3 أسباب للتفاؤل.")
    expect(card.locator(".queue-edit bdi ins").first).to_contain_text("مقال")
    _expect_one_refusal(page, watch, comment)


def test_in_the_list_of_all_comments_the_decision_buttons_are_in_view(
    page, article, make_comment, moderator
):
    _queue_of(article, make_comment, 3)
    page.set_viewport_size(DESKTOP)
    log_in_to_admin(page, "moderator")
    page.goto(QUEUE + "?status=all")

    approve = page.locator("#result_list").get_by_role("button", name="Approve").first
    expect(approve).to_be_visible()
    box = approve.bounding_box()
    results = page.locator(".results").bounding_box()
    # Inside the list's box, not behind its sideways scroll.
    assert box["x"] + box["width"] <= results["x"] + results["width"], (box, results)
