"""The hero picture's caption and its credit read as two things: the credit ran straight on
after the caption on the same line ("…leaves the east quay Photo: Jane Doe/Reuters"), one
sentence to the eye. The credit starts a line of its own, at every width, and a screen reader
hears the two with no stray separator between them."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.layout import give_picture

pytestmark = pytest.mark.browser

CAPTION = "The morning ferry leaves the east quay"

# The bottom of the caption's last line of text, and the top of the credit's first.
LINES = """(figcaption) => {
    const range = document.createRange();
    range.selectNodeContents(figcaption.firstChild);
    const rects = [...range.getClientRects()];
    const credit = figcaption.querySelector(".credit").getClientRects()[0];
    return {caption: rects[rects.length - 1].bottom, credit: credit.top};
}"""


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_credit_starts_a_line_of_its_own_under_the_caption(page, make_article, artifacts, size):
    article = make_article(
        hero_alt="A ferry leaving the quay at dawn",
        hero_caption=CAPTION,
        hero_credit="Jane Doe/Reuters",
    )
    give_picture(article, 2, "hero-ferry.jpg")
    page.set_viewport_size(size)
    page.goto(article.get_absolute_url())
    figcaption = page.locator(".hero figcaption")
    figcaption.scroll_into_view_if_needed()
    artifacts.screenshot(page, f"caption-{size['width']}.png")

    lines = figcaption.evaluate(LINES)
    assert lines["credit"] >= lines["caption"] - 1, f"the credit runs on after the caption: {lines}"
    expect(page.get_by_role("figure")).to_have_accessible_name(f"{CAPTION} Photo: Jane Doe/Reuters")
