"""What a commenter's private pages tell them after Save is where their focus is: the message
on the status page ("updated", "Nothing changed"), and the edit page's errors, which are an
alert and put "Error:" in the page's title. Focus left on <body> made a screen reader start
the page from the top, past the message it was drawn with and never announced."""

import re

import pytest
from playwright.sync_api import expect

from comments.commenter_services import EMPTY_EDIT
from comments.models import Comment

pytestmark = pytest.mark.browser


def _edit_page(page, comment):
    page.goto(comment.status_url)
    page.get_by_role("link", name="Edit", exact=True).click()
    return page.get_by_label(re.compile(r"^\s*Your comment"))


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("The first try, fixed.", "Your comment is updated."),
        ("The first try.", "Nothing changed: your comment is as it was."),
    ],
    ids=["new words", "same words"],
)
def test_after_save_the_status_pages_message_has_the_focus(
    page, article, make_comment, typed, said
):
    comment = make_comment(article, body="The first try.")
    _edit_page(page, comment).fill(typed)

    page.get_by_role("button", name="Save changes").click()

    messages = page.locator(".messages")
    expect(messages).to_contain_text(said)
    expect(messages).to_be_focused()
    page.wait_for_load_state("load")
    expect(messages).to_be_focused()


def test_an_empty_box_is_said_in_a_focused_alert_and_the_title(page, article, make_comment):
    comment = make_comment(article, body="The first try.")
    _edit_page(page, comment).fill("")

    page.get_by_role("button", name="Save changes").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(EMPTY_EDIT)
    expect(alert).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    # Its link leads to the box, to write in.
    alert.get_by_role("link", name="Your comment").click()
    expect(page.get_by_label(re.compile(r"^\s*Your comment"))).to_be_focused()


def test_an_edit_refused_as_comments_closed_is_a_focused_alert(page, article, make_comment, watch):
    comment = make_comment(article, body="The first try.")
    box = _edit_page(page, comment)
    box.fill("Late words")
    type(article).objects.filter(pk=article.pk).update(comments_enabled=False)

    page.get_by_role("button", name="Save changes").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This comment can no longer be edited.")
    expect(alert).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert Comment.objects.get().body == "The first try."
    # The refusal is a 403, as it should be: expected here, not a problem of the page.
    refused = [problem for problem in watch.problems if "403" in problem and "/edit/" in problem]
    assert refused, watch.problems
    watch.problems[:] = [problem for problem in watch.problems if problem not in refused]
