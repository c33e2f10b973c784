"""How the reading pages look to a reader on a laptop, a tablet and a phone: headlines in one
weight, lines of a readable length, even spacing between comment threads, a footer that ends the
window on a short page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.browser.conftest import DESKTOP
from tests.browser.layout import rect

pytestmark = pytest.mark.browser

LONG_PARAGRAPH = (
    "Xiaomi, best known for its smartphones, says its electric car is on track. Speaking at a "
    "meeting with investors, chief executive Lei Jun said the company expects to begin mass "
    "production in the first half of next year, and that a second factory is being planned "
    "for the years after that, with suppliers from the phone business lined up to help."
)

# The letters on each line the paragraph is drawn in, found from where each letter lands.
LETTERS_PER_LINE_JS = """(selector) => {
    const lines = new Map();
    const paragraph = document.querySelector(selector);
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const box = range.getClientRects()[0];
            if (!box) continue;
            const top = Math.round(box.top);
            lines.set(top, (lines.get(top) || 0) + 1);
        }
    }
    return [...lines.values()];
}"""


def font_weight(page, selector: str) -> int:
    return int(
        page.evaluate(
            "(s) => getComputedStyle(document.querySelector(s)).fontWeight",
            selector,
        )
    )


def test_search_results_and_the_comment_sections_headings_are_as_bold_as_every_headline(
    page, make_article, make_comment
):
    # Headings drawn a size smaller with Bootstrap's .h4/.h5 came out in its medium weight:
    # search results' headlines, "3 comments", "Add a comment on ..." looked washed out.
    article = make_article(title="Xiaomi will mass-produce its car", slug="xiaomi-car")
    make_comment(article, name="Ana", body="First thoughts.", status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)

    page.goto(reverse("articles:search") + "?q=Xiaomi")
    expect(page.locator(".search-result h2")).to_have_text(article.title)
    assert font_weight(page, ".search-result h2") >= 700

    page.goto(article.get_absolute_url())
    expect(page.locator("#comments-heading")).to_have_text("1 comment")
    assert font_weight(page, "h1") >= 700
    assert font_weight(page, "#comments-heading") >= 700
    assert font_weight(page, "#comment-form-heading") >= 700


@pytest.mark.parametrize("address", ["/search/?q=nothing-like-this", "/no-such-page/"])
def test_on_a_short_page_the_footer_ends_the_window_with_no_white_band_below(page, watch, address):
    page.goto(address)
    # The 404 is the page under test, not a fault of it.
    watch.problems[:] = [problem for problem in watch.problems if "/no-such-page/" not in problem]
    footer = rect(page, ".site-footer")
    assert footer["bottom"] == pytest.approx(DESKTOP["height"], abs=1), footer
    assert page.evaluate("() => document.documentElement.scrollHeight") <= DESKTOP["height"]


def test_the_rule_above_the_footers_last_line_spans_the_footers_text_not_past_it(page):
    page.goto("/")
    legal = rect(page, ".footer-legal")
    about = rect(page, ".footer-about")
    last_column = rect(page, ".site-footer .footer-nav:last-of-type")
    assert legal["left"] == pytest.approx(about["left"], abs=1)
    assert legal["right"] == pytest.approx(last_column["right"], abs=1)


def test_every_comment_thread_ends_as_far_above_the_next_one_whether_or_not_it_has_replies(
    page, discussion
):
    article, threads = discussion
    page.goto(article.get_absolute_url())
    expect(page.locator(".comment-thread")).to_have_count(len(threads))
    gaps = page.evaluate(
        """() => [...document.querySelectorAll(".comment-thread")].map((thread) => {
            const last = thread.lastElementChild.getBoundingClientRect();
            return Math.round(thread.getBoundingClientRect().bottom - last.bottom);
        })"""
    )
    # The first thread has a reply, the others none.
    assert max(gaps) - min(gaps) <= 2, f"space under each thread's last line: {gaps} px"


@pytest.mark.parametrize("width", [1280, 768])
def test_an_articles_lines_are_short_enough_to_read_on_a_laptop_and_a_tablet(
    page, make_article, width
):
    article = make_article(body=LONG_PARAGRAPH + "\n\nSecond paragraph.")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(article.get_absolute_url())
    letters = page.evaluate(LETTERS_PER_LINE_JS, ".article-body p")
    assert len(letters) >= 3
    # Newspapers set 60-75 letters a line; past 80 the eye loses the start of the next one.
    assert max(letters) <= 80, f"letters on each line at {width} px: {letters}"


@pytest.mark.parametrize("width", [1400, 768])
def test_the_lead_storys_standfirst_is_set_in_lines_short_enough_to_read(page, make_article, width):
    # A story with no picture yet (news just in) leads with its text across the whole page.
    make_article(title="Xiaomi car on track", standfirst=LONG_PARAGRAPH)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    expect(page.locator(".lead-standfirst")).to_have_text(LONG_PARAGRAPH)
    letters = page.evaluate(LETTERS_PER_LINE_JS, ".lead-standfirst")
    assert len(letters) >= 3
    assert max(letters) <= 80, f"letters on each line of the lead's standfirst: {letters}"
