"""The design, measured in Chromium at 1280 and 390 px: a compact phone header, enough stories in
a phone's first screen, the article's reading column and rail, search behind a button, landing
at the comments after posting, and the reply form under the comment it answers. Every page is
checked with axe, watched for console errors and scrolled for sideways overflow; screenshots of
each go to test-artifacts/browser/ (git-ignored)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from articles.models import Article, Section
from articles.services import refresh_hero_renditions
from comments.models import Comment
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import COMMENT_RECEIVED, fill_comment_form

pytestmark = pytest.mark.browser

MAX_PHONE_HEADER = 120
MIN_PHONE_STORIES = 5

TITLES = [
    "Xiaomi aims to mass-produce its electric car as early as 2024",
    "Xiaomi may outsource its electric car production",
    "Battery pack prices fall for a third year",
    "Fast-charging network doubles along motorways",
    "Smartphone sales recover in the third quarter",
    "Self-driving taxis begin a trial in the city centre",
    "New chip plant promises 2,000 jobs",
    "Mars sample return mission faces new delay",
    "Summer heat sets a record across southern Europe",
    "Coral reef shows surprising signs of recovery",
    "Protected cycle lanes reach the suburbs",
    "New rules make phones easier to repair",
    "Wind farms deliver a record share of power",
]
COLOURS = [(23, 63, 122), (120, 40, 30), (30, 100, 70), (90, 90, 100), (140, 100, 20)]


def _picture(n: int) -> SimpleUploadedFile:
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 675), COLOURS[n % len(COLOURS)]).save(buffer, "JPEG")
    return SimpleUploadedFile(f"hero-{n}.jpg", buffer.getvalue())


@pytest.fixture
def newsroom(make_article, add_related, tag):
    """A front page's worth of stories with pictures, the lead first; curated related links."""
    articles = []
    for n, title in enumerate(TITLES):
        article = make_article(
            title=title,
            slug=f"story-{n}",
            tags=[tag],
            standfirst="Readers get the gist of the story from this sentence before they click.",
            hero_alt=f"Photograph for story {n}",
        )
        article.hero_image.save(f"hero-{n}.jpg", _picture(n), save=True)
        refresh_hero_renditions(article=article)
        articles.append(article)
    add_related(articles[0], articles[1])
    add_related(articles[0], articles[2])
    return articles


@pytest.fixture
def discussion(make_article, make_comment):
    """An article with three approved threads, the first with a reply."""
    article = make_article(title="Xiaomi will mass-produce its car", slug="xiaomi-car")
    approved = {"status": Comment.Status.APPROVED}
    threads = [
        make_comment(article, name="Ana", body="First thoughts on the car.", **approved),
        make_comment(article, name="Ben", body="I would wait for reviews.", **approved),
        make_comment(article, name="Chloe", body="Prices will decide it.", **approved),
    ]
    make_comment(article, name="Dev", body="Agreed.", parent=threads[0], **approved)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=4)
    return article, threads


# --- Measuring --------------------------------------------------------------------------------
def _phone(page):
    page.set_viewport_size(PHONE)
    page.evaluate("() => window.scrollTo(0, 0)")


def _desktop(page):
    page.set_viewport_size(DESKTOP)
    page.evaluate("() => window.scrollTo(0, 0)")


def _rect(page, selector: str) -> dict:
    return page.evaluate(
        """(selector) => {
            const r = document.querySelector(selector).getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                    width: r.width, height: r.height};
        }""",
        selector,
    )


def _assert_compact_phone_header(page, name: str) -> None:
    """The page's header element, measured at the top of the page on a 390x844 phone."""
    assert page.evaluate("() => window.scrollY") == 0
    header = page.evaluate(
        """() => {
            const h = document.querySelector("header, [role=banner]");
            const r = h.getBoundingClientRect();
            return {top: r.top, height: r.height, banner: h.closest("main, article") === null};
        }"""
    )
    assert header["banner"], f"{name}: the first header is not the page's banner"
    assert header["top"] == 0, f"{name}: the header is not at the top of the page"
    assert header["height"] <= MAX_PHONE_HEADER, (
        f"{name}: the phone header is {header['height']:.0f} px tall "
        f"(at most {MAX_PHONE_HEADER} px)"
    )


