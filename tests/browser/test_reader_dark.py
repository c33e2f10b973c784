"""A reader whose system is set to dark gets a dark page (prefers-color-scheme: the same HTML for
every reader, as the shared caches keep it): text, links, buttons, fields, the comment form and
its errors, the messages, code, quotes and captions at least 4.5:1 on what is behind them, as
measured in Chromium; paper stays light. The focus rings and the controls' borders in the dark
are test_reader_access.py's, run in both schemes."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.browser.helpers import COMMENT_RECEIVED, post_comment
from tests.browser.layout import give_picture
from tests.browser.test_reader_access import BEHIND_JS, contrast

pytestmark = pytest.mark.browser

# WCAG 1.4.3: 4.5:1 for text (what the site holds itself to, large text included).
MIN_TEXT_CONTRAST = 4.5

BODY = (
    "The council met on Monday.\n\n"
    "> We did not expect it, said the mayor.\n\n"
    "Type `bridge --open` to see the plans, or read [the minutes](https://example.com/minutes).\n\n"
    "| Vote | Count |\n|---|---|\n| For | 12 |\n| Against | 9 |\n"
)

# For each visible element a selector finds: its text colour and the first painted background
# behind its text (its own, else its parents').
TEXT_COLOURS_JS = (
    """(selectors) => {
    """
    + BEHIND_JS
    + """
    const painted = (el) => {
        const own = getComputedStyle(el).backgroundColor;
        if (own !== "transparent" && !/rgba\\(.*,\\s*0\\)$/.test(own)) return own;
        return behind(el);
    };
    return selectors.map((selector) => [...document.querySelectorAll(selector)]
        .filter((el) => el.getClientRects().length && el.textContent.trim())
        .map((el) => ({selector, text: el.textContent.trim().slice(0, 40),
                       colour: getComputedStyle(el).color, background: painted(el)})));
}"""
)


def assert_readable(page, selectors: list[str], where: str) -> None:
    found = page.evaluate(TEXT_COLOURS_JS, selectors)
    missing = [
        selector for selector, elements in zip(selectors, found, strict=True) if not elements
    ]
    assert not missing, f"{where}: nothing to measure for {missing}"
    for elements in found:
        for element in elements:
            ratio = contrast(element["colour"], element["background"])
            assert ratio >= MIN_TEXT_CONTRAST, f"{where}: {ratio:.2f}:1 for {element}"


def page_background(page) -> str:
    return page.evaluate("() => getComputedStyle(document.body).backgroundColor")


def dark(colour: str) -> bool:
    return contrast(colour, "rgb(0, 0, 0)") < 1.5


@pytest.fixture
def story(make_article, make_comment):
    article = make_article(
        title="Council votes for the new bridge",
        body=BODY,
        hero_caption="The river where the bridge will stand.",
        hero_credit="Ana Lopes",
        hero_alt="A river at dusk",
    )
    give_picture(article, 0, "hero.jpg")
    make_comment(article, name="Ana", body="About time.", status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    return article


def test_a_dark_system_gets_dark_lists_with_readable_text(page, newsroom, artifacts):
    page.emulate_media(color_scheme="dark")
    page.goto("/")
    assert dark(page_background(page)), page_background(page)
    assert_readable(
        page,
        [
            ".lead-headline a",
            ".lead-standfirst",
            ".kicker",
            ".card-headline a",
            ".card-meta",
            ".card-standfirst",
            ".list-heading",
            ".load-more",
            ".site-footer a",
        ],
        "home",
    )
    artifacts.screenshot(page, "dark-home.png")

    page.goto("/search/?q=story")
    # The words found, as PostgreSQL marks them in a snippet (SQLite's search marks none).
    page.evaluate(
        """() => { const mark = document.createElement("mark"); mark.textContent = "story";
                   document.querySelector(".snippet").append(" ", mark); }"""
    )
    assert_readable(
        page,
        [
            "h1",
            ".result-count",
            ".search-result h2 a",
            ".snippet",
            ".snippet mark",
            "label",
            "main .btn-primary",
        ],
        "search",
    )
    # The words typed in the box, on the box.
    field = page.locator("main input[type=search]")
    colours = field.evaluate(
        "(el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    )
    assert contrast(*colours) >= MIN_TEXT_CONTRAST, colours
    artifacts.screenshot(page, "dark-search.png")


def test_a_dark_system_gets_a_dark_article_with_readable_body_caption_and_comments(
    page, story, artifacts
):
    page.emulate_media(color_scheme="dark")
    page.goto(story.get_absolute_url())
    assert dark(page_background(page)), page_background(page)
    assert_readable(
        page,
        [
            "h1",
            ".article-standfirst",
            ".byline",
            ".byline a",
            ".hero figcaption",
            ".article-body p",
            ".article-body blockquote",
            ".article-body code",
            ".article-body a",
            ".article-body td",
            ".share-button",
            ".comment-author",
            ".comment > header",
            ".comment-body",
            ".reply-link",
            "#comment-form h3",
            "#comment-form label",
            "#comment-form .form-text",
            "#comment-form [type=submit]",
        ],
        "article",
    )
    artifacts.screenshot(page, "dark-article.png", full_page=True)

    # The comment form sent back with errors: the summary, its links and each field's message.
    page.evaluate("() => { document.querySelector('#comment-form').noValidate = true; }")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_readable(
        page,
        [
            ".error-summary h4",
            ".error-summary li",
            ".error-summary a",
            "#comment-form .invalid-feedback",
        ],
        "the comment form's errors",
    )
    artifacts.screenshot(page.locator("#comment-form"), "dark-comment-errors.png")

    # Sent: the success message, and the typed words in the fields before that.
    page.goto(story.get_absolute_url())
    name = page.locator("#comment-form").get_by_label(re.compile(r"^\s*Name\s*\*?\s*$"))
    name.fill("Ben")
    colours = name.evaluate(
        "(el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    )
    assert contrast(*colours) >= MIN_TEXT_CONTRAST, colours
    post_comment(page, name="Ben", email="ben@example.com", body="A fine idea, at last.")
    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED)
    assert_readable(page, [".messages .alert-success"], "the success message")


def test_paper_stays_light_for_a_dark_system(page, story):
    page.emulate_media(media="print", color_scheme="dark")
    page.goto(story.get_absolute_url())
    assert page_background(page) == "rgb(255, 255, 255)"
    ink = page.evaluate("() => getComputedStyle(document.querySelector('.article-body p')).color")
    assert contrast(ink, "rgb(255, 255, 255)") >= 15, ink


def test_a_light_system_keeps_the_light_page(page, story):
    page.emulate_media(color_scheme="light")
    page.goto(story.get_absolute_url())
    assert page_background(page) == "rgb(255, 255, 255)"
    assert page.evaluate("() => getComputedStyle(document.querySelector('h1')).color") == (
        "rgb(18, 18, 18)"
    )


@pytest.mark.parametrize("where", ["home", "article", "search"])
def test_axe_finds_nothing_serious_in_the_dark(page, newsroom, story, assert_accessible, where):
    page.emulate_media(color_scheme="dark")
    url = {"home": "/", "article": story.get_absolute_url(), "search": "/search/?q=story"}
    page.goto(url[where])
    assert_accessible(f"{where}, dark")
