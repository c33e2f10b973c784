"""What a reader who does not use a mouse, enlarges the text or uses Windows' high-contrast mode
finds: a focus ring on every field and button, form controls that stand out from their panel, no
sideways scroll with larger text, the current section marked in forced colours, story lists that
take one Tab per story in the order they are drawn, headlines under their list's heading, and a
report page whose choices are drawn like the rest of the site's forms."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Section
from tests.browser.conftest import PHONE
from tests.browser.layout import give_picture

pytestmark = pytest.mark.browser

# WCAG 1.4.11 (non-text contrast) and 2.4.13 (focus appearance): 3:1 against what is next to it.
MIN_CONTRAST = 3.0

# The first painted background behind an element (white when none is).
BEHIND_JS = """const behind = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
        const colour = getComputedStyle(node).backgroundColor;
        if (colour !== "transparent" && !/rgba\\(.*,\\s*0\\)$/.test(colour)) return colour;
    }
    return "rgb(255, 255, 255)";
};"""

# The focused element's outline, and the first painted background behind it (the outline is drawn
# outside the element, on its parents' background).
FOCUS_RING_JS = (
    """() => {
    """
    + BEHIND_JS
    + """
    const el = document.activeElement;
    const s = getComputedStyle(el);
    const background = behind(el);
    return {
        element: el.outerHTML.slice(0, 120),
        style: s.outlineStyle,
        width: parseFloat(s.outlineWidth),
        colour: s.outlineColor,
        background: background,
    };
}"""
)

# A form control's borders and the panel it sits on.
CONTROL_BORDER_JS = (
    """(el) => {
    """
    + BEHIND_JS
    + """
    const s = getComputedStyle(el);
    const background = behind(el);
    return {
        element: el.outerHTML.slice(0, 120),
        colours: [s.borderTopColor, s.borderRightColor, s.borderBottomColor, s.borderLeftColor],
        widths: [s.borderTopWidth, s.borderRightWidth, s.borderBottomWidth, s.borderLeftWidth]
            .map(parseFloat),
        background: background,
    };
}"""
)


def _rgb(colour: str) -> tuple[float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)]
    assert len(numbers) >= 3, f"not an rgb() colour: {colour}"
    alpha = numbers[3] if len(numbers) > 3 else 1.0
    assert alpha == 1.0, f"a see-through colour cannot be measured: {colour}"
    return numbers[0], numbers[1], numbers[2]


def _luminance(colour: str) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _tab_until(page, predicate_js: str, limit: int = 200) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"Tab never reached the element ({predicate_js})")


def assert_focus_ring(page, what: str) -> None:
    ring = page.evaluate(FOCUS_RING_JS)
    assert ring["style"] not in ("none", "hidden") and ring["width"] >= 2, (
        f"{what}: no visible focus outline when focused ({ring})"
    )
    ratio = contrast(ring["colour"], ring["background"])
    assert ratio >= MIN_CONTRAST, (
        f"{what}: the focus outline is {ratio:.2f}:1 against its background ({ring})"
    )


# --- Focus on fields and buttons ------------------------------------------------------------
# Both colour schemes: a reader whose system is dark gets the dark one (test_reader_dark.py).
SCHEMES = pytest.mark.parametrize("scheme", ["light", "dark"])


@SCHEMES
def test_fields_and_buttons_show_a_clear_focus_ring(page, newsroom, discussion, artifacts, scheme):
    page.emulate_media(color_scheme=scheme)
    # The header: its search box and button, yellow on navy.
    page.goto("/")
    _tab_until(page, "() => document.activeElement.matches('header input[type=search]')")
    assert_focus_ring(page, "the header's search box")
    artifacts.screenshot(page.locator("header"), "focus-header-search-box.png")
    page.keyboard.press("Tab")
    expect(page.locator("header").get_by_role("button", name="Search")).to_be_focused()
    assert_focus_ring(page, "the header's Search button")

    # "Load more" at the end of the list.
    _tab_until(page, "() => document.activeElement.textContent.trim() === 'Load more'")
    assert_focus_ring(page, "Load more")

    # The comment form on its grey panel: fields, the e-mail checkboxes, "Send comment".
    article, _ = discussion
    page.goto(article.get_absolute_url())
    form = page.locator("#comment-form")
    form.get_by_label(re.compile(r"^\s*Name\s*\*?\s*$")).focus()
    assert_focus_ring(page, "the comment form's Name field")
    artifacts.screenshot(form, "focus-comment-name.png")
    _tab_until(page, "() => document.activeElement.matches('#comment-form textarea')")
    assert_focus_ring(page, "the comment form's Comment field")
    _tab_until(page, "() => document.activeElement.matches('#comment-form [type=checkbox]')")
    assert_focus_ring(page, "the comment form's e-mail checkbox")
    _tab_until(page, "() => document.activeElement.textContent.trim() === 'Send comment'")
    assert_focus_ring(page, "Send comment")
    artifacts.screenshot(form, "focus-send-comment.png")

    # "Cancel reply", after opening a reply with the keyboard.
    page.get_by_role("link", name="Reply to Ben").focus()
    page.keyboard.press("Enter")
    expect(form.get_by_label(re.compile(r"^\s*Name\s*\*?\s*$"))).to_be_focused()
    _tab_until(page, "() => document.activeElement.textContent.trim() === 'Cancel reply'")
    assert_focus_ring(page, "Cancel reply")

    # The report form's choices, opened with the keyboard.
    page.get_by_role("link", name="Report the comment by Chloe").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#report-form input[name=reason]").first).to_be_focused()
    assert_focus_ring(page, "a report reason")
    artifacts.screenshot(page.locator("#report-form"), "focus-report-reason.png")

    # The search page's own box.
    page.goto("/search/?q=battery")
    page.get_by_role("searchbox").first.focus()
    assert_focus_ring(page, "the search page's box")


# --- Form controls on the grey panels ---------------------------------------------------------
@SCHEMES
def test_form_controls_stand_out_from_the_grey_comment_and_report_panels(page, discussion, scheme):
    page.emulate_media(color_scheme=scheme)
    article, _ = discussion
    page.goto(article.get_absolute_url())
    controls = page.locator(
        "#comment-form :is(input:not([type=hidden]), textarea):not(.hp-field *)"
    )
    assert controls.count() >= 5  # name, e-mail, comment, two checkboxes
    # The report form, opened under a comment.
    page.get_by_role("link", name="Report the comment by Ana").click()
    reasons = page.locator("#report-form :is(input[name=reason], textarea)")
    expect(reasons.first).to_be_visible()
    for locator in (controls, reasons):
        for index in range(locator.count()):
            control = locator.nth(index)
            if not control.is_visible():
                continue
            border = control.evaluate(CONTROL_BORDER_JS)
            assert min(border["widths"]) >= 1, border
            assert border["background"] != "rgb(255, 255, 255)", f"not on a panel: {border}"
            for colour in border["colours"]:
                ratio = contrast(colour, border["background"])
                assert ratio >= MIN_CONTRAST, (
                    f"a form control's border is {ratio:.2f}:1 against its panel ({border})"
                )


# --- Larger text on a phone -------------------------------------------------------------------
@pytest.mark.parametrize("root_size", ["125%", "200%"])
def test_a_long_photo_credit_does_not_make_the_article_scroll_sideways(
    page, make_article, root_size
):
    article = make_article(
        title="Harbour cranes come down after sixty years",
        slug="harbour-cranes",
        hero_alt="Two cranes against an evening sky",
        hero_caption="The last two cranes on the north quay.",
        hero_credit="Alexandra Konstantinopoulou-Whitfield for the Northern Evening Chronicle",
    )
    give_picture(article, 1, "hero-cranes.jpg")

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(article.get_absolute_url())
    expect(page.locator(".hero .credit")).to_contain_text("Northern Evening Chronicle")
    # The reader's browser setting "text size", as a root font size (CSSOM, not a style attribute:
    # the CSP allows it).
    page.evaluate("(size) => { document.documentElement.style.fontSize = size; }", root_size)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], (
        f"at root font size {root_size} a 360 px phone scrolls sideways "
        f"(scrollWidth {widths[0]} > clientWidth {widths[1]})"
    )


@pytest.mark.parametrize("width", [360, 375])
def test_the_load_more_button_fits_a_phone_with_the_text_at_200_percent(page, second_page, width):
    page.set_viewport_size({"width": width, "height": 740})
    for url in ("/section/technology/", "/search/?q=story"):
        page.goto(url)
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        button = page.get_by_role("button", name="Load more")
        expect(button).to_be_visible()
        box = button.bounding_box()
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], (
            f"{url} at {width} px with the text at 200% scrolls sideways "
            f"(scrollWidth {widths[0]} > clientWidth {widths[1]})"
        )
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (
            f"{url}: 'Load more' runs off the screen ({box})"
        )


def test_a_commenters_long_unbroken_name_does_not_push_any_page_sideways(
    page, article, make_comment
):
    from articles.models import Article
    from comments.models import Comment

    name = "W" * 80  # the longest name the form takes
    comment = make_comment(article, name=name, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)

    page.set_viewport_size({"width": 390, "height": 800})
    for url in (
        article.get_absolute_url(),  # every reader of the article
        comment.status_url,  # its writer
        reverse("comments:report", args=[comment.pk]),  # a reader reporting it
    ):
        page.goto(url)
        expect(page.get_by_text(name).first).to_be_visible()
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{url} scrolls sideways ({widths[0]} > {widths[1]})"


# --- Windows high contrast --------------------------------------------------------------------
def test_in_forced_colours_only_the_current_section_is_underlined(
    page, make_article, section, artifacts
):
    for order, name in enumerate(["Business", "Science", "Culture"], start=2):
        other = Section.objects.create(name=name, slug=name.lower(), order=order)
        make_article(title=f"A {name.lower()} story", section=other)
    make_article(title="A technology story")

    page.emulate_media(forced_colors="active")
    page.goto(section.get_absolute_url())
    links = page.evaluate(
        """() => [...document.querySelectorAll(".section-nav a")].map((a) => {
            const s = getComputedStyle(a);
            let background = null;
            for (let node = a; node && !background; node = node.parentElement) {
                const colour = getComputedStyle(node).backgroundColor;
                if (colour !== "transparent" && !/rgba\\(.*,\\s*0\\)$/.test(colour)) {
                    background = colour;
                }
            }
            return {
                name: a.textContent.trim(),
                current: a.hasAttribute("aria-current"),
                colour: s.borderBottomColor,
                style: s.borderBottomStyle,
                width: parseFloat(s.borderBottomWidth),
                background: background || "rgb(255, 255, 255)",
            };
        })"""
    )
    assert [link["name"] for link in links] == [
        "Home",
        "Technology",
        "Business",
        "Science",
        "Culture",
    ]

    def underlined(link) -> bool:
        if link["style"] in ("none", "hidden") or link["width"] == 0:
            return False
        if re.search(r"rgba\(.*,\s*0\)$", link["colour"]) or link["colour"] == "transparent":
            return False
        return link["colour"] != link["background"]

    artifacts.screenshot(page.locator("header"), "forced-colours-header.png")
    shown = [link["name"] for link in links if underlined(link)]
    assert shown == ["Technology"], f"sections underlined in forced colours: {shown} ({links})"


# --- Story lists: one Tab per story, in the order drawn; headlines under "Latest" ---------------
def test_tabbing_through_the_latest_stories_on_a_phone_takes_one_stop_per_story(page, newsroom):
    page.set_viewport_size(PHONE)
    page.goto("/")
    cards = page.locator(".article-list .article-card")
    count = cards.count()
    assert count >= 10
    # From the lead story's last link, Tab goes through the list.
    page.locator(".lead-story a").last.focus()
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                """() => {
                    const el = document.activeElement;
                    const card = el.closest(".article-list .article-card");
                    const cards = [...document.querySelectorAll(".article-list .article-card")];
                    return {
                        card: card ? cards.indexOf(card) : null,
                        headline: el.matches(".card-headline a"),
                        top: el.getBoundingClientRect().top + window.scrollY,
                        text: el.textContent.trim(),
                    };
                }"""
            )
        )
    assert [stop["card"] for stop in stops] == list(range(count)), (
        f"Tab does not go once through each story, in order: {stops}"
    )
    assert all(stop["headline"] for stop in stops), f"a stop is not a story's headline: {stops}"
    tops = [stop["top"] for stop in stops]
    assert tops == sorted(tops), f"focus jumps up and down the list: {tops}"


def test_the_home_pages_story_headlines_sit_under_the_latest_heading(page, newsroom):
    page.goto("/")
    headings = page.evaluate(
        """() => [...document.querySelectorAll("main :is(h1, h2, h3, h4, h5, h6)")].map((h) => ({
            level: Number(h.tagName[1]),
            text: h.textContent.trim(),
            card: h.matches(".article-card .card-headline"),
        }))"""
    )
    latest = next(i for i, h in enumerate(headings) if h["text"] == "Latest")
    cards = [h for h in headings if h["card"]]
    assert len(cards) >= 10
    assert headings[latest]["level"] == 2
    assert all(h["card"] for h in headings[latest + 1 : latest + 1 + len(cards)])
    levels = {h["level"] for h in cards}
    assert levels == {3}, f"the story headlines under “Latest” (h2) are h{sorted(levels)}"


# --- The report page, without JavaScript ---------------------------------------------------------
def test_the_report_pages_choices_are_drawn_as_the_sites_radio_buttons(
    page, discussion, assert_accessible, artifacts
):
    _, threads = discussion
    page.goto(reverse("comments:report", args=[threads[0].pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Report a comment")
    radios = page.locator("input[name=reason]")
    assert radios.count() >= 3
    for index in range(radios.count()):
        radio = radios.nth(index)
        expect(radio).to_have_class(re.compile(r"\bform-check-input\b"))
        label = page.locator(f"label[for='{radio.get_attribute('id')}']")
        box, text = radio.bounding_box(), label.bounding_box()
        gap = text["x"] - (box["x"] + box["width"])
        assert gap >= 6, f"the label touches its radio button ({gap:.1f} px apart)"
        # Beside it, on the same line.
        assert text["y"] < box["y"] + box["height"] and box["y"] < text["y"] + text["height"]
    # Pressing a label chooses its reason, and the page stays accessible.
    page.get_by_text("Spam or advertising").click()
    expect(page.get_by_role("radio", name="Spam or advertising")).to_be_checked()
    artifacts.screenshot(page, "report-page.png", full_page=True)
    assert_accessible("report page")
