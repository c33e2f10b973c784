"""The admin's small icon links on a phone (390 px): the change, add and view icons beside a
select (Django's related-widget wrapper: the story's section, a related link's story picker)
and the ⊗ that takes away a row not saved yet are each big enough for a finger (24 px each way,
WCAG 2.2's minimum target size) and not covered; at 1280 they stay where they were, beside their
select, the page not scrolling sideways."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import PASSWORD, log_in_to_admin
from tests.browser.layout import assert_no_sideways_scroll, assert_usable_on_a_phone

pytestmark = pytest.mark.browser


def _icons(page) -> dict:
    """Every icon link a phone's finger needs on the story's form, by what it does."""
    group = page.locator("#related_links-group")
    return {
        "section: change": page.locator("#change_id_section"),
        "section: add": page.locator("#add_id_section"),
        "section: view": page.locator("#view_id_section"),
        "saved link's story: change": page.locator("#change_id_related_links-0-target_article"),
        "saved link's story: add": page.locator("#add_id_related_links-0-target_article"),
        "saved link's story: view": page.locator("#view_id_related_links-0-target_article"),
        "new link's story: add": page.locator("#add_id_related_links-1-target_article"),
        "new link: remove": group.locator("#related_links-1 .inline-deletelink"),
        "added link: remove": group.locator("#related_links-2 .inline-deletelink"),
        "new byline: remove": page.locator(
            "#bylines-group .dynamic-bylines .inline-deletelink"
        ).last,
    }


def test_on_a_phone_the_icon_links_are_big_enough_to_tap(
    page, article, make_article, add_related, django_user_model, artifacts
):
    other = make_article(title="Chargers on every street of the old town, and who pays for them")
    add_related(article, other, order=1)
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.set_viewport_size(PHONE)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.get_by_role("button", name="Add another Related link").click()
    page.get_by_role("button", name="Add another Byline").click()

    artifacts.screenshot(page, "icon-links-390.png", full_page=True)
    for name, icon in _icons(page).items():
        expect(icon).to_have_count(1)
        assert_usable_on_a_phone(icon, name)
    assert_no_sideways_scroll(page, "the story form")


def test_at_1280_the_icon_links_stay_beside_their_select(
    page, article, make_article, add_related, django_user_model
):
    add_related(article, make_article(title="Chargers on every street"), order=1)
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.set_viewport_size(DESKTOP)
    page.goto(f"/admin/articles/article/{article.pk}/change/")

    section = page.locator("#id_section").bounding_box()
    change = page.locator("#change_id_section").bounding_box()
    # On the select's line, just after it: not pushed under it nor far away.
    assert change["x"] > section["x"] + section["width"]
    assert change["x"] < section["x"] + section["width"] + 40
    assert change["y"] < section["y"] + section["height"]
    assert change["y"] + change["height"] > section["y"]
    assert_no_sideways_scroll(page, "the story form at 1280")
