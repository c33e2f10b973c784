"""The story's body in its change form is a box the size of a story, on a wide screen, a tablet
and a phone: it was Django's box for any long text, 10 rows (120 px high, five lines, on a
tablet or a phone), a story read through a slot. The page never scrolls sideways."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser

TABLET = {"width": 800, "height": 900}


@pytest.mark.parametrize("size", [PHONE, TABLET, DESKTOP], ids=["phone", "tablet", "desktop"])
def test_the_body_box_shows_a_screen_of_the_story(
    page, article, django_user_model, artifacts, size
):
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.set_viewport_size(size)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    body = page.get_by_role("textbox", name="Body")
    body.scroll_into_view_if_needed()
    artifacts.screenshot(page, f"body-{size['width']}.png")

    box = body.bounding_box()
    line = body.evaluate("(field) => parseFloat(getComputedStyle(field).lineHeight)")
    # Most of the screen's height, never less than a dozen lines of it.
    assert box["height"] >= max(12 * line, 0.6 * size["height"]), (box, line)
    # As wide as the form gives it (beside its label on a wide screen), within the screen.
    # To the form's edge, or as wide as a line a writer reads (about 90 letters).
    form = page.locator(".form-row.field-body").bounding_box()
    right = box["x"] + box["width"]
    assert right >= form["x"] + form["width"] - 20 or box["width"] >= 720, (box, form)
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
