"""A story's question for readers as a reader meets it: above the comments, "Add your answer"
leads to the form, on a phone too; it reads at least 4.5:1 in either scheme; axe finds nothing
serious on the page."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.browser.test_reader_dark import assert_readable

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
QUESTION = "Should the new bridge carry trams as well as cars? Tell us why."


@pytest.fixture
def asking(make_article, make_comment):
    story = make_article(
        title="Council votes for the new bridge",
        body="\n\n".join(f"Paragraph {n} of the council's long debate." for n in range(10)),
        readers_question=QUESTION,
    )
    for n in range(12):
        make_comment(story, status=Comment.Status.APPROVED, body=f"Comment {n}, at some length.")
    Article.objects.filter(pk=story.pk).update(approved_comment_count=12)
    return story


def test_add_your_answer_leads_a_reader_on_a_phone_to_the_form(page, asking):
    page.set_viewport_size(PHONE)
    page.goto(asking.get_absolute_url())

    question = page.get_by_role("complementary", name="We’d like to hear from you")
    expect(question).to_contain_text(QUESTION)
    form = page.locator("#comment-form")
    question.scroll_into_view_if_needed()
    expect(form).not_to_be_in_viewport()
    question.get_by_role("link", name="Add your answer").click()

    expect(form).to_be_in_viewport()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_question_reads_clearly_and_axe_finds_nothing_serious(
    page, asking, assert_accessible, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(asking.get_absolute_url())
    assert_readable(
        page, [".readers-question-heading", ".readers-question-text"], f"question, {scheme}"
    )
    assert_accessible(f"article asking its readers, {scheme}")


def test_add_your_answer_after_pressing_reply_writes_a_new_comment(page, asking):
    page.goto(asking.get_absolute_url())
    page.get_by_role("link", name="Reply to Reader 1", exact=True).click()
    form = page.locator("#comment-form")
    expect(form.locator("#comment-form-heading")).to_have_text("Reply to Reader 1")

    page.get_by_role("link", name="Add your answer").click()

    # Back at its own place after the comments, as a new comment on the story.
    expect(form.locator("#comment-form-heading")).to_have_text(
        "Add a comment on Council votes for the new bridge"
    )
    expect(page.locator(".comment-thread #comment-form")).to_have_count(0)
    expect(form.locator("input[name=parent]")).to_have_value("")
    expect(form).to_be_in_viewport()
