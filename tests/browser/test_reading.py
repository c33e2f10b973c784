"""A reader on the reading site: the home page, "Load more", an article, a related link, search."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from articles.list_pages import PAGE_SIZE
from articles.models import Article
from tests.browser.helpers import release_when_asked, unlabelled_fields

pytestmark = pytest.mark.browser


@pytest.fixture
def newsroom(make_article, add_related):
    """A lead story, two and a half pages of others, and a curated related link."""
    lead = make_article(
        title="Xiaomi will mass-produce its car",
        slug="xiaomi-car",
        standfirst="The phone maker starts a production line near Beijing.",
    )
    others = [make_article() for _ in range(PAGE_SIZE * 2 + PAGE_SIZE // 2)]
    battery = make_article(
        title="Battery prices fall for the third year",
        slug="battery-prices",
        standfirst="Cells are cheaper than ever.",
    )
    add_related(lead, battery)
    return {"lead": lead, "others": others, "battery": battery}


def test_reader_loads_every_page_opens_an_article_follows_a_link_and_searches(
    page, newsroom, snap, assert_accessible
):
    total_cards = len(newsroom["others"]) + 1  # everything but the lead story

    page.goto("/")
    expect(page.locator("#lead-title")).to_have_text("Xiaomi will mass-produce its car")
    # The collected CSS and JavaScript arrived (whitenoise, hashed names): Bootstrap hides the
    # visually-hidden heading, site.css sets the masthead, site.js swaps the pager for a button.
    assert (
        page.evaluate(
            "() => getComputedStyle(document.querySelector('h1.visually-hidden')).position"
        )
        == "absolute"
    )
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('.site-name')).fontWeight")
        == "700"
    )
    cards = page.locator(".article-list .article-card")
    expect(cards).to_have_count(PAGE_SIZE)
    assert unlabelled_fields(page) == []
    snap("home", phone_layout=True)
    assert_accessible("home")

    load_more = page.get_by_role("button", name="Load more")
    clicks = 0
    while load_more.count():
        load_more.click()
        clicks += 1
        expect(cards).to_have_count(min(PAGE_SIZE * (clicks + 1), total_cards))
        # Keyboard users land on the first new headline, at the level of those above it
        # (h3 under "Latest").
        first_new = cards.nth(PAGE_SIZE * clicks).locator("h3 a[href]")
        expect(first_new).to_be_focused()
        assert clicks < 10, "Load more never ran out of pages"
    expect(page.locator(".end-of-list")).to_have_text("No more pages to load")
    expect(cards).to_have_count(total_cards)
    expect(page.locator(".article-list .article-card h2")).to_have_count(0)
    # Everything from page 1 on is shown: no link back to a page already on screen.
    expect(page.get_by_role("link", name="Previous page")).to_have_count(0)
    assert clicks == 2
    expect(cards.last).to_contain_text("Battery prices fall for the third year")
    snap("home-all-loaded", phone_layout=True)

    page.locator("#lead-title").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/articles/xiaomi-car/$"))
    expect(page.locator("h1")).to_have_text("Xiaomi will mass-produce its car")
    expect(page.locator("#comments-heading")).to_have_text("0 comments")
    snap("article", phone_layout=True)
    assert_accessible("article")

    page.locator(".related").get_by_role("link", name="Battery prices fall").click()
    expect(page).to_have_url(re.compile(r"/articles/battery-prices/$"))
    expect(page.locator("h1")).to_have_text("Battery prices fall for the third year")
    snap("related-article", phone_layout=True)

    page.get_by_role("searchbox", name="Search articles").fill("Xiaomi")
    page.get_by_role("searchbox", name="Search articles").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Xiaomi$"))
    expect(page.locator(".result-count")).to_have_text("1 result for “Xiaomi”.")
    result = page.locator(".search-result")
    expect(result).to_have_count(1)
    expect(result.get_by_role("link")).to_have_text("Xiaomi will mass-produce its car")
    assert unlabelled_fields(page) == []
    snap("search", phone_layout=True)
    assert_accessible("search")

    result.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("Xiaomi will mass-produce its car")


def _tab_to(page, predicate_js: str, limit: int = 200) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"Tab never reached the element ({predicate_js})")


def test_reader_can_search_and_load_more_with_the_keyboard_alone(page, newsroom, snap):
    page.goto("/")
    _tab_to(page, "() => document.activeElement.matches('header input[type=search]')")
    page.keyboard.type("battery")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=battery$"))
    expect(page.locator(".search-result")).to_have_count(1)

    page.goto("/")
    _tab_to(page, "() => document.activeElement.textContent.trim() === 'Load more'")
    snap("keyboard-focus-on-load-more")
    page.keyboard.press("Enter")
    cards = page.locator(".article-list .article-card")
    expect(cards).to_have_count(PAGE_SIZE * 2)
    # Focus moved to the first new headline; Enter opens it.
    first_new = cards.nth(PAGE_SIZE).locator("h3 a[href]")
    expect(first_new).to_be_focused()
    title = first_new.inner_text()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(title)


def test_watchdog_sees_a_csp_violation_and_console_errors(page, live_server, watch, make_article):
    """The checks every flow relies on really run under the site's CSP: an inline script is
    blocked and reported, and a console error is caught."""
    make_article()
    page.goto("/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.append(script);
            console.error("deliberate");
        }"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.inlineRan") is None
    assert any("CSP violation of script-src-elem" in p for p in watch.problems), watch.problems
    assert any("deliberate" in p for p in watch.problems), watch.problems
    watch.problems.clear()  # provoked on purpose


def test_a_reader_who_moves_on_while_more_loads_keeps_their_place(page, newsroom):
    held = []
    page.route("**/?page=2", lambda route: held.append(route))
    page.goto("/")
    cards = page.locator(".article-list .article-card")
    page.get_by_role("button", name="Load more").click()
    # A slow connection: the reader goes to search meanwhile and starts typing.
    search = page.locator("#site-search-q")
    search.click()
    page.keyboard.type("batt")
    release_when_asked(page, held, "the next page")
    expect(cards).to_have_count(PAGE_SIZE * 2)

    page.keyboard.type("ery")
    expect(search).to_be_focused()
    expect(search).to_have_value("battery")


def test_copy_link_puts_the_article_s_address_on_the_clipboard_or_says_it_could_not(
    page, article, settings
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Copy link").click()
    expect(page.get_by_role("link", name="Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == (
        settings.SITE_URL + article.get_absolute_url()
    )

    # A browser that refuses (a setting, a page not in front) gets said so, on the page.
    page.add_init_script(
        "navigator.clipboard.writeText = () =>"
        " Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));"
    )
    page.reload()
    page.get_by_role("link", name="Copy link").click()
    expect(
        page.get_by_role("link", name="Could not copy: the link is in the address bar")
    ).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))


def test_a_printed_article_says_which_site_it_came_from_and_leaves_the_furniture_out(
    page, article, approved_comment, settings, snap
):
    page.goto(article.get_absolute_url())
    expect(page.locator(".print-source")).to_be_hidden()  # on screen, the address bar says it

    page.emulate_media(media="print")
    masthead = page.locator(".site-header .site-name")
    expect(masthead).to_be_visible()
    expect(masthead).to_have_text(settings.SITE_NAME)
    # In ink: the navy background stays off paper, so white letters would not print.
    assert (
        page.evaluate(
            "() => getComputedStyle(document.querySelector('.site-header .site-name')).color"
        )
        == "rgb(0, 0, 0)"
    )
    expect(page.locator(".print-source")).to_be_visible()
    expect(page.locator(".print-source")).to_have_text(
        f"{settings.SITE_NAME}: {settings.SITE_URL}{article.get_absolute_url()}"
    )
    expect(page.locator("h1")).to_have_text(article.title)
    expect(page.get_by_text(approved_comment.body)).to_be_visible()  # the comments print
    for furniture in (
        ".site-search",
        ".search-toggle",
        ".section-nav",
        ".site-footer",
        ".share",
        ".article-rail",
        ".comment-form",
        ".end-of-content",
    ):
        expect(page.locator(furniture).first).to_be_hidden()
    snap("article-printed")


def test_an_updated_storys_updated_time_is_never_parted_from_its_label(page, make_article):
    # At 390 px "· Updated" ended the line and its time began the next, read as two things.
    article = make_article(title="Xiaomi may outsource its electric car production")
    Article.objects.filter(pk=article.pk).update(
        updated_at=article.published_at + timedelta(hours=5)
    )
    page.goto(article.get_absolute_url())
    parted = []
    for width in range(320, 1281, 10):
        page.set_viewport_size({"width": width, "height": 844})
        lines = page.evaluate(
            """() => new Set([...document.querySelector(".byline-updated").getClientRects()]
                .map((r) => Math.round(r.top))).size"""
        )
        if lines > 1:
            parted.append(width)
    assert not parted, f"'Updated' and its time on two lines at {parted} px wide"