def _assert_no_sideways_scroll(page, name: str) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{name}: scrolls sideways ({widths[0]} > {widths[1]})"


def _stories_in_first_screen(page) -> list[str]:
    """Headline links (links inside h1-h6 to an article) wholly inside the first screen."""
    return page.evaluate(
        """() => {
            const seen = new Set();
            for (const a of document.querySelectorAll(
                    "main :is(h1, h2, h3, h4, h5, h6) a[href*='/articles/']")) {
                const r = a.getBoundingClientRect();
                const shown = r.width > 0 && r.height > 0;
                if (shown && r.top >= 0 && r.bottom <= window.innerHeight) seen.add(a.pathname);
            }
            return [...seen];
        }"""
    )


def _screens(page, artifacts, name: str) -> None:
    """The first screen at both widths, and the whole page at both: for a person to look at."""
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=artifacts.path(f"{name}-{label}-first-screen.png"))
        page.screenshot(path=artifacts.path(f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def _check_both_widths(page, artifacts, assert_accessible, name: str) -> None:
    _screens(page, artifacts, name)
    _desktop(page)
    assert_accessible(f"{name} at 1280")
    _phone(page)
    _assert_compact_phone_header(page, name)
    _assert_no_sideways_scroll(page, name)
    assert_accessible(f"{name} at 390")
    _desktop(page)


# --- Lists ----------------------------------------------------------------------------------
def test_home_leads_with_one_story_and_a_grid_and_fits_five_stories_on_a_phone_screen(
    page, newsroom, artifacts, assert_accessible
):
    page.goto("/")
    page.wait_for_load_state("load")
    _check_both_widths(page, artifacts, assert_accessible, "home")

    # Desktop: the lead's picture beside its headline, then stories four to a row.
    lead_text, lead_image = _rect(page, ".lead-text"), _rect(page, ".lead-image")
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

    _phone(page)
    stories = _stories_in_first_screen(page)
    assert len(stories) >= MIN_PHONE_STORIES, f"first phone screen shows {stories}"
    assert stories[0] == newsroom[0].get_absolute_url()


def test_section_author_and_tag_pages_list_compact_rows_on_a_phone(
    page, newsroom, artifacts, assert_accessible
):
    page.goto(newsroom[0].section.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Technology")
    expect(page.locator(".section-nav a[aria-current=page]")).to_have_text("Technology")
    _check_both_widths(page, artifacts, assert_accessible, "section")

    _phone(page)
    stories = _stories_in_first_screen(page)
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
        _check_both_widths(page, artifacts, assert_accessible, name)
        _phone(page)
        assert len(_stories_in_first_screen(page)) >= MIN_PHONE_STORIES, name
        _desktop(page)


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
    _assert_no_sideways_scroll(page, "sport section")


# --- The article --------------------------------------------------------------------------
def test_the_article_reads_in_a_column_with_a_rail_of_related_and_latest_stories(
    page, newsroom, artifacts, assert_accessible
):
    lead = newsroom[0]
    page.goto(lead.get_absolute_url())
    expect(page.locator("h1")).to_have_text(lead.title)
    expect(page.locator(".section-nav a[aria-current]")).to_have_text("Technology")
    _check_both_widths(page, artifacts, assert_accessible, "article")

    column, rail = _rect(page, ".article-page"), _rect(page, ".article-rail")
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
    _phone(page)
    column, rail, comments = (
        _rect(page, ".article-page"),
        _rect(page, ".article-rail"),
        _rect(page, "#comments"),
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

    _phone(page)
    box = page.get_by_role("searchbox", name="Search articles")
    expect(box).to_be_hidden()
    toggle = page.locator("header button.search-toggle")
    expect(toggle).to_have_accessible_name("Search")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(box).to_be_focused()
    page.screenshot(path=artifacts.path("search-open-phone-first-screen.png"))
    page.keyboard.type("Xiaomi")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Xiaomi$"))
    expect(page.locator(".search-result")).to_have_count(2)
    _check_both_widths(page, artifacts, assert_accessible, "search")

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


# --- Comments ------------------------------------------------------------------------------
def _post(page, *, name: str, body: str) -> None:
    fill_comment_form(page, name=name, email=f"{name.lower()}@example.com", body=body)
    page.get_by_role("button", name="Send comment").click()


def _wait_for_scrolling_to_stop(page) -> None:
    # Scrolling to a fragment is smooth (Bootstrap's reboot): measure where it ends.
    page.evaluate(
        """() => new Promise((resolve) => {
            let last = -1;
            const tick = () => {
                if (window.scrollY === last) return resolve();
                last = window.scrollY;
                setTimeout(tick, 150);
            };
            tick();
        })"""
    )


def _assert_landed_at_the_comments(page, name: str) -> None:
    expect(page).to_have_url(re.compile(r"#comments$"))
    success = page.locator("#comments .messages .alert-success")
    expect(success).to_have_text(COMMENT_RECEIVED)
    _wait_for_scrolling_to_stop(page)
    comments = _rect(page, "#comments")
    assert 0 <= comments["top"] <= 40, f"{name}: the comments start at {comments['top']:.0f} px"
    promise = _rect(page, "#comments .messages")
    viewport = page.evaluate("() => window.innerHeight")
    assert promise["bottom"] <= viewport, f"{name}: the promise is below the first screen"


def test_after_posting_the_reader_lands_at_the_comments_with_the_promise_there(
    page, newsroom, artifacts, assert_accessible
):
    article = newsroom[0]
    page.goto(article.get_absolute_url())
    _post(page, name="Maria", body="Posted on a wide screen.")
    _assert_landed_at_the_comments(page, "desktop")
    page.screenshot(path=artifacts.path("comment-sent-desktop-first-screen.png"))
    assert_accessible("comment sent at 1280")

    page.set_viewport_size(PHONE)
    page.goto(article.get_absolute_url())
    _post(page, name="Nuno", body="Posted on a phone.")
    _assert_landed_at_the_comments(page, "phone")
    page.screenshot(path=artifacts.path("comment-sent-phone-first-screen.png"))
    _assert_no_sideways_scroll(page, "comment sent on a phone")
    assert_accessible("comment sent at 390")
    page.evaluate("() => window.scrollTo(0, 0)")
    _assert_compact_phone_header(page, "comment sent")
    page.screenshot(path=artifacts.path("comment-sent-phone.png"), full_page=True)
    assert Comment.objects.count() == 2


def _thread_of(page, comment_id: int):
    return page.locator(".comment-list > li", has=page.locator(f"#comment-{comment_id}"))


def _assert_form_under(page, comment_id: int, name: str, *, scripts=True) -> None:
    thread = _thread_of(page, comment_id)
    expect(thread.locator("> #comment-form")).to_have_count(1)
    # Measured in one go, where the page is scrolled does not matter; the wait only keeps the
    # screenshots steady, and needs timers (not run on a page without JavaScript).
    if scripts:
        _wait_for_scrolling_to_stop(page)
    comment, form, later = page.evaluate(
        """(id) => {
            const comment = document.getElementById("comment-" + id);
            const next = comment.closest(".comment-list > li").nextElementSibling;
            const form = document.getElementById("comment-form");
            return [comment, form, next].map((el) => el && el.getBoundingClientRect().toJSON());
        }""",
        comment_id,
    )
    assert comment["bottom"] <= form["top"] <= comment["bottom"] + 80, (
        f"{name}: the form is not right under the comment ({comment} / {form})"
    )
    if later is not None:
        assert form["bottom"] <= later["top"], f"{name}: the form runs into the next thread"


def test_reply_opens_the_form_under_the_comment_it_answers(
    page, discussion, artifacts, assert_accessible
):
    article, (_, ben, chloe) = discussion
    page.goto(article.get_absolute_url())
    reply = page.get_by_role("link", name="Reply to Ben")
    assert reply.inner_text().startswith("Reply")
    expect(page.locator(".comment-list > li .reply-link")).to_have_count(3)

    # By keyboard: Enter on the control opens the form there, focus in its first field.
    reply.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#comment-form-heading")).to_have_text("Reply to Ben")
    expect(page.locator("#id_name")).to_be_focused()
    _assert_form_under(page, ben.pk, "desktop")
    expect(page.locator("#comment-form input[name=parent]")).to_have_value(str(ben.pk))
    _check_both_widths(page, artifacts, assert_accessible, "reply")
    _phone(page)
    page.locator("#comment-form").scroll_into_view_if_needed()
    _assert_form_under(page, ben.pk, "phone")
    page.screenshot(path=artifacts.path("reply-phone-at-the-form.png"))
    _desktop(page)

    # Cancel puts the form back after the comments and focus back on the control.
    page.get_by_role("button", name="Cancel reply").click()
    expect(page.locator("#comment-form-heading")).to_have_text(
        "Add a comment on Xiaomi will mass-produce its car"
    )
    expect(page.locator("#comments > #comment-form")).to_have_count(1)
    expect(reply).to_be_focused()
    expect(page.locator("#comment-form input[name=parent]")).to_have_value("")

    # Another comment's control moves it there; the reply is sent as an answer to that one.
    page.get_by_role("link", name="Reply to Chloe").click()
    _assert_form_under(page, chloe.pk, "desktop")
    _post(page, name="Maria", body="Prices decide everything.")
    _assert_landed_at_the_comments(page, "reply sent")
    assert Comment.objects.get(body="Prices decide everything.").parent_id == chloe.pk


def test_a_page_drawn_to_answer_a_comment_opens_its_form_under_that_comment(page, discussion):
    article, (ana, *_) = discussion
    page.goto(f"{article.get_absolute_url()}?reply-to={ana.pk}#comment-form")

    expect(page.locator("#comment-form-heading")).to_have_text("Reply to Ana")
    _assert_form_under(page, ana.pk, "drawn to answer")
    expect(page.get_by_role("link", name="Write a new comment instead")).to_be_hidden()
    page.get_by_role("button", name="Cancel reply").click()
    expect(page.locator("#comments > #comment-form")).to_have_count(1)
    expect(page.locator("#comment-form input[name=parent]")).to_have_value("")


def test_without_javascript_reply_draws_the_form_set_to_answer(browser, live_server, discussion):
    article, (ana, *_) = discussion
    context = browser.new_context(
        java_script_enabled=False, viewport=PHONE, base_url=live_server.url
    )
    context.set_default_timeout(5_000)
    try:
        page = context.new_page()
        page.goto(article.get_absolute_url())
        page.get_by_role("link", name="Reply to Ana").click()
        expect(page).to_have_url(re.compile(rf"\?reply-to={ana.pk}#comment-form$"))
        expect(page.locator("#comment-form-heading")).to_have_text("Reply to Ana")
        expect(page.locator("#comment-form input[name=parent]")).to_have_value(str(ana.pk))
        # Under the comment it answers, not after the whole thread list.
        _assert_form_under(page, ana.pk, "without JavaScript", scripts=False)
        expect(page.locator("#comments > #comment-form")).to_have_count(0)
        expect(page.get_by_role("link", name="Write a new comment instead")).to_be_visible()
    finally:
        context.close()
