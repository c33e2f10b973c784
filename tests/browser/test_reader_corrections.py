"""A story's correction as a reader meets it: the byline's "Correction at the end" leads to it,
on a phone too; it reads at least 4.5:1 on its panel in either scheme; axe finds nothing serious
on the story or on the corrections page."""

import pytest
from playwright.sync_api import expect

from articles.correction_services import append_correction
from tests.browser.test_reader_dark import assert_readable

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
WORDS = "An earlier version of this article gave the bridge's length as 3 km. It is 300 m long."


@pytest.fixture
def corrected(make_article):
    story = make_article(
        title="Council votes for the new bridge",
        body="\n\n".join(f"Paragraph {n} of the council's long debate." for n in range(40)),
    )
    append_correction(article=story, text=WORDS)
    return story


def test_the_byline_leads_a_reader_on_a_phone_to_the_correction(page, corrected):
    page.set_viewport_size(PHONE)
    page.goto(corrected.get_absolute_url())

    box = page.locator("#corrections")
    expect(box).not_to_be_in_viewport()
    page.get_by_role("link", name="Correction at the end").click()

    expect(box).to_be_in_viewport()
    expect(page.get_by_role("complementary", name="Correction")).to_contain_text(WORDS)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_correction_reads_clearly_and_axe_finds_nothing_serious(
    page, corrected, assert_accessible, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(corrected.get_absolute_url())
    assert_readable(page, [".corrections p", ".corrections-heading"], f"article, {scheme}")
    assert_accessible(f"article with a correction, {scheme}")

    page.goto("/corrections/")
    expect(page.get_by_role("link", name="Council votes for the new bridge")).to_be_visible()
    assert_readable(page, [".correction-item p"], f"corrections page, {scheme}")
    assert_accessible(f"corrections page, {scheme}")
