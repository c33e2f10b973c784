"""A reader on a phone with the text at 200%: the masthead's "Search" no longer fits beside the
site's name and goes on a line of its own, where it starts under the name, as the section strip
below does; it was indented by its own padding (24 px), looking like something else."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

STARTS_JS = """() => {
    const name = document.querySelector(".masthead .site-name").getBoundingClientRect();
    const icon = document.querySelector(".search-toggle svg").getBoundingClientRect();
    return {name: name.left, nameTop: name.top, icon: icon.left, iconTop: icon.top};
}"""


@pytest.mark.parametrize("address", ["/", "/no-such-page/"])
def test_at_200_percent_text_the_masthead_search_starts_under_the_site_name(
    page, article, watch, address
):
    page.set_viewport_size(PHONE)
    page.goto(address)
    expect(page.locator(".search-toggle")).to_be_visible()
    at_100 = page.evaluate(STARTS_JS)
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")

    seen = page.evaluate(STARTS_JS)

    assert at_100["icon"] > PHONE["width"] / 2, at_100  # beside the name, on its right
    assert seen["iconTop"] > seen["nameTop"] + 20, seen  # a line of its own
    assert abs(seen["icon"] - seen["name"]) <= 1, seen
    watch.problems = [problem for problem in watch.problems if "404" not in problem]
