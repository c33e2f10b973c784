"""The story form's related links on a phone (390 px): the page does not scroll sideways, and each
box of a saved link and of the empty row for a new one (the story picked, the address, the
title, the order, the paragraph, Delete) is on the screen whole, big enough for a finger and not
covered by anything else."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.helpers import PASSWORD, log_in_to_admin
from tests.browser.layout import assert_no_sideways_scroll, assert_usable_on_a_phone

pytestmark = pytest.mark.browser


def test_on_a_phone_every_box_of_the_related_links_is_usable(
    page, article, make_article, add_related, django_user_model, artifacts
):
    other = make_article(title="Chargers on every street of the old town, and who pays for them")
    add_related(article, other, order=1, in_body=2)
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.set_viewport_size(PHONE)
    page.goto(f"/admin/articles/article/{article.pk}/change/")

    group = page.locator("#related_links-group")
    group.scroll_into_view_if_needed()
    artifacts.screenshot(page, "related-links-390.png", full_page=True)
    assert_no_sideways_scroll(page, "the story form with its related links")
    saved, new = group.locator("#related_links-0"), group.locator("#related_links-1")
    expect(saved.locator(".select2-selection__rendered")).to_contain_text("Chargers on every")
    for row, which in [(saved, "saved link"), (new, "new link")]:
        boxes = {
            "story": row.locator(".select2-selection"),
            "address": row.get_by_role("textbox", name="External URL"),
            "title": row.get_by_role("textbox", name="Title"),
            "order": row.get_by_role("spinbutton", name="Order"),
            "paragraph": row.get_by_role("spinbutton", name="In body after paragraph"),
        }
        if row is saved:
            boxes["delete"] = row.get_by_role("checkbox", name="Delete")
        for name, box in boxes.items():
            expect(box).to_have_count(1)
            assert_usable_on_a_phone(box, f"{which}: {name}")
    assert_no_sideways_scroll(page, "the story form with its related links")
