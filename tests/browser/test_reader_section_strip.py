"""The section strip on a tablet or a narrow window (768 px and up, where it wraps rather than
scrolls): every row starts where the first does, under the site's name, as a paragraph's lines
do; the second row was indented by a link's padding, as if it were a sub-list."""

import pytest
from playwright.sync_api import expect

from articles.models import Section

pytestmark = pytest.mark.browser

NAMES = ["Business", "Science", "Culture", "Environment", "Sport", "Opinion", "Health"]
NAMES += ["Education", "Politics", "World", "Travel", "Motoring"]

# Where each link's words start, by row (the words, not the link's box: its padding is space).
ROW_STARTS_JS = """() => {
    const rows = new Map();
    for (const link of document.querySelectorAll(".section-nav a")) {
        const range = document.createRange();
        range.selectNodeContents(link);
        const words = range.getBoundingClientRect();
        const top = Math.round(link.getBoundingClientRect().top);
        if (!rows.has(top)) rows.set(top, {name: link.textContent.trim(), left: words.left});
    }
    const name = document.querySelector(".masthead .site-name").getBoundingClientRect().left;
    return {siteName: name, rows: [...rows.values()]};
}"""


@pytest.mark.parametrize("width", [768, 820, 1024])
def test_every_row_of_the_wrapped_section_strip_starts_under_the_site_name(
    page, section, snap, width
):
    for order, name in enumerate(NAMES, start=2):
        Section.objects.create(name=name, slug=name.lower(), order=order)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/")
    expect(page.locator(".section-nav a")).to_have_count(len(NAMES) + 2)

    seen = page.evaluate(ROW_STARTS_JS)

    assert len(seen["rows"]) >= 2, seen  # it wraps at this width
    for row in seen["rows"]:
        assert abs(row["left"] - seen["siteName"]) <= 1, (width, seen)
