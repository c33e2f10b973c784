"""The meta lines ("Ana · 4 Dec 2026, 13:54 UTC", "4 Dec 2026 · Maria · 14 comments") as a
reader sees them when they wrap: the "·" between two items never ends a line, away from what it
comes before, nor starts one, leading to nothing. So too the other lines with a "·" between
their items: the footer's, a search result's, a section's feed links, the signed-in bar's links."""

import pytest

from articles.models import Article, Section
from comments.models import Comment
from tests.browser.helpers import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser

PHONE_375 = {"width": 375, "height": 812}

# Every line of every box the selector finds, as the characters a reader sees on it: what lies
# outside the box counts only where the box does not clip it.
LINES_OF = """(selector) => [...document.querySelectorAll(selector)].flatMap((box) => {
    if (!box.getClientRects().length) return [];
    const style = getComputedStyle(box);
    const clips = style.overflowX !== "visible" || style.clipPath !== "none";
    const edge = box.getBoundingClientRect();
    // A clip may leave a margin around the box (room for focus outlines): drawn there is seen.
    const slack = style.overflowX === "clip" ? parseFloat(style.overflowClipMargin) || 0 : 0;
    const seen = [];
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.data.length; i++) {
            if (!node.data[i].trim()) continue;
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const r = range.getBoundingClientRect();
            if (!r.width && !r.height) continue;
            if (clips && (r.right <= edge.left - slack || r.left >= edge.right + slack)) continue;
            seen.push({c: node.data[i], left: r.left, middle: (r.top + r.bottom) / 2,
                       top: r.top, bottom: r.bottom});
        }
    }
    const lines = [];
    for (const ch of seen.sort((a, b) => a.middle - b.middle)) {
        const line = lines.find((l) => ch.middle > l.top && ch.middle < l.bottom);
        if (line) line.chars.push(ch);
        else lines.push({top: ch.top, bottom: ch.bottom, chars: [ch]});
    }
    return lines.map((l) => l.chars.sort((a, b) => a.left - b.left).map((ch) => ch.c).join(""));
})"""


def _lone_separators(page, selector: str) -> list[str]:
    lines = page.evaluate(LINES_OF, selector)
    return [line for line in lines if line.startswith("·") or line.endswith("·")]


def test_on_a_phone_a_comment_s_line_never_leaves_its_separator_alone(
    page, article, make_comment, artifacts
):
    # Names of every length, so that the time falls at the line's end for some of them, where
    # "Ana ·" stayed and the time went to the next line; one from the newsroom, with its badge.
    names = [
        "James Whitfield",
        "Maria Fernanda",
        "Jonathan Whitfield-Henderson",
        "Maria Fernanda Albuquerque",
        "Maria Fernanda Albuquerque Villa",
        "Anna-Katharina Schmidt",
        "Christopher Montgomery",
        "Alexandra Konstantinopoulou",
    ]
    for name in names:
        make_comment(article, name=name, status=Comment.Status.APPROVED)
    newsroom = make_comment(article, name="Desk Editor Roberta", status=Comment.Status.APPROVED)
    Comment.objects.filter(pk=newsroom.pk).update(from_newsroom=True)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=len(names) + 1)
    page.set_viewport_size(PHONE_375)
    page.goto(article.get_absolute_url())

    lines = page.evaluate(LINES_OF, ".comment > header")  # what a line shows, spaces left out
    squeezed = tuple(name.replace(" ", "") for name in names)
    assert any(not line.startswith(squeezed) for line in lines if "UTC" in line), (
        f"no comment's time went to a line of its own, the case to check: {lines}"
    )
    artifacts.screenshot(page.locator("#comments"), "comments-375.png")
    lone = _lone_separators(page, ".comment > header")
    assert not lone, f"a line starts or ends with a lone '·' at 375 px: {lone}"


def test_a_list_s_meta_lines_never_leave_a_separator_alone(page, bylined_newsroom, artifacts):
    lone = []
    # The home page's lead (its count a link) and cards, wide to narrow.
    page.goto("/")
    for width in range(360, 1281, 20):
        page.set_viewport_size({"width": width, "height": 844})
        lone += [f"{width} px: {line!r}" for line in _lone_separators(page, ".card-meta")]
        if width in (380, 1000):
            artifacts.screenshot(page, f"home-{width}.png", full_page=True)
    assert not lone, f"a meta line starts or ends with a lone '·': {lone[:6]}"


# The other lines with a "·" between their items, each worded long enough to wrap at some width
# between a phone's and a laptop's: a site and a section with long names.
LONG_SITE_NAME = "The Greater Manchester and Cheshire Evening Chronicle"
LONG_SECTION_NAME = "Science, Environment and the Climate Emergency"
WIDTHS = range(360, 1281, 10)


def assert_no_lone_separator_at_any_width(page, selector: str, artifacts, name: str) -> None:
    """No line of the box starts or ends with a lone "·" at any width, and at one at least the
    box wrapped (else there was nothing to check). Every word stays in sight: an item too long
    for the line it keeps whole would run into the clip and lose its end."""
    words = page.eval_on_selector_all(selector, "(boxes) => boxes.map((b) => b.textContent)")
    written = "".join("".join(words).split()).replace("·", "")
    lone, wrapped = [], False
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        lines = page.evaluate(LINES_OF, selector)
        assert "".join(lines).replace("·", "") == written, f"{width} px: {lines} hides words"
        wrapped = wrapped or len(lines) > 1
        lone += [f"{width} px: {line!r}" for line in lines if line[0] == "·" or line[-1] == "·"]
        if width == 360:
            artifacts.screenshot(page.locator(selector).first, f"{name}-360.png")
    assert wrapped, f"the {name} line never wrapped, the case to check"
    assert not lone, f"the {name} line starts or ends with a lone '·': {lone[:6]}"


@pytest.fixture
def long_named_section(make_article):
    section = Section.objects.create(name=LONG_SECTION_NAME, slug="science", order=2)
    make_article(title="Glaciers retreat faster than forecast", slug="glaciers", section=section)
    return section


def test_the_footer_s_line_never_leaves_its_separator_alone(page, settings, artifacts):
    settings.SITE_NAME = LONG_SITE_NAME
    page.goto("/")
    assert_no_lone_separator_at_any_width(page, ".footer-legal p:first-child", artifacts, "footer")


def test_a_search_result_s_line_never_leaves_its_separator_alone(
    page, long_named_section, artifacts
):
    page.goto("/search/?q=glaciers")
    assert_no_lone_separator_at_any_width(page, ".search-result h2 + p", artifacts, "search")


def test_a_section_s_follow_line_keeps_every_word_in_sight(page, long_named_section, artifacts):
    # Its feed links ("RSS · Atom") became one link to its follow page, which names both.
    page.goto(long_named_section.get_absolute_url())
    assert_no_lone_separator_at_any_width(
        page, ".list-intro p:has(a[href$='/follow/'])", artifacts, "follow"
    )


def test_the_signed_in_bar_s_links_never_leave_their_separator_alone(
    page, article, django_user_model, artifacts
):
    # An editor who also moderates: both links, "Edit this article · Comments waiting for review".
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    # Its two links fit a phone's line at the browser's usual text size; with the text set to
    # "Very large" (Chrome's 24 px), the line breaks between them.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 24, "fixed": 20}})
    page.goto(article.get_absolute_url())
    bar = ".signed-in-bar p:has(a[href$='/change/'])"
    assert_no_lone_separator_at_any_width(page, bar, artifacts, "signed-in-bar")
