"""A reader on a phone with the browser's text size at 200%: every date and time is read whole,
inside its column, wrapping when it is longer than a line rather than running off the page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Each time on the page whose box ends past its column's or the window's right edge (a column
# with overflow: clip cuts it off there; without, the page scrolls sideways).
TIMES_PAST_THE_EDGE = """() => {
    const window_right = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll("time")).flatMap((time) => {
        const box = time.getBoundingClientRect();
        const column = time.closest("p, header, figcaption, li, div").getBoundingClientRect();
        const edge = Math.min(window_right, column.right);
        return box.right > edge + 0.5
            ? [`${time.textContent} ends at ${Math.round(box.right)} px, past ${Math.round(edge)}`]
            : [];
    });
}"""


@pytest.fixture
def discussed_story(article, make_comment):
    from articles.models import Article
    from comments.models import Comment

    first = make_comment(article, name="Priya Nair", status=Comment.Status.APPROVED)
    make_comment(article, name="Lucas Ferreira", parent=first, status=Comment.Status.APPROVED)
    # Updated an hour after it came out: the byline says "Updated …" too.
    Article.objects.filter(pk=article.pk).update(
        approved_comment_count=2, updated_at=article.published_at + timedelta(hours=1)
    )
    return article, first


def test_at_200_percent_text_on_a_phone_every_time_stays_in_its_column(
    page, discussed_story, artifacts
):
    article, comment = discussed_story
    page.set_viewport_size({"width": 360, "height": 740})
    for name, url in (
        # the byline's "Updated …", a comment's and a reply's time in their headers
        ("article", article.get_absolute_url()),
        # the comment quoted above the form, "Priya Nair, 6 Dec 2026, 01:26 UTC"
        ("report", reverse("comments:report", args=[comment.pk])),
    ):
        page.goto(url)
        expect(page.locator("time").first).to_be_attached()
        # The reader's browser setting "text size", as a root font size (CSSOM: the CSP allows
        # it), as tests/browser/test_reader_access.py sets it.
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        artifacts.screenshot(page, f"{name}-200-percent.png", full_page=True)
        assert page.evaluate(TIMES_PAST_THE_EDGE) == [], name
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{name} scrolls sideways ({widths[0]} > {widths[1]})"


def test_at_the_usual_text_size_a_time_still_moves_to_the_next_line_whole(page, discussed_story):
    article, _ = discussed_story
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(article.get_absolute_url())
    expect(page.locator(".byline-updated")).to_contain_text("Updated")
    lines = page.evaluate(
        """() => Array.from(document.querySelectorAll("time")).map(
            (time) => [time.textContent, time.getClientRects().length,
                       Math.round(time.getBoundingClientRect().height
                                  / parseFloat(getComputedStyle(time).lineHeight))])"""
    )
    assert lines
    for text, boxes, rows in lines:
        assert (boxes, rows) == (1, 1), f"{text!r} is broken over lines"


# Each word of a story card's headline that the page draws over two lines or more.
BROKEN_HEADLINE_WORDS = """() => Array.from(document.querySelectorAll(".card-headline")).flatMap(
    (headline) => {
        const text = headline.firstChild.firstChild;  // the headline link's text
        const broken = [];
        for (const word of text.data.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(text, word.index);
            range.setEnd(text, word.index + word[0].length);
            const tops = new Set(Array.from(range.getClientRects(), (box) => Math.round(box.top)));
            if (tops.size > 1) broken.push(`${word[0]} in “${text.data}”`);
        }
        return broken;
    })"""


@pytest.mark.parametrize("listing", ["home", "section"])
def test_at_200_percent_text_on_a_phone_list_headlines_keep_their_words_whole(
    page, newsroom, listing, artifacts
):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/" if listing == "home" else newsroom[0].section.get_absolute_url())
    expect(page.locator(".article-card img").first).to_be_visible()
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    artifacts.screenshot(page, f"{listing}-200-percent.png", full_page=True)
    # The thumbnail beside the headline left it a column two letters wide ("Xia / om / i").
    assert page.evaluate(BROKEN_HEADLINE_WORDS) == []
    card = page.locator(".article-card").first
    text, image = card.locator(".card-text").bounding_box(), card.locator("img").bounding_box()
    assert image["y"] + image["height"] <= text["y"], "the picture goes above the headline"


def test_a_phones_thumbnail_stays_beside_its_headline_whatever_file_a_wider_window_chose(
    page, newsroom
):
    """Turned from landscape, or a window narrowed, keeps the picture a wider layout chose (280
    px at 1280) until the browser picks again: that width must not put it on a line of its own
    above the headline, which drops a phone's first screen from five stories to two."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(newsroom[0].section.get_absolute_url())
    page.evaluate(
        """() => document.querySelectorAll(".article-card source, .article-card img")
            .forEach((element) => element.setAttribute("sizes", "280px"))"""
    )
    card = page.locator(".article-card").first
    expect(card.locator("img")).to_have_js_property("naturalWidth", 280)
    text, image = card.locator(".card-text").bounding_box(), card.locator("img").bounding_box()
    assert image["x"] >= text["x"] + text["width"] and image["width"] <= 120


def test_with_larger_text_on_a_tablet_the_header_search_box_keeps_room_to_type_in(page, article):
    page.set_viewport_size({"width": 768, "height": 900})
    page.goto(article.get_absolute_url())
    name, box = page.locator(".masthead .site-name"), page.locator("#site-search-q")
    # The usual size: the box beside the name, on the masthead's one line.
    assert abs(box.bounding_box()["y"] - name.bounding_box()["y"]) < name.bounding_box()["height"]
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    # It was squeezed to 61 px beside the name, a white square no word fits in.
    assert box.bounding_box()["width"] >= 200
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]


@pytest.mark.parametrize("address", ["/search/?q=battery", "/no-such-page/"])
def test_with_larger_text_on_a_phone_a_pages_search_box_keeps_room_to_type_in(page, watch, address):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(address)
    # The page not found answers 404 on purpose.
    watch.problems[:] = [problem for problem in watch.problems if "/no-such-page/" not in problem]
    box = page.get_by_role("main").get_by_role("searchbox")
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    # Beside its button it was 122 px wide: five letters of what the reader typed.
    assert box.bounding_box()["width"] >= 250
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]
