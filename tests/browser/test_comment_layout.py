"""The comments' layout in Chromium at 1280 and 390 px: landing at the comments after posting,
and the reply form under the comment it answers, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.browser.conftest import PHONE
from tests.browser.helpers import (
    COMMENT_RECEIVED,
    fill_comment_form,
    log_in_to_admin,
    release_when_asked,
)
from tests.browser.layout import (
    assert_compact_phone_header,
    assert_no_sideways_scroll,
    check_both_widths,
    desktop,
    phone,
    rect,
)

pytestmark = pytest.mark.browser


# --- Comments ------------------------------------------------------------------------------
def _post(page, *, name: str, body: str) -> None:
    fill_comment_form(page, name=name, email=f"{name.lower()}@example.com", body=body)
    page.get_by_role("button", name="Send comment").click()


def _wait_for_scrolling_to_stop(page) -> None:
    # Scrolling to a fragment is smooth (Bootstrap's reboot): measure where it ends.
    page.evaluate(
        """() => new Promise((resolve) => {
            let last = -1;
            const tick = () => {
                if (window.scrollY === last) return resolve();
                last = window.scrollY;
                setTimeout(tick, 150);
            };
            tick();
        })"""
    )


def _assert_landed_at_the_comments(page, name: str) -> None:
    expect(page).to_have_url(re.compile(r"#comments$"))
    success = page.locator("#comments .messages .alert-success")
    expect(success).to_have_text(COMMENT_RECEIVED)
    _wait_for_scrolling_to_stop(page)
    comments = rect(page, "#comments")
    assert 0 <= comments["top"] <= 40, f"{name}: the comments start at {comments['top']:.0f} px"
    promise = rect(page, "#comments .messages")
    viewport = page.evaluate("() => window.innerHeight")
    assert promise["bottom"] <= viewport, f"{name}: the promise is below the first screen"


def test_after_posting_the_reader_lands_at_the_comments_with_the_promise_there(
    page, newsroom, artifacts, assert_accessible
):
    article = newsroom[0]
    page.goto(article.get_absolute_url())
    _post(page, name="Maria", body="Posted on a wide screen.")
    _assert_landed_at_the_comments(page, "desktop")
    artifacts.screenshot(page, "comment-sent-desktop-first-screen.png")
    assert_accessible("comment sent at 1280")

    page.set_viewport_size(PHONE)
    page.goto(article.get_absolute_url())
    _post(page, name="Nuno", body="Posted on a phone.")
    _assert_landed_at_the_comments(page, "phone")
    artifacts.screenshot(page, "comment-sent-phone-first-screen.png")
    assert_no_sideways_scroll(page, "comment sent on a phone")
    assert_accessible("comment sent at 390")
    page.evaluate("() => window.scrollTo(0, 0)")
    assert_compact_phone_header(page, "comment sent")
    artifacts.screenshot(page, "comment-sent-phone.png", full_page=True)
    assert Comment.objects.count() == 2


def _thread_of(page, comment_id: int):
    return page.locator(".comment-list > li", has=page.locator(f"#comment-{comment_id}"))


def _assert_form_under(page, comment_id: int, name: str, *, scripts=True) -> None:
    thread = _thread_of(page, comment_id)
    expect(thread.locator("> #comment-form")).to_have_count(1)
    # Measured in one go, where the page is scrolled does not matter; the wait only keeps the
    # screenshots steady, and needs timers (not run on a page without JavaScript).
    if scripts:
        _wait_for_scrolling_to_stop(page)
    comment, form, later = page.evaluate(
        """(id) => {
            const comment = document.getElementById("comment-" + id);
            const next = comment.closest(".comment-list > li").nextElementSibling;
            const form = document.getElementById("comment-form");
            return [comment, form, next].map((el) => el && el.getBoundingClientRect().toJSON());
        }""",
        comment_id,
    )
    assert comment["bottom"] <= form["top"] <= comment["bottom"] + 80, (
        f"{name}: the form is not right under the comment ({comment} / {form})"
    )
    if later is not None:
        assert form["bottom"] <= later["top"], f"{name}: the form runs into the next thread"


def test_reply_opens_the_form_under_the_comment_it_answers(
    page, discussion, artifacts, assert_accessible
):
    article, (_, ben, chloe) = discussion
    page.goto(article.get_absolute_url())
    reply = page.get_by_role("link", name="Reply to Ben")
    assert reply.inner_text().startswith("Reply")
    expect(page.locator(".comment-list > li .reply-link")).to_have_count(3)

    # By keyboard: Enter on the control opens the form there, focus in its first field.
    reply.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#comment-form-heading")).to_have_text("Reply to Ben")
    expect(page.locator("#id_name")).to_be_focused()
    _assert_form_under(page, ben.pk, "desktop")
    expect(page.locator("#comment-form input[name=parent]")).to_have_value(str(ben.pk))
    check_both_widths(page, artifacts, assert_accessible, "reply")
    phone(page)
    page.locator("#comment-form").scroll_into_view_if_needed()
    _assert_form_under(page, ben.pk, "phone")
    artifacts.screenshot(page, "reply-phone-at-the-form.png")
    desktop(page)

    # Cancel puts the form back after the comments and focus back on the control.
    page.get_by_role("button", name="Cancel reply").click()
    expect(page.locator("#comment-form-heading")).to_have_text(
        "Add a comment on Xiaomi will mass-produce its car"
    )
    expect(page.locator("#comments > #comment-form")).to_have_count(1)
    expect(reply).to_be_focused()
    expect(page.locator("#comment-form input[name=parent]")).to_have_value("")

    # Another comment's control moves it there; the reply is sent as an answer to that one.
    page.get_by_role("link", name="Reply to Chloe").click()
    _assert_form_under(page, chloe.pk, "desktop")
    _post(page, name="Maria", body="Prices decide everything.")
    _assert_landed_at_the_comments(page, "reply sent")
    assert Comment.objects.get(body="Prices decide everything.").parent_id == chloe.pk


def test_a_right_to_left_name_leaves_the_comment_line_in_reading_order(page, article, make_comment):
    make_comment(article, name="محمد", status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    page.goto(article.get_absolute_url())

    # "محمد · 4 Dec 2026, 15:43": the time after the name, not its day pulled to the left.
    line = page.evaluate(
        """() => {
            const name = document.querySelector(".comment-author").getBoundingClientRect();
            const time = [...document.querySelector(".comment time").getClientRects()];
            return {nameRight: name.right, timeLeft: Math.min(...time.map((r) => r.left))};
        }"""
    )
    assert line["timeLeft"] > line["nameRight"], f"the time runs into the name: {line}"
    # The form JavaScript moves under it is headed with the name in its own direction too.
    page.get_by_role("link", name="Reply to محمد").click()
    expect(page.locator("#comment-form-heading bdi")).to_have_text("محمد")
    expect(page.locator("#comment-form-heading")).to_have_text("Reply to محمد")


def test_a_page_drawn_to_answer_a_comment_opens_its_form_under_that_comment(page, discussion):
    article, (ana, *_) = discussion
    page.goto(f"{article.get_absolute_url()}?reply-to={ana.pk}#comment-form")

    expect(page.locator("#comment-form-heading")).to_have_text("Reply to Ana")
    _assert_form_under(page, ana.pk, "drawn to answer")
    expect(page.get_by_role("link", name="Write a new comment instead")).to_be_hidden()
    page.get_by_role("button", name="Cancel reply").click()
    expect(page.locator("#comments > #comment-form")).to_have_count(1)
    expect(page.locator("#comment-form input[name=parent]")).to_have_value("")


def test_without_javascript_reply_draws_the_form_set_to_answer(browser, live_server, discussion):
    article, (ana, *_) = discussion
    context = browser.new_context(
        java_script_enabled=False, viewport=PHONE, base_url=live_server.url
    )
    context.set_default_timeout(5_000)
    try:
        page = context.new_page()
        page.goto(article.get_absolute_url())
        page.get_by_role("link", name="Reply to Ana").click()
        expect(page).to_have_url(re.compile(rf"\?reply-to={ana.pk}#comment-form$"))
        expect(page.locator("#comment-form-heading")).to_have_text("Reply to Ana")
        expect(page.locator("#comment-form input[name=parent]")).to_have_value(str(ana.pk))
        # Under the comment it answers, not after the whole thread list.
        _assert_form_under(page, ana.pk, "without JavaScript", scripts=False)
        expect(page.locator("#comments > #comment-form")).to_have_count(0)
        expect(page.get_by_role("link", name="Write a new comment instead")).to_be_visible()
    finally:
        context.close()


def test_a_signed_in_reader_replying_by_keyboard_lands_in_the_comment_field(
    page, discussion, moderator
):
    moderator.first_name = "Mo"
    moderator.save()
    log_in_to_admin(page, "moderator")
    article, (_, ben, _) = discussion
    page.goto(article.get_absolute_url())

    page.get_by_role("link", name="Reply to Ben").focus()
    page.keyboard.press("Enter")

    # Their name arrives with the form's tokens: focus waits for it and skips the filled fields.
    expect(page.locator("#id_body")).to_be_focused()
    expect(page.locator("#id_name")).to_have_value("Mo")
    expect(page.locator("#id_email")).to_have_value("moderator@newsroom.example")
    expect(page.locator("#comment-form input[name=parent]")).to_have_value(str(ben.pk))


def test_a_reader_typing_before_the_form_s_tokens_arrive_keeps_their_place(page, discussion):
    article, (_, ben, _) = discussion
    # The form's tokens come late (a slow connection): held until the reader has started.
    held = []
    page.route("**/comments/form-token/**", lambda route: held.append(route))
    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Reply to Ben").click()
    expect(page.locator("#comment-form-heading")).to_have_text("Reply to Ben")
    body = page.locator("#id_body")
    body.click()
    page.keyboard.type("Reviews took a year")
    release_when_asked(page, held, "the form's tokens")
    expect(page.locator("#comment-form input[name=csrfmiddlewaretoken]")).not_to_have_value("")

    page.keyboard.type(" last time.")
    expect(body).to_have_value("Reviews took a year last time.")
    expect(body).to_be_focused()
    expect(page.locator("#id_name")).to_have_value("")
    expect(page.locator("#comment-form input[name=parent]")).to_have_value(str(ben.pk))


def test_cancel_before_the_form_s_tokens_arrive_leaves_focus_on_the_reply_control(page, discussion):
    article, _ = discussion
    held = []
    page.route("**/comments/form-token/**", lambda route: held.append(route))
    page.goto(article.get_absolute_url())
    reply = page.get_by_role("link", name="Reply to Ben")
    reply.click()
    page.get_by_role("button", name="Cancel reply").click()
    expect(reply).to_be_focused()
    release_when_asked(page, held, "the form's tokens")
    expect(page.locator("#comment-form input[name=csrfmiddlewaretoken]")).not_to_have_value("")

    expect(reply).to_be_focused()  # not the name field of the form back at the end
    expect(page.locator("#comments > #comment-form")).to_have_count(1)


def test_a_reply_sent_then_cancelled_before_its_tokens_arrive_is_not_posted_as_a_comment(
    page, discussion
):
    article, _ = discussion
    held = []
    page.route("**/comments/form-token/**", lambda route: held.append(route))
    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Reply to Ben").click()
    fill_comment_form(page, name="Maria", email="maria@example.com", body="Meant for Ben only.")
    # Send waits for the tokens (a slow connection); the reader thinks better of replying.
    page.get_by_role("button", name="Send comment").click()
    page.get_by_role("button", name="Cancel reply").click()
    release_when_asked(page, held, "the form's tokens")
    expect(page.locator("#comment-form input[name=csrfmiddlewaretoken]")).not_to_have_value("")

    # Nothing went out as a comment on the article; the words wait in the form at its end.
    expect(page.locator("#comment-form-heading")).to_have_text(re.compile(r"^Add a comment"))
    expect(page.locator("#id_body")).to_have_value("Meant for Ben only.")
    expect(page.locator(".messages")).to_have_count(0)
    assert not Comment.objects.filter(body="Meant for Ben only.").exists()
    # Sent again on purpose, it is the new comment the form now says it is.
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED)
    assert Comment.objects.get(body="Meant for Ben only.").parent_id is None


def test_reply_with_ctrl_opens_the_answer_in_a_new_tab_and_leaves_this_page_as_it_was(
    page, discussion
):
    article, (_, ben, _) = discussion
    page.goto(article.get_absolute_url())
    heading = page.locator("#comment-form-heading").inner_text()

    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Reply to Ben").click(modifiers=["Control"])

    tab = opened.value
    tab.wait_for_load_state()
    expect(tab.locator("#comment-form-heading")).to_have_text("Reply to Ben")
    expect(tab.locator("#comment-form input[name=parent]")).to_have_value(str(ben.pk))
    expect(page.locator("#comment-form-heading")).to_have_text(heading)
    expect(page.locator("#comments > #comment-form")).to_have_count(1)
    tab.close()


def test_on_a_phone_a_comment_s_time_keeps_its_zone_on_its_line(page, article, make_comment):
    # A name long enough to push the time to the line's end, where "UTC" used to wrap alone.
    make_comment(article, name="James Whitfield", status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    phone(page)
    page.goto(article.get_absolute_url())

    lines = page.evaluate(
        "() => new Set([...document.querySelector('.comment time').getClientRects()]"
        ".map((r) => Math.round(r.top))).size"
    )
    assert lines == 1, "the comment's time is broken over two lines"
