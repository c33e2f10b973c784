"""A reader who writes fast is not taken for a robot. The form's start time is given when the
reader starts writing (a shared page holds none), and a comment sent sooner than
COMMENTS_MIN_FORM_SECONDS after it was refused with "That was quick!": a reader whose browser
filled in their name and address, who pasted the comment written elsewhere and pressed Send
at once, had to send it again. With JavaScript, the form now waits out what is left of those
seconds itself before it sends. The site's check is unchanged: a post without the script, as a
robot's, sooner than that is still refused (tests/test_comment_spam.py)."""

import re

import pytest
from playwright.sync_api import expect

from comments.forms import TOO_FAST
from comments.models import Comment
from tests.browser.helpers import COMMENT_RECEIVED, fill_comment_form

pytestmark = pytest.mark.browser


def test_a_comment_sent_at_once_is_sent_not_refused_as_too_quick(page, article, settings):
    settings.COMMENTS_MIN_FORM_SECONDS = 2
    page.goto(article.get_absolute_url())

    fill_comment_form(page, name="Quick Reader", email="quick@example.com", body="Pasted in.")
    page.get_by_role("button", name="Send comment").click()

    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED, timeout=8000)
    assert TOO_FAST not in page.content()
    assert Comment.objects.filter(name="Quick Reader", body="Pasted in.").exists()


def test_a_comment_sent_before_the_tokens_came_waits_for_them_and_the_seconds(
    page, article, settings
):
    """Send pressed with no field ever focused (the browser filled them all in): the tokens are
    fetched then, and the form waits out the seconds from there."""
    settings.COMMENTS_MIN_FORM_SECONDS = 2
    page.goto(article.get_absolute_url())
    form = page.locator("#comment-form")
    form.locator("[name=name]").evaluate("(el) => { el.value = 'Filled In'; }")
    form.locator("[name=email]").evaluate("(el) => { el.value = 'filled@example.com'; }")
    form.locator("[name=body]").evaluate("(el) => { el.value = 'Autofilled and sent.'; }")

    form.locator("button[type=submit]").evaluate("(el) => el.click()")

    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED, timeout=8000)
    assert Comment.objects.filter(name="Filled In").exists()


def _send_a_reply_then_during_the_wait(page, discussion, settings, change_of_mind):
    """A reply to Ben sent at once after its form's tokens came: the form waits out the
    seconds, and meanwhile the reader presses something that changes what the text answers."""
    settings.COMMENTS_MIN_FORM_SECONDS = 3
    article, _ = discussion
    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Reply to Ben").click()
    fill_comment_form(page, name="Maria", email="maria@example.com", body="Meant for Ben.")
    expect(page.locator("#comment-form input[name=csrfmiddlewaretoken]")).not_to_have_value("")
    page.get_by_role("button", name="Send comment").click()
    change_of_mind()


def _told_at_once(page, text):
    # Told there and then, in a polite status region: not when the wait would have ended.
    note = page.locator("#comment-form [role=status]", has_text="Your comment was not sent")
    expect(note).to_have_text(text, timeout=1000)
    expect(note).to_be_visible()


def test_a_reply_cancelled_during_the_wait_is_not_sent_and_the_form_says_so(
    page, discussion, settings
):
    """Cancel reply pressed while the form waited: nothing was sent and nothing said, and Send
    did nothing until the wait was over. The reader is told at once, keeps the text, and Send
    works again, for the new comment the form now is."""
    _send_a_reply_then_during_the_wait(
        page,
        discussion,
        settings,
        lambda: page.get_by_role("button", name="Cancel reply").click(),
    )

    _told_at_once(
        page, "Your comment was not sent: you cancelled the reply. Your text is kept here."
    )
    expect(page.locator("#comment-form-heading")).to_have_text(re.compile(r"^Add a comment"))
    expect(page.locator("#id_body")).to_have_value("Meant for Ben.")
    assert not Comment.objects.filter(body="Meant for Ben.").exists()

    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED, timeout=8000)
    assert Comment.objects.get(body="Meant for Ben.").parent_id is None


def test_another_reply_pressed_during_the_wait_stops_the_send_and_the_form_says_so(
    page, discussion, settings
):
    _, (_, _, chloe) = discussion
    _send_a_reply_then_during_the_wait(
        page,
        discussion,
        settings,
        lambda: page.get_by_role("link", name="Reply to Chloe").click(),
    )

    _told_at_once(
        page,
        "Your comment was not sent: you chose another comment to reply to. Your text is kept here.",
    )
    expect(page.locator("#comment-form-heading")).to_have_text("Reply to Chloe")
    expect(page.locator("#id_body")).to_have_value("Meant for Ben.")
    assert not Comment.objects.filter(body="Meant for Ben.").exists()

    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED, timeout=8000)
    assert Comment.objects.get(body="Meant for Ben.").parent_id == chloe.pk
