"""A reader who writes fast is not taken for a robot. The form's start time is given when the
reader starts writing (a shared page holds none), and a comment sent sooner than
COMMENTS_MIN_FORM_SECONDS after it was refused with "That was quick!": a reader whose browser
filled in their name and address, who pasted the comment written elsewhere and pressed Send
at once, had to send it again. With JavaScript, the form now waits out what is left of those
seconds itself before it sends. The site's check is unchanged: a post without the script, as a
robot's, sooner than that is still refused (tests/test_comment_spam.py)."""

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
