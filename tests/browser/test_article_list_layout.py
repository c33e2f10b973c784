"""The article list on a phone (390 px) and a tablet (800): its table ran past its box, the
"published" column and the status cut off, out of sight. As the comment lists do, each story is
a block there, its publication time and status on top; at 1280 a long headline wraps rather
than pushing them out. The page never scrolls sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser

LIST = "/admin/articles/article/"
TABLET = {"width": 800, "height": 900}


@pytest.fixture
def stories(make_article, section):
    section.name = "Science and technology"
    section.save()
    later = timezone.now() + timedelta(days=3)
    return [
        make_article(title="Xiaomi aims to mass-produce its electric car as early as 2024"),
        make_article(title="Battery pack prices fall", status=Article.Status.DRAFT),
        make_article(title="Mars sample return: a date", published_at=later),
        make_article(title="Supercalifragilisticexpialidocious" * 3),
    ]


def _out_of_sight(page) -> list[str]:
    """Status and publication cells not wholly inside the list's box and the screen, or drawn
    too small to read."""
    return page.evaluate(
        """() => {
            const box = document.querySelector(".results").getBoundingClientRect();
            const right = Math.min(box.right, document.documentElement.clientWidth);
            return [...document.querySelectorAll(
                    "#result_list tbody :is(td.field-state, td.field-published)")]
                .filter((cell) => {
                    const r = cell.getBoundingClientRect();
                    return r.width < 40 || r.height < 10 || r.left < box.left || r.right > right;
                })
                .map((cell) => cell.className + ": " + cell.textContent);
        }"""
    )


@pytest.mark.parametrize("size", [PHONE, TABLET, DESKTOP], ids=["phone", "tablet", "desktop"])
def test_the_article_list_shows_each_storys_status_and_time_without_sideways_scroll(
    page, stories, django_user_model, artifacts, size
):
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.set_viewport_size(size)
    page.goto(LIST)
    artifacts.screenshot(page, f"articles-{size['width']}.png", full_page=True)

    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    assert page.locator("#result_list tbody tr").count() == len(stories)
    assert _out_of_sight(page) == []
    row = page.locator("#result_list tbody tr", has_text="Mars sample return")
    expect(row.locator("td.field-state")).to_have_text("Scheduled")
    expect(row.locator("th.field-title a")).to_be_visible()
    if size is PHONE:
        tick = row.locator("input[type=checkbox]").bounding_box()
        assert tick["width"] >= 24 and tick["height"] >= 24, tick
    if size is DESKTOP:  # a table still, its columns named and sortable
        sort = page.locator("#result_list thead").get_by_role("link", name="Published")
        expect(sort).to_be_visible()
