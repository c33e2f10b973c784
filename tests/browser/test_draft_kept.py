"""A comment being written survives leaving the page and an outage on the way: back on the
article, the text is in the form again, until the page says the comment arrived."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.helpers import COMMENT_RECEIVED, fill_comment_form

pytestmark = pytest.mark.browser

RESTORED = "Your unsent comment was restored."
# What the proxy answers when the site behind it does not (deploy/newsportal.vcl.in).
PROXY_OUTAGE_PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Back in a moment'
    "</title></head>\n<body><h1>Back in a moment</h1><p>The site is not answering right now. "
    "Please try again in a few seconds.</p></body></html>\n"
)


def _comment_field(page):
    return page.locator("#comment-form").get_by_label(re.compile(r"^\s*Comment\s*\*?\s*$"))


def test_a_comment_lost_to_an_outage_is_in_the_form_again_until_it_is_sent(
    page, article, watch, snap
):
    body = "Prices will fall <b>before</b> the launch & after it.\n\nSecond thought."
    page.goto(article.get_absolute_url())
    fill_comment_form(page, name="Maria Lopez", email="maria@example.com", body=body)

    # Reloaded before sending: nothing lost.
    page.reload()
    expect(_comment_field(page)).to_have_value(body)
    expect(page.locator("#comment-form").get_by_role("status")).to_have_text(RESTORED)

    # Sent into an outage: the proxy's own error page, which knows nothing of the text. It names
    # no icon, so the browser asks for /favicon.ico, which the site does not serve: not the
    # matter here.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.route(
        f"**/comments/post/{article.pk}/**",
        lambda route: route.fulfill(status=503, body=PROXY_OUTAGE_PAGE, content_type="text/html"),
    )
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_role("heading", name="Back in a moment")).to_be_visible()
    assert not Comment.objects.exists()

    # Back at the article (a link, not the browser's history): the text is there.
    page.unroute(f"**/comments/post/{article.pk}/**")
    page.goto("/")
    page.goto(article.get_absolute_url())
    expect(_comment_field(page)).to_have_value(body)
    expect(page.locator("#comment-form").get_by_role("status")).to_have_text(RESTORED)
    snap("draft-restored")

    # Sent for real: the draft is gone with it, a reload shows an empty form.
    fill_comment_form(page, name="Maria Lopez", email="maria@example.com", body=body)
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator("#comments .messages .alert-success")).to_have_text(COMMENT_RECEIVED)
    assert Comment.objects.get().body == body
    # The landing's own script is what learns the post arrived: a reload that aborts it (CI
    # once reloaded while comments.js was still loading) is not this test's reader.
    page.wait_for_load_state("load")
    page.reload()
    expect(page.locator(".messages")).to_have_count(0)
    expect(_comment_field(page)).to_have_value("")
    expect(page.locator(".comment-draft-note")).to_have_count(0)

    # The outage page was answered on purpose (and only it failed).
    outage = [problem for problem in watch.problems if "503" in problem]
    assert outage
    watch.problems = [problem for problem in watch.problems if problem not in outage]


def test_a_reload_before_the_landing_s_script_ran_does_not_bring_the_sent_comment_back(
    page, article, watch
):
    body = "Sent once, and only once."
    page.goto(article.get_absolute_url())
    fill_comment_form(page, name="Maria Lopez", email="maria@example.com", body=body)
    # The reader reloads while the landing's script is still on its way: it never runs there.
    page.route("**/js/comments*.js", lambda route: route.abort())

    page.get_by_role("button", name="Send comment").click()
    expect(page.locator("#comments .messages .alert-success")).to_have_text(COMMENT_RECEIVED)
    page.unroute("**/js/comments*.js")
    page.reload()

    assert Comment.objects.get().body == body
    expect(page.locator("#comment-form")).to_be_visible()
    page.wait_for_load_state("load")
    expect(_comment_field(page)).to_have_value("")
    expect(page.locator(".comment-draft-note")).to_have_count(0)
    watch.problems = [problem for problem in watch.problems if "comments" not in problem]


def test_a_comment_emptied_by_the_reader_is_not_put_back(page, article):
    page.goto(article.get_absolute_url())
    _comment_field(page).fill("Second thoughts: better not.")
    page.reload()
    expect(_comment_field(page)).to_have_value("Second thoughts: better not.")

    _comment_field(page).fill("")
    page.reload()
    expect(_comment_field(page)).to_have_value("")
    expect(page.locator(".comment-draft-note")).to_have_count(0)


def test_a_report_sent_meanwhile_does_not_take_the_comment_being_written(page, discussion):
    # The report's thanks are a success message at the comments too: not the comment's.
    article, _ = discussion
    page.goto(article.get_absolute_url())
    _comment_field(page).fill("Still thinking about this one.")

    page.get_by_role("link", name="Report the comment by Ben").click()
    page.get_by_label("Off-topic").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you: a moderator will look at this comment.")).to_be_visible()

    expect(_comment_field(page)).to_have_value("Still thinking about this one.")
    expect(page.locator("#comment-form").get_by_role("status")).to_have_text(RESTORED)


def test_a_comment_whose_post_was_stopped_is_kept_through_a_report_s_thanks(page, discussion):
    # The reader stops the post on its way (the browser's Stop: the page stays), then reports
    # a comment: the thanks are a success at the comments, but their comment never arrived.
    article, _ = discussion
    stopped = []

    def stop(route):
        stopped.append(route.request.url)
        route.abort("aborted")

    page.goto(article.get_absolute_url())
    fill_comment_form(page, name="Maria Lopez", email="maria@example.com", body="Stopped text.")
    page.route(f"**/comments/post/{article.pk}/**", lambda route: stop(route))
    page.get_by_role("button", name="Send comment").click()
    for _ in range(100):
        if stopped:
            break
        page.wait_for_timeout(50)
    assert stopped, "the post never left"
    page.unroute(f"**/comments/post/{article.pk}/**")

    page.get_by_role("link", name="Report the comment by Ben").click()
    page.get_by_label("Off-topic").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you: a moderator will look at this comment.")).to_be_visible()

    assert not Comment.objects.filter(body="Stopped text.").exists()
    expect(_comment_field(page)).to_have_value("Stopped text.")
    expect(page.locator("#comment-form").get_by_role("status")).to_have_text(RESTORED)


def test_a_reply_being_written_comes_back_under_the_comment_it_answers(page, discussion):
    article, (_, ben, _) = discussion
    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Reply to Ben").click()
    # As a reader does: types once the form answers Ben (and the page is whole), and leaves
    # once what they typed is kept in the tab (a CI run once left with nothing kept).
    expect(page.locator("#comment-form-heading")).to_have_text("Reply to Ben")
    page.wait_for_load_state("load")
    _comment_field(page).fill("Reviews took a year last time.")
    page.wait_for_function("() => window.sessionStorage.length > 0")

    page.goto("/")
    page.goto(article.get_absolute_url())

    expect(page.locator("#comment-form-heading")).to_have_text("Reply to Ben")
    expect(page.locator("#comment-form input[name=parent]")).to_have_value(str(ben.pk))
    expect(_comment_field(page)).to_have_value("Reviews took a year last time.")
    expect(page.locator("#comment-form").get_by_role("status")).to_have_text(
        "Your unsent reply was restored."
    )
    # Under Ben's comment, where the reader left it.
    thread = page.locator(".comment-list > li", has=page.locator(f"#comment-{ben.pk}"))
    expect(thread.locator("> #comment-form")).to_have_count(1)
