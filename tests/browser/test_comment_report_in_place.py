"""Reporting a comment with "Something else" and no words: told so next to the box, on the
article with JavaScript, on the report page without it; and the box's label never says
"optional" for words the form then asks for."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Report

pytestmark = pytest.mark.browser

WORDS = re.compile(r"^Anything to add")
NEEDED = "Tell the moderators what is wrong with it."


def test_something_else_without_words_is_told_in_place_next_to_the_box(page, discussion, snap):
    article, _ = discussion
    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Report the comment by Ben").click()
    form = page.locator("#report-form")
    box = form.get_by_label(WORDS)
    expect(form.get_by_text(WORDS)).not_to_contain_text("optional")
    expect(form.get_by_text(WORDS)).to_contain_text("Something else")

    form.get_by_role("radio", name="Something else").check()
    form.get_by_role("button", name="Send report").click()

    # Still the article, the problem said beside the box, the box focused to write in.
    expect(page).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "(#.*)?$"))
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_role("alert")).to_have_text(NEEDED)
    described = (box.get_attribute("aria-describedby") or "").split()
    error_id = form.get_by_role("alert").get_attribute("id")
    assert error_id in described
    assert not Report.objects.exists()
    snap("report-words-needed")

    # Words written, it goes, and the reader lands on the thanks.
    box.fill("It is a copy of another site's article.")
    expect(box).not_to_have_attribute("aria-invalid", "true")
    form.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you: a moderator will look at this comment.")).to_be_visible()
    assert Report.objects.get().text == "It is a copy of another site's article."


def test_another_reason_needs_no_words_in_place(page, discussion):
    article, _ = discussion
    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Report the comment by Ben").click()
    form = page.locator("#report-form")
    form.get_by_role("radio", name="Something else").check()
    form.get_by_role("button", name="Send report").click()
    expect(form.get_by_role("alert")).to_have_text(NEEDED)

    form.get_by_label("Off-topic").check()
    expect(form.get_by_role("alert")).to_have_count(0)
    form.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you: a moderator will look at this comment.")).to_be_visible()
    assert Report.objects.get().reason == Report.Reason.OFF_TOPIC


def test_without_javascript_the_report_page_says_the_words_are_needed_and_focuses_them(
    browser, live_server, discussion
):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        _report_without_words_without_javascript(context.new_page(), discussion)
    finally:
        context.close()


def _report_without_words_without_javascript(page, discussion):
    article, _ = discussion
    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Report the comment by Ben").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Report a comment")
    expect(page.get_by_text(WORDS)).not_to_contain_text("optional")
    page.get_by_role("radio", name="Something else").check()
    page.get_by_role("button", name="Send report").click()

    expect(page).to_have_title(re.compile(r"^Error: Report a comment"))
    box = page.get_by_label(WORDS)
    expect(box).to_be_focused()
    expect(page.get_by_role("alert")).to_have_text(NEEDED)
    expect(page.get_by_role("radio", name="Something else")).to_be_checked()
    assert not Report.objects.exists()


def test_the_report_page_drawn_again_with_a_message_keeps_focus_on_the_field_to_mend(
    page, discussion
):
    # A message still to show (here the thanks for a report sent from elsewhere, its page never
    # opened) is drawn on the next page, the report form sent back with its error: focus stays
    # in the box the page asks to be written in, where it is drawn (autofocus).
    _, threads = discussion
    page.goto(reverse("comments:report", args=[threads[1].pk]))
    token = page.locator("input[name=csrfmiddlewaretoken]").input_value()
    sent = page.request.post(
        reverse("comments:report", args=[threads[2].pk]),
        form={"csrfmiddlewaretoken": token, "reason": Report.Reason.OFF_TOPIC, "text": ""},
        max_redirects=0,
    )
    assert sent.status == 302
    page.get_by_role("radio", name="Something else").check()
    page.get_by_role("button", name="Send report").click()

    expect(page).to_have_title(re.compile(r"^Error: Report a comment"))
    expect(page.locator("main .messages")).to_contain_text("Thank you")
    box = page.get_by_label(WORDS)
    expect(box).to_be_focused()
    page.wait_for_load_state("load")
    expect(box).to_be_focused()
