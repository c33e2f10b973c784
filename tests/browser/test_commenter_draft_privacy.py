"""The draft comments.js keeps is the text alone: a reader's name and e-mail address are never
written to the browser's storage, where the next person at a shared computer could read them
(the browser's own autofill, which its owner controls, offers them again)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import fill_comment_form

pytestmark = pytest.mark.browser


def test_a_kept_draft_holds_the_text_and_not_the_name_or_address(page, article):
    page.goto(article.get_absolute_url())
    fill_comment_form(page, name="Maria Lopez", email="maria@example.com", body="My draft.")

    page.goto("/")
    page.goto(article.get_absolute_url())

    form = page.locator("#comment-form")
    expect(form.get_by_label(re.compile(r"^\s*Comment\s*\*?\s*$"))).to_have_value("My draft.")
    expect(form.get_by_label(re.compile(r"^\s*Name\s*\*?\s*$"))).to_have_value("")
    expect(form.get_by_label(re.compile(r"^\s*E-mail\s*\*?\s*$"))).to_have_value("")
    stored = page.evaluate(
        "() => JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)])"
    )
    assert "My draft." in stored
    assert "maria" not in stored.lower() and "Lopez" not in stored
