"""Every column of the article list, readable and named, at every width. Below 1280 px each story
is a card (test_article_list_layout.py): the "live" column had no place in the card's grid and
fell into the checkbox's gutter, "Liv"/"e" one letter pair a line at 1024 and an unnamed "–" under
every card on a phone, so an editor could not tell which stories are followed live. At 1280 the
table ran 51 px past its box, "Comments allowed" cut off."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser

LIST = "/admin/articles/article/"
LAPTOP = {"width": 1024, "height": 800}


@pytest.fixture
def live_and_quiet_stories(make_article, section):
    # A section's name of three words, as the newsroom's longest, takes its room in the table.
    type(section).objects.filter(pk=section.pk).update(name="Science and technology")
    live = make_article(title="Storm reaches the east coast: follow the news as it happens")
    ended = make_article(title="Election night: how the results came in")
    make_article(title="Xiaomi aims to mass-produce its electric car as early as 2024")
    Article.objects.filter(pk=live.pk).update(live_since=timezone.now())
    Article.objects.filter(pk=ended.pk).update(
        live_since=timezone.now(), live_ended_at=timezone.now()
    )


def _open_list(page, django_user_model, size):
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.set_viewport_size(size)
    page.goto(LIST)


def _cells_outside_their_card(page) -> list[str]:
    """Cells of a card not inside its text column (right of the checkbox's gutter), or drawn
    narrower than a short word."""
    return page.evaluate(
        """() => [...document.querySelectorAll("#result_list tbody tr")].flatMap((row) => {
            const tick = row.querySelector("td.action-checkbox").getBoundingClientRect();
            const card = row.getBoundingClientRect();
            return [...row.querySelectorAll(":is(td, th):not(.action-checkbox)")]
                .filter((cell) => {
                    const r = cell.getBoundingClientRect();
                    return r.left < tick.right - 1 || r.right > card.right + 1 || r.width < 48;
                })
                .map((cell) => cell.className + ": " + cell.textContent.trim());
        })"""
    )


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_each_card_says_whether_its_story_is_live(
    page, live_and_quiet_stories, django_user_model, artifacts, size
):
    _open_list(page, django_user_model, size)
    artifacts.screenshot(page, f"articles-{size['width']}.png", full_page=True)

    assert _cells_outside_their_card(page) == []
    for title, state in [("Storm reaches", "Live"), ("Election night", "Ended")]:
        cell = page.locator("#result_list tbody tr", has_text=title).locator(
            "td.field-live_coverage"
        )
        expect(cell).to_be_visible()
        # Named as its column was, for the eye and for a screen reader (the heading is hidden).
        expect(cell).to_have_accessible_name(f"Live coverage: {state}")
        line = cell.evaluate("td => parseFloat(getComputedStyle(td).lineHeight)")
        assert cell.bounding_box()["height"] <= line + 12, "the live column wraps"
    quiet = page.locator("#result_list tbody tr", has_text="Xiaomi").locator(
        "td.field-live_coverage"
    )
    expect(quiet).to_have_accessible_name("Live coverage: –")


def test_at_1280_the_table_fits_its_box_with_every_heading_in_sight(
    page, live_and_quiet_stories, django_user_model, artifacts
):
    _open_list(page, django_user_model, DESKTOP)
    artifacts.screenshot(page, "articles-1280.png", full_page=True)

    results = page.locator(".results").evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert results[0] <= results[1], f"the table runs past its box: {results}"
    headings = page.evaluate(
        """() => {
            const box = document.querySelector(".results").getBoundingClientRect();
            return [...document.querySelectorAll("#result_list thead th")]
                .filter((th) => th.getBoundingClientRect().right > box.right + 1
                    || th.scrollWidth > th.clientWidth + 1)
                .map((th) => th.textContent.trim());
        }"""
    )
    assert headings == []
    for name in ["Live", "Comments allowed", "Published", "Status"]:
        expect(page.locator("#result_list thead").get_by_text(name, exact=True)).to_be_visible()
