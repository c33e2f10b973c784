"""The design of the reading pages, measured in Chromium at 1280 and 390 px: a compact phone
header, enough stories in a phone's first screen, the article's reading column and rail, search
behind a button. Every page is checked with axe, watched for console errors and scrolled for
sideways overflow; screenshots of each go to test-artifacts/browser/ (git-ignored)."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, Section
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.layout import (
    MIN_PHONE_STORIES,
    assert_no_sideways_scroll,
    check_both_widths,
    desktop,
    phone,
    rect,
    stories_in_first_screen,
)

pytestmark = pytest.mark.browser


# --- Lists ----------------------------------------------------------------------------------
def test_home_leads_with_one_story_and_a_grid_and_fits_five_stories_on_a_phone_screen(
    page, newsroom, artifacts, assert_accessible
):
    page.goto("/")
    page.wait_for_load_state("load")
    check_both_widths(page, artifacts, assert_accessible, "home")

    # Desktop: the lead's picture beside its headline, then stories four to a row.
    lead_text, lead_image = rect(page, ".lead-text"), rect(page, ".lead-image")
    assert lead_image["left"] >= lead_text["right"], "the lead picture is not beside its headline"
    tops = page.evaluate(
        """() => [...document.querySelectorAll(".article-list .article-card")]
            .map((card) => Math.round(card.getBoundingClientRect().top))"""
    )
    assert max(tops.count(top) for top in tops) >= 4, f"no row of four stories: {tops}"
    # Dark, bold headlines (not blue underlined links) that are links inside headings.
    headline = page.evaluate(
        """() => {
            const a = document.querySelector("#lead-title a");
            const s = getComputedStyle(a);
            return {weight: s.fontWeight, color: s.color, underline: s.textDecorationLine,
                    size: parseFloat(s.fontSize)};
        }"""
    )
    assert int(headline["weight"]) >= 700 and headline["underline"] == "none", headline
    assert headline["color"] == "rgb(18, 18, 18)", headline
    assert headline["size"] >= 36, headline
    orphans = page.evaluate(
        """() => [...document.querySelectorAll(".article-card a.card-link, .lead-story a")]
            .filter((a) => a.pathname.startsWith("/articles/") && !a.hash)
            .filter((a) => !a.closest("h1, h2, h3, h4, h5, h6")).length"""
    )
    assert orphans == 0
    expect(page.locator(".section-nav a[aria-current=page]")).to_have_text("Home")

    phone(page)
    stories = stories_in_first_screen(page)
    assert len(stories) >= MIN_PHONE_STORIES, f"first phone screen shows {stories}"
    assert stories[0] == newsroom[0].get_absolute_url()


def test_the_lead_storys_picture_opens_the_story_and_its_other_links_still_work(page, newsroom):
    lead = newsroom[0]
    # The lead shows its comment count (and link) only when it has comments.
    type(lead).objects.filter(pk=lead.pk).update(approved_comment_count=3)
    for size in (phone, desktop):
        page.goto("/")
        size(page)
        # Where a reader taps: the middle of the picture, whatever is drawn over it.
        box = page.locator(".lead-image").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(page).to_have_url(re.compile(re.escape(lead.get_absolute_url()) + "$"))

    page.goto("/")
    page.locator(".lead-story .kicker a").click()
    expect(page).to_have_url(re.compile(re.escape(lead.section.get_absolute_url()) + "$"))
    page.goto("/")
    page.locator(".lead-story .comment-link").click()
    expect(page).to_have_url(re.compile(re.escape(lead.get_absolute_url()) + "#comments$"))


def test_section_author_and_tag_pages_list_compact_rows_on_a_phone(
    page, newsroom, artifacts, assert_accessible
):
    page.goto(newsroom[0].section.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Technology")
    expect(page.locator(".section-nav a[aria-current=page]")).to_have_text("Technology")
    check_both_widths(page, artifacts, assert_accessible, "section")

    phone(page)
    stories = stories_in_first_screen(page)
    assert len(stories) >= MIN_PHONE_STORIES + 1, f"first phone screen shows {stories}"
    # Compact rows: the thumbnail sits beside the headline, and the section is not repeated.
    card = page.locator(".article-card").first
    text, image = card.locator(".card-text").bounding_box(), card.locator("img").bounding_box()
    assert image["x"] >= text["x"] + text["width"] and image["width"] <= 120
    expect(card.locator(".kicker")).to_have_count(0)

    # Author and tag pages are drawn in the same system.
    for name, url in (
        ("author", newsroom[0].authors.first().get_absolute_url()),
        ("tag", newsroom[0].tags.first().get_absolute_url()),
    ):
        page.goto(url)
        check_both_widths(page, artifacts, assert_accessible, name)
        phone(page)
        assert len(stories_in_first_screen(page)) >= MIN_PHONE_STORIES, name
        desktop(page)


def test_the_lead_storys_section_link_is_big_enough_to_tap_apart_from_the_story(
    page, newsroom, axe_source
):
    # The section's name above the lead's headline is a link of its own, 14 px tall, on top
    # of the story's link that covers the whole lead: a tap a little off it opened the story.
    # WCAG 2.2's target size (axe's target-size, not among its default rules): 24 px.
    page.goto("/")
    page.evaluate(axe_source)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        box = page.locator(".lead-story .kicker a").bounding_box()
        assert box["height"] >= 24, f"{box['height']:.1f} px tall at {size['width']} px"
        violations = page.evaluate(
            """async () => (await axe.run(document, {runOnly: ["target-size"]})).violations
                .flatMap((v) => v.nodes.map((n) => n.target.join(" ")))"""
        )
        assert not violations, f"too small to tap at {size['width']} px: {violations}"


def test_a_lists_comment_counts_are_never_broken_over_two_lines(page, bylined_newsroom):
    # Two long names after the time push the count to the line's end at some width, where
    # "14" was left there and "comments" went to the next line.
    newsroom = bylined_newsroom
    broken = []
    # The section's cards, and the home page's lead (its count a link) and cards.
    for url in (newsroom[0].section.get_absolute_url(), "/"):
        page.goto(url)
        for width in range(360, 1281, 10):
            page.set_viewport_size({"width": width, "height": 844})
            lines = page.evaluate(
                """() => [...document.querySelectorAll(".card-meta .comment-count")].map((n) =>
                    new Set([...n.getClientRects()].map((r) => Math.round(r.top))).size)"""
            )
            if max(lines) > 1:
                broken.append(f"{url} at {width}")
    assert not broken, f"'14 comments' broken over two lines on {broken} (px wide)"


def test_a_headline_with_a_very_long_word_wraps_instead_of_widening_the_page(
    page, newsroom, tag, add_related
):
    # A real headline of 2013: German's longest word, 63 letters, wider than a phone's column
    # and than the article's rail. As the lead, a card or a story in the rail it pushed the page
    # into scrolling sideways: lists on a phone, every article listing it on a laptop.
    Article.objects.filter(pk=newsroom[0].pk).update(
        title="Germany drops its longest word, "
        "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz"
    )
    add_related(newsroom[1], newsroom[2])  # so the rail's "Latest" lists the story
    urls = ("/", newsroom[0].section.get_absolute_url(), tag.get_absolute_url())
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        for url in (*urls, newsroom[1].get_absolute_url()):
            page.goto(url)
            expect(page.get_by_text("Germany drops its longest word").first).to_be_visible()
            assert_no_sideways_scroll(page, f"{url} at {size['width']}")


def test_on_a_phone_the_current_section_is_in_view_in_the_section_strip(
    page, make_article, section
):
    names = ["Business", "Science", "Culture", "Environment", "Sport"]
    sections = [
        Section.objects.create(name=name, slug=name.lower(), order=n + 2)
        for n, name in enumerate(names)
    ]
    make_article(title="Title race goes to the final weekend", section=sections[-1])
    page.set_viewport_size(PHONE)
    page.goto(sections[-1].get_absolute_url())

    current = page.locator(".section-nav a[aria-current=page]")
    expect(current).to_have_text("Sport")
    box = current.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert_no_sideways_scroll(page, "sport section")


def test_on_a_phone_each_section_tabbed_to_is_clear_of_the_strips_edge_fade(page, make_article):
    # The demo's sections: "Culture" took focus half under the fade, and the strip stayed put.
    for order, name in enumerate(["Business", "Science", "Culture", "Sport"], start=2):
        Section.objects.create(name=name, slug=name.lower(), order=order)
    make_article(title="Title race goes to the final weekend")
    page.set_viewport_size(PHONE)
    page.goto("/")

    links = page.locator(".section-nav a")
    count = links.count()
    links.first.focus()
    # Along the strip with Tab, and back with Shift+Tab.
    for index, key in [(i, "Tab") for i in range(1, count)] + [
        (i, "Shift+Tab") for i in reversed(range(count - 1))
    ]:
        page.keyboard.press(key)
        expect(links.nth(index)).to_be_focused()
        seen = page.evaluate(
            """() => {
                const link = document.activeElement.getBoundingClientRect();
                const strip = document.activeElement.closest("ul").getBoundingClientRect();
                const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
                // The fade over the strip's right edge (site.css: 2.5rem, phones only).
                return {name: document.activeElement.textContent.trim(), left: link.left,
                        right: link.right, start: strip.left, end: strip.right - 2.5 * rem};
            }"""
        )
        # A pixel's grace: the strip scrolls by whole pixels, the links' widths are fractions.
        assert seen["start"] <= seen["left"] and seen["right"] <= seen["end"] + 1, (
            f"{seen['name']} takes focus out of view in the section strip ({key}: {seen})"
        )

    # A tap on the visible part of a section under the fade opens it: the strip does not slide
    # away under the finger.
    page.reload()
    culture = page.locator(".section-nav a", has_text="Culture")
    box = culture.bounding_box()
    assert box["x"] + box["width"] > PHONE["width"], "Culture no longer starts under the fade"
    page.mouse.click(box["x"] + 4, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(r"/section/culture/$"))


def test_on_a_laptop_a_newsroom_with_many_sections_shows_every_one_in_the_strip(page, section):
    names = ["Business", "Science", "Culture", "Environment", "Sport", "Opinion", "Health"]
    names += ["Education", "Politics", "World", "Travel", "Motoring"]
    for order, name in enumerate(names, start=2):
        Section.objects.create(name=name, slug=name.lower(), order=order)
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    expect(page.locator(".section-nav a")).to_have_count(len(names) + 2)
    # Scrolled sideways with no scroll bar, those past the strip's edge were out of a mouse's
    # reach: every one is wholly in view, where a click opens it.
    hidden = page.evaluate(
        """() => Array.from(document.querySelectorAll(".section-nav a")).flatMap((link) => {
            const box = link.getBoundingClientRect();
            const strip = link.closest("ul").getBoundingClientRect();
            const x = box.right - 4, y = box.top + box.height / 2;
            const inView = box.right <= Math.min(strip.right, innerWidth) + 0.5;
            return inView && document.elementFromPoint(x, y) === link ? [] : [link.textContent];
        })"""
    )
    assert hidden == []
    page.locator(".section-nav a", has_text="Motoring").click()
    expect(page).to_have_url(re.compile(r"/section/motoring/$"))


# --- The article --------------------------------------------------------------------------
def test_the_article_reads_in_a_column_with_a_rail_of_related_and_latest_stories(
    page, newsroom, artifacts, assert_accessible
):
    lead = newsroom[0]
    page.goto(lead.get_absolute_url())
    expect(page.locator("h1")).to_have_text(lead.title)
    expect(page.locator(".section-nav a[aria-current]")).to_have_text("Technology")
    check_both_widths(page, artifacts, assert_accessible, "article")

    column, rail = rect(page, ".article-page"), rect(page, ".article-rail")
    assert rail["left"] >= column["right"] + 24, "the rail is not beside the article"
    assert 600 <= column["width"] <= 780, column
    assert rail["top"] < 400, "the rail does not start beside the headline"
    page_width = page.evaluate("() => document.documentElement.clientWidth")
    margins = (column["left"], page_width - rail["right"])
    assert abs(margins[0] - margins[1]) < 2, f"the page is not centred: {margins}"
    rail_box = page.locator(".article-rail")
    expect(rail_box.locator("#related-heading")).to_have_text("Related")
    expect(rail_box.locator("#latest-heading")).to_have_text("Latest")
    expect(rail_box.locator(".latest li")).to_have_count(5)
    expect(rail_box.locator(".latest")).not_to_contain_text(lead.title)
    # Share buttons: each an inline icon and a name, to the network's own page.
    buttons = page.locator(".share-links a")
    expect(buttons).to_have_count(6)
    for n in range(6):
        expect(buttons.nth(n).locator("svg")).to_have_count(1)
    expect(page.get_by_role("link", name="WhatsApp")).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/")
    )
    # The headline appears once in the article (not in the picture's caption as well).
    assert page.locator(".article-page").inner_text().count(lead.title) == 1

    # Phone: the rail follows the article, before the comments.
    phone(page)
    column, rail, comments = (
        rect(page, ".article-page"),
        rect(page, ".article-rail"),
        rect(page, "#comments"),
    )
    assert column["bottom"] <= rail["top"] <= comments["top"]
    share = page.locator(".share-links a").first.bounding_box()
    assert share["width"] >= 44 and share["height"] >= 44, "share buttons too small to tap"


# --- Search --------------------------------------------------------------------------------
def test_on_a_phone_search_opens_from_a_button_and_works_without_javascript(
    page, browser, live_server, newsroom, artifacts, assert_accessible
):
    page.goto("/")
    # Wide screens: the box in the masthead, no button.
    expect(page.locator("button.search-toggle")).to_be_hidden()
    expect(page.locator("header").get_by_role("searchbox", name="Search articles")).to_be_visible()

    phone(page)
    box = page.get_by_role("searchbox", name="Search articles")
    expect(box).to_be_hidden()
    toggle = page.locator("header button.search-toggle")
    expect(toggle).to_have_accessible_name("Search")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")  # closes it, back on the button
    expect(box).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    toggle.click()
    expect(box).to_be_focused()
    artifacts.screenshot(page, "search-open-phone-first-screen.png")
    page.keyboard.type("Xiaomi")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Xiaomi$"))
    expect(page.locator(".search-result")).to_have_count(2)
    check_both_widths(page, artifacts, assert_accessible, "search")

    # Without JavaScript the button is a link to the search page.
    context = browser.new_context(
        java_script_enabled=False, viewport=PHONE, base_url=live_server.url
    )
    try:
        plain = context.new_page()
        plain.goto("/")
        plain.locator(".site-header").get_by_role("link", name="Search").click()
        expect(plain).to_have_url(re.compile(r"/search/$"))
        expect(plain.get_by_role("searchbox").first).to_be_visible()
    finally:
        context.close()


def test_a_wide_table_in_an_article_scrolls_on_a_phone_and_keeps_its_words_whole(
    page, make_article, artifacts, assert_accessible
):
    header = "| Line | Stops | First | Last | Every | Length | Opens | Depot |"
    row = "| Line 28E | 34 stops | 06:00 | 23:45 | 9 minutes | 7.2 km | March 2027 | Belém |"
    article = make_article(body=f"The new timetable:\n\n{header}\n|{'---|' * 8}\n{row}\n")
    page.goto(article.get_absolute_url())
    check_both_widths(page, artifacts, assert_accessible, "article-with-table")

    phone(page)
    frame = page.get_by_role("region", name="Table")
    sizes = frame.evaluate("t => [t.scrollWidth, t.clientWidth]")
    assert sizes[0] > sizes[1], "the table does not scroll inside the column"
    # A table still, for screen readers (a table drawn as a block is not, in some of them).
    assert frame.locator("table").evaluate("t => getComputedStyle(t).display") == "table"
    # Each cell's words stay whole: "9 minutes" takes at most two lines, never one per letter.
    line = page.locator(".article-body td").first.evaluate(
        "td => parseFloat(getComputedStyle(td).lineHeight)"
    )
    for cell in page.locator(".article-body td").all():
        assert cell.bounding_box()["height"] <= 2 * line + 16, cell.inner_text()


# --- The newsroom's article form -------------------------------------------------------------
def test_the_article_form_fits_a_laptop_screen_with_its_related_links(
    page, article, superuser, artifacts
):
    from tests.browser.helpers import log_in_to_admin

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_to_admin(page, "boss")
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    expect(page.get_by_role("heading", name="Related links")).to_be_visible()
    artifacts.screenshot(page, "article-form-1280.png", full_page=True)
    # Every field of a related link, its Delete box too, is on screen without scrolling sideways.
    assert_no_sideways_scroll(page, "article form at 1280")
