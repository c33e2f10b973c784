"""Back to the article after a comment arrived: the form does not hold the sent text as if it
were still to send (a second press answered "Comment sent successfully!" again); a text that
did not arrive, or was never sent (its draft emptied elsewhere, or never stored), is still kept."""

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


def test_back_to_a_text_never_sent_keeps_it_though_its_draft_was_cleared_elsewhere(
    page, discussion, settings
):
    # Page 2 of the comments puts the draft back; emptied there, the draft is gone, but the
    # page Back returns to still holds the text, never sent: it stays, and nothing says "sent".
    settings.COMMENTS_PER_PAGE = 2
    article, _ = discussion
    page.goto(article.get_absolute_url())
    _comment_field(page).fill("X")
    page.get_by_role("link", name="Later comments").click()
    expect(_comment_field(page)).to_have_value("X")
    _comment_field(page).fill("")
    page.wait_for_load_state("load")

    page.go_back()
    expect(page.get_by_role("link", name="Later comments")).to_be_visible()
    page.wait_for_load_state("load")
    expect(_comment_field(page)).to_have_value("X")
    expect(page.locator("#comment-form")).not_to_contain_text(SENT)
    assert not Comment.objects.filter(body="X").exists()


FILL_THE_TABS_STORAGE = """() => {
  let size = 1 << 20;
  let count = 0;
  while (size >= 1) {
    try {
      sessionStorage.setItem("filler-" + count, "x".repeat(size));
      count += 1;
    } catch (error) {
      size = size >> 1;
    }
  }
  // Room for a little, not for the reader's text.
  for (let i = 0; i < count; i += 1) {
    if (sessionStorage.getItem("filler-" + i).length === 256) {
      sessionStorage.removeItem("filler-" + i);
      break;
    }
  }
}"""


def test_back_to_a_long_text_the_full_storage_could_not_keep_keeps_it(page, article):
    page.goto(article.get_absolute_url())
    page.evaluate(FILL_THE_TABS_STORAGE)
    text = "A long comment the tab had no room for. " * 25
    _comment_field(page).fill(text)
    page.goto("/")
    page.wait_for_load_state("load")

    page.go_back()
    page.wait_for_load_state("load")
    expect(_comment_field(page)).to_have_value(text)
    expect(page.locator("#comment-form")).not_to_contain_text(SENT)
    assert not Comment.objects.exists()
