"""The admin's stock list pages, searched, as an editor with a screen reader or on a phone meets
them: axe finds nothing serious on any of them, at 1280 px and on a phone, and the search box is
named by a label with words."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import log_in_to_admin

pytestmark = pytest.mark.browser

# Each list searched, so that the box has a query and the count beside it ("1 result (3 total)")
# shows. Sections have no search box: their list is short, and each row's order box is edited
# in place (named for its section).
LISTS = [
    ("/admin/articles/article/?q=Xiaomi", "Search articles"),
    ("/admin/articles/author/?q=Marta", "Search authors"),
    ("/admin/articles/tag/?q=cars", "Search tags"),
    ("/admin/comments/comment/?status=approved&q=Ana", "Search comments"),
    ("/admin/comments/comment/?status=all", "Search comments"),
    ("/admin/comments/block/?q=advert", "Search blocks"),
    ("/admin/auth/user/?q=boss", "Search users"),
    ("/admin/articles/section/", None),
]


@pytest.fixture
def newsroom(make_article, make_comment, superuser):
    from articles.models import Tag
    from comments.desk import block_sender

    cars = Tag.objects.create(name="Electric cars", slug="electric-cars")
    Tag.objects.create(name="Oceans", slug="oceans")
    story = make_article(title="Xiaomi aims to mass-produce its electric car", tags=[cars])
    make_article(title="Coral reef shows surprising signs of recovery")
    make_article(title="New chip plant promises 2,000 jobs")
    make_comment(story, name="Ana", status=Comment.Status.APPROVED)
    make_comment(story, name="Ben", status=Comment.Status.APPROVED)
    make_comment(story, name="Chloe")
    block_sender(
        kind="email", value="spam@example.com", period="7", by=superuser, reason="Posts an advert"
    )
    return story


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "phone"])
def test_the_admin_lists_and_their_search_box_pass_axe(
    page, superuser, newsroom, viewport, assert_accessible, axe_source, artifacts
):
    log_in_to_admin(page, superuser.username)
    page.set_viewport_size(viewport)
    for address, box_name in LISTS:
        page.goto(address)
        expect(page.locator("#result_list")).to_be_visible()
        name = address.strip("/").replace("/", "-").replace("?", "-")
        artifacts.screenshot(page, f"{name}-{viewport['width']}.png", full_page=True)
        if box_name is None:
            _without_preload(page, axe_source)
        assert_accessible(f"{address} at {viewport['width']} px")
        # Found by its label's words, as a screen reader reads it out.
        if box_name:
            expect(page.get_by_role("textbox", name=box_name, exact=True)).to_be_visible()
        else:
            place = page.get_by_role("spinbutton", name="Place of Technology in the menu")
            expect(place).to_be_visible()


def _without_preload(page, axe_source) -> None:
    """The sections' list edits in place, so it loads the admin's forms.css, whose
    "@import url(widgets.css)" axe fetches and re-adds as an inline <style> (to read the rules
    for css-orientation-lock): blocked by our CSP, as it should be, and failing the test for
    axe's doing. The rest of axe runs as everywhere else."""
    page.evaluate(axe_source)
    page.evaluate(
        """() => { const run = axe.run.bind(axe);
                   axe.run = (context, options) => run(context, {...options, preload: false}); }"""
    )
