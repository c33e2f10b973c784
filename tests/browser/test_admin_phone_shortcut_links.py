"""The story form's small links on a phone (390 px): the shortcuts beside the publish date and
time ("Today", the calendar, "Now", the clock) were each 15 px high, a miss for a finger that
hit the box above or the shortcut beside. Each is now big enough to tap (24 px each way, WCAG
2.2's minimum target size), wholly on the screen and not covered, and still does its work; so are
"Add another Byline" and "Add another Related link" (30 px already, from Django's phone CSS:
guarded here). At 1280 the shortcuts stay beside their box, a line high."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import PASSWORD, log_in_to_admin
from tests.browser.layout import assert_no_sideways_scroll, assert_usable_on_a_phone

pytestmark = pytest.mark.browser


def _open_form(page, article, django_user_model, size):
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.set_viewport_size(size)
    page.goto(f"/admin/articles/article/{article.pk}/change/")


def _shortcuts(page) -> dict:
    """The publish date's and time's shortcut links, by what a person sees or hears."""
    row = page.locator(".form-row.field-published_at")
    return {
        "Today": row.get_by_role("link", name="Today", exact=True),
        "calendar": row.locator("a", has=page.get_by_title("Choose a Date")),
        "Now": row.get_by_role("link", name="Now", exact=True),
        "clock": row.locator("a", has=page.get_by_title("Choose a Time")),
    }


def test_on_a_phone_the_date_shortcuts_and_add_links_are_big_enough_to_tap(
    page, article, django_user_model, artifacts
):
    _open_form(page, article, django_user_model, PHONE)
    targets = {
        **_shortcuts(page),
        "Add another Byline": page.get_by_role("button", name="Add another Byline"),
        "Add another Related link": page.get_by_role("button", name="Add another Related link"),
    }
    page.locator(".form-row.field-published_at").scroll_into_view_if_needed()
    artifacts.screenshot(page, "shortcuts-390.png")
    for name, target in targets.items():
        expect(target).to_have_count(1)
        assert_usable_on_a_phone(target, name)
    assert_no_sideways_scroll(page, "the story form")

    # A tap on each still does its work: the date and time filled, a byline row added.
    date, time = page.locator("#id_published_at_0"), page.locator("#id_published_at_1")
    date.fill("")
    time.fill("")
    targets["Today"].click()
    targets["Now"].click()
    expect(date).not_to_have_value("")
    expect(time).not_to_have_value("")
    bylines = page.locator("#bylines-group .dynamic-bylines")
    before = bylines.count()
    targets["Add another Byline"].click()
    expect(bylines).to_have_count(before + 1)


def test_at_1280_the_shortcuts_stay_beside_their_box(page, article, django_user_model):
    _open_form(page, article, django_user_model, DESKTOP)
    for box_id, names in [
        ("#id_published_at_0", ["Today", "calendar"]),
        ("#id_published_at_1", ["Now", "clock"]),
    ]:
        box = page.locator(box_id).bounding_box()
        for name in names:
            link = _shortcuts(page)[name].bounding_box()
            # On the box's line, after it and near it: not pushed under it nor far away.
            assert link["x"] > box["x"] + box["width"], (name, link, box)
            assert link["x"] < box["x"] + box["width"] + 120, (name, link, box)
            assert link["y"] < box["y"] + box["height"], (name, link, box)
            assert link["y"] + link["height"] > box["y"], (name, link, box)
            assert link["height"] <= 40, (name, link)
    add = page.get_by_role("button", name="Add another Byline").bounding_box()
    assert add["height"] <= 40, add
    assert_no_sideways_scroll(page, "the story form at 1280")
