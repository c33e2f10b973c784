"""Back to the article after a comment arrived: the form does not hold the sent text as if it
were still to send (a second press answered "Comment sent successfully!" again); a text that
did not arrive is still kept."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.helpers import COMMENT_RECEIVED, fill_comment_form

pytestmark = pytest.mark.browser

SENT = "Your comment was sent."


def _comment_field(page):
    return page.locator("#comment-form").get_by_label(re.compile(r"^\s*Comment\s*\*?\s*$"))


def test_back_after_a_comment_arrived_shows_an_empty_form_that_says_it_was_sent(page, article):
    page.goto(article.get_absolute_url())
    fill_comment_form(page, name="Maria Lopez", email="maria@example.com", body="Sent once.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator("#comments .messages .alert-success")).to_have_text(COMMENT_RECEIVED)
    page.wait_for_load_state("load")

    page.go_back()
    expect(page.locator("#comments .messages")).to_have_count(0)
    expect(_comment_field(page)).to_have_value("")
    expect(page.locator("#comment-form").get_by_role("status")).to_have_text(SENT)

    # A press of Send now is a form with nothing in it, not a second "sent".
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator("#comments .messages .alert-success")).to_have_count(0)
    assert Comment.objects.count() == 1


def test_back_after_a_post_that_did_not_arrive_keeps_the_text(page, article, watch):
    page.goto(article.get_absolute_url())
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.route(
        f"**/comments/post/{article.pk}/**",
        lambda route: route.fulfill(status=503, body="<h1>Back in a moment</h1>"),
    )
    fill_comment_form(page, name="Maria Lopez", email="maria@example.com", body="Not yet sent.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_role("heading", name="Back in a moment")).to_be_visible()

    page.go_back()
    expect(_comment_field(page)).to_have_value("Not yet sent.")
    expect(page.locator("#comment-form").get_by_role("status")).not_to_have_text(SENT)
    assert not Comment.objects.exists()
    watch.problems = [problem for problem in watch.problems if "503" not in problem]
