"""The story form's one-line boxes are as wide as what goes in them, and its byline fits a phone.
The review found the headline, the picture's alt text and the readers' question in 272 px boxes
at 1280 (Django's width for any text field): a headline of 61 letters needs about 413 px, so
the editor proofread it a piece at a time. On a phone the byline's Order and Delete columns sat
past the screen's edge, reached only by scrolling the byline's table sideways."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import PASSWORD, log_in_to_admin
from tests.browser.layout import assert_usable_on_a_phone

pytestmark = pytest.mark.browser

HEADLINE = "Xiaomi aims to mass-produce its electric car as early as 2024"  # 61 letters
ONE_LINE_BOXES = ["Title", "Hero alt text", "Hero caption", "Hero credit", "Question for readers"]


def _open_form(page, article, django_user_model, size):
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.set_viewport_size(size)
    page.goto(f"/admin/articles/article/{article.pk}/change/")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_long_headline_shows_whole_in_its_box(page, article, django_user_model, artifacts, size):
    _open_form(page, article, django_user_model, size)
    for name in ONE_LINE_BOXES:
        # The story's own, before the related links' (each has a "Title" too).
        box = page.get_by_role("textbox", name=re.compile(rf"^{name}:?$")).first
        box.fill(HEADLINE)
        box.evaluate("(input) => input.setSelectionRange(0, 0)")
        sizes = box.evaluate("(input) => [input.scrollWidth, input.clientWidth]")
        if size is DESKTOP:
            assert sizes[0] <= sizes[1], f"{name}: a 61-letter line does not fit: {sizes}"
        # On a phone the box is the screen's width, within it (a headline takes two screens).
        shown = box.bounding_box()
        assert shown["x"] >= 0 and shown["x"] + shown["width"] <= size["width"], (name, shown)
        if size is PHONE:
            assert shown["width"] >= 0.75 * size["width"], (name, shown)
    page.get_by_role("textbox", name=re.compile("^Title:?$")).first.scroll_into_view_if_needed()
    artifacts.screenshot(page, f"form-{size['width']}.png", full_page=True)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


def _byline_on_a_phone(page, article, django_user_model, artifacts, shot: str):
    """The story form's byline on a phone, in view (and in the screenshot `shot`)."""
    _open_form(page, article, django_user_model, PHONE)
    group = page.locator(".inline-group", has=page.get_by_role("heading", name="Byline"))
    group.scroll_into_view_if_needed()
    artifacts.screenshot(page, shot)
    return group


def test_on_a_phone_the_byline_fits_without_sideways_scrolling(
    page, article, django_user_model, artifacts
):
    group = _byline_on_a_phone(page, article, django_user_model, artifacts, "byline-390.png")
    scrolled = group.evaluate(
        """(group) => [group, ...group.querySelectorAll("*")]
            .filter((el) => el.scrollWidth > el.clientWidth + 1
                && getComputedStyle(el).overflowX !== "visible")
            .map((el) => el.tagName + "." + el.className + " " + el.scrollWidth + ">"
                + el.clientWidth)"""
    )
    assert scrolled == [], "the byline scrolls sideways"
    first = group.locator("tbody tr.has_original").first
    for control in [
        first.get_by_role("spinbutton"),
        first.get_by_role("checkbox"),
        first.locator(".select2-selection"),
    ]:
        expect(control).to_be_visible()
        shown = control.bounding_box()
        assert shown["x"] >= 0 and shown["x"] + shown["width"] <= PHONE["width"], shown


def test_each_byline_row_names_its_boxes_and_its_delete_box_takes_a_finger(
    page, article, django_user_model, artifacts
):
    # The review: the Order box said nothing of its own to a screen reader ("spin button"),
    # one like the next in every row, and the Delete box was 13 px on a phone.
    group = _byline_on_a_phone(page, article, django_user_model, artifacts, "boxes-390.png")

    order = group.get_by_role("spinbutton", name="Order of Marta Ribeiro in the byline")
    delete = group.get_by_role("checkbox", name="Delete Marta Ribeiro from the byline")
    expect(order).to_have_count(1)
    expect(delete).to_have_count(1)
    expect(
        group.get_by_role("spinbutton", name="Order of the new name in the byline")
    ).to_have_count(1)
    assert_usable_on_a_phone(order, "the Order box")
    assert_usable_on_a_phone(delete, "the Delete box")
    delete.check()
    expect(delete).to_be_checked()
