"""The breaking-news strip as a reader meets it: under the menu on every page, on a phone too,
one tap from the story; it reads at least 4.5:1 in either scheme, whatever its label; axe
finds nothing serious; it is left off paper."""

import pytest
from playwright.sync_api import expect

from articles.breaking_services import put_up_breaking_news
from articles.models import BreakingNews
from tests.browser.test_reader_dark import assert_readable

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
STRIP = "Xiaomi's chief executive tells investors the car is on track for mass production"


@pytest.fixture
def breaking(article, make_article):
    make_article(title="Another story", slug="another-story")
    return put_up_breaking_news(banner=BreakingNews(text=STRIP, article=article))


def test_a_reader_on_a_phone_opens_the_story_from_the_strip(page, breaking, article):
    page.set_viewport_size(PHONE)
    page.goto("/articles/another-story/")

    strip = page.get_by_role("region", name="Breaking")
    expect(strip).to_be_in_viewport()
    # Under the menu, whole: a long line wraps rather than running off the screen.
    menu = page.get_by_role("navigation", name="Sections", exact=True).bounding_box()
    box = strip.bounding_box()
    assert box["y"] >= menu["y"] + menu["height"] - 1
    assert box["width"] <= PHONE["width"]
    strip.get_by_role("link", name=STRIP).click()

    expect(page).to_have_url(f"{page.url.split('/articles/')[0]}{article.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    expect(page.get_by_role("region", name="Breaking")).to_have_count(0)  # its own page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("label", ["breaking", "developing"])
def test_the_strip_reads_clearly_and_axe_finds_nothing_serious(
    page, breaking, assert_accessible, scheme, label
):
    BreakingNews.objects.filter(pk=breaking.pk).update(label=label)
    page.emulate_media(color_scheme=scheme)
    page.goto("/")
    assert_readable(
        page,
        [".breaking-news-label", ".breaking-news a"],
        f"breaking-news strip, {label}, {scheme}",
    )
    assert_accessible(f"home page with a {label} strip, {scheme}")


def test_the_strip_is_left_off_paper(page, breaking):
    page.goto("/")
    page.emulate_media(media="print")
    expect(page.locator(".breaking-news")).to_be_hidden()
