"""An article on paper, set as a newspaper sets a page: where a page may end and where not, as the
print stylesheet tells Chromium (the computed style under print media)."""

import pytest

from articles.models import Article
from comments.models import Comment
from tests.browser.layout import give_picture

pytestmark = pytest.mark.browser

BODY = (
    "The first paragraph.\n\n## What the council decided\n\nThe vote was close.\n\n"
    "> We did not expect it, said the mayor.\n\nThe last paragraph."
)

# For each selector, the break properties of every element it finds.
BREAKS_OF = """(selectors) => Object.fromEntries(selectors.map((selector) => [selector,
    [...document.querySelectorAll(selector)].map((el) => {
        const style = getComputedStyle(el);
        return {after: style.breakAfter, inside: style.breakInside};
    })]))"""


def test_a_printed_article_breaks_its_pages_where_a_newspaper_would(
    page, make_article, make_comment
):
    article = make_article(title="Council votes for the new bridge", body=BODY)
    give_picture(article, 0, "hero.jpg")
    make_comment(article, name="Ana", body="About time.", status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    page.goto(article.get_absolute_url())
    page.emulate_media(media="print")

    parts = ["h1", ".article-body h2", "#comments-heading", ".hero", ".hero img", "blockquote"]
    found = page.evaluate(BREAKS_OF, [*parts, ".comment", ".comment > header"])
    assert all(found.values()), f"the page lacks one of the parts to check: {found}"
    # A heading never ends a page, parted from what it heads.
    for heading in ("h1", ".article-body h2", "#comments-heading"):
        assert {b["after"] for b in found[heading]} == {"avoid"}, f"{heading}: {found[heading]}"
    # A picture, a quotation, a comment (that fits on one) are never cut in two.
    for whole in (".hero", ".hero img", "blockquote", ".comment"):
        assert {b["inside"] for b in found[whole]} == {"avoid"}, f"{whole}: {found[whole]}"
    # A comment's name and time never end a page away from its words.
    assert {b["after"] for b in found[".comment > header"]} == {"avoid"}


def test_printed_search_results_list_the_stories_without_a_box_to_type_in(page, make_article):
    make_article(title="Council votes for the new bridge", body=BODY)
    page.goto("/search/?q=bridge")
    page.emulate_media(media="print")
    assert page.get_by_role("heading", name="Search: bridge").is_visible()
    assert page.get_by_role("link", name="Council votes for the new bridge").is_visible()
    assert not page.get_by_role("searchbox").is_visible()
    assert not page.get_by_role("button", name="Search").is_visible()
