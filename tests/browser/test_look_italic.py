"""Emphasis in a story, as a reader sees it: Source Serif 4's own italic, which the page loads
when a story has some, not its roman slanted by the browser (same letters, leaning)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EMPHASIS = "a once-in-a-generation bet on hardware"


def test_emphasis_in_a_story_is_set_in_the_typefaces_own_italic(page, make_article, artifacts):
    story = make_article(
        body=f"Analysts called the car *{EMPHASIS}*, and said so twice.\n\nA second paragraph."
    )
    page.goto(story.get_absolute_url())
    em = page.locator(".article-body em")
    expect(em).to_have_text(EMPHASIS)
    found = page.evaluate(
        """async () => {
            await document.fonts.ready;
            const style = getComputedStyle(document.querySelector(".article-body em"));
            const italic = [...document.fonts].filter(
                (face) => face.family === "Source Serif 4" && face.style === "italic");
            // A true italic has letters of its own, narrower than the roman's; a slanted roman
            // keeps the roman's widths.
            const text = document.querySelector(".article-body em").textContent;
            const ctx = document.createElement("canvas").getContext("2d");
            const width = (font) => { ctx.font = font; return ctx.measureText(text).width; };
            return {
                style: style.fontStyle,
                family: style.fontFamily.split(",")[0].replaceAll('"', ""),
                italicFaces: italic.map((face) => face.status),
                italic: width('italic 400 18px "Source Serif 4"'),
                roman: width('normal 400 18px "Source Serif 4"'),
            };
        }"""
    )
    artifacts.screenshot(em, "emphasis.png")
    assert found["style"] == "italic"
    assert found["family"] == "Source Serif 4"
    assert found["italicFaces"] == ["loaded"], "the page has no italic face of its own"
    assert found["italic"] < found["roman"] * 0.97, found
