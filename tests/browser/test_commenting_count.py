"""The live count under the comment box counts as the site does: the blanks at the ends of
the text, which the site drops, are not counted as too many."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import MAX_BODY_LENGTH
from tests.browser.helpers import fill_comment_form

pytestmark = pytest.mark.browser


def _comment_field(page):
    return page.locator("#comment-form").get_by_label(re.compile(r"^\s*Comment\s*\*?\s*$"))


def test_the_count_counts_as_the_site_does_without_the_blanks_at_the_end(page, article):
    page.goto(article.get_absolute_url())
    box = _comment_field(page)
    words = "word " * (MAX_BODY_LENGTH // 5 + 20)  # 100 too many, or 99 without the last blank
    box.fill(words)
    expect(page.locator("#id_body-count")).to_have_text("You have 99 characters too many")

    fill_comment_form(page, name="Maria Lopez", email="maria@example.com", body=words)
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator("#comment-form-errors")).to_contain_text("You have 99 characters too many")
    expect(page.locator("#id_body-count")).to_have_text("You have 99 characters too many")
