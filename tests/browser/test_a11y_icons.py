"""A reader with the text at 200%: the icons beside words (the phone's search magnifier, the
comment bubble, the reply arrow, the share buttons' marks) grow with the words, as big beside
them as at the usual size, rather than stay a speck of fixed pixels."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment

pytestmark = pytest.mark.browser

ICONS = {
    "the search magnifier": ".search-toggle svg",
    "the comment bubble": ".byline-comments svg",
    "the reply arrow": ".reply-link svg",
    "a share button's mark": ".share-button svg",
}

# Each icon's height and the size of the words beside it (its link or button's font size).
SIZES_JS = """(icons) => Object.fromEntries(Object.entries(icons).map(([name, selector]) => {
    const icon = document.querySelector(selector);
    return [name, icon && {
        height: icon.getBoundingClientRect().height,
        text: parseFloat(getComputedStyle(icon.closest("a, button")).fontSize),
    }];
}))"""


def test_icons_beside_words_grow_with_the_text_at_200_percent(page, article, make_comment):
    make_comment(article, name="Priya Nair", status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    page.set_viewport_size({"width": 390, "height": 844})  # the magnifier is a phone's
    page.goto(article.get_absolute_url())
    expect(page.locator(".reply-link")).to_be_visible()

    usual = page.evaluate(SIZES_JS, ICONS)
    assert all(usual.values()), f"an icon is missing: {usual}"
    # The reader's browser setting "text size", as a root font size (as test_a11y_big_text.py).
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    larger = page.evaluate(SIZES_JS, ICONS)

    for name in ICONS:
        before, after = usual[name], larger[name]
        assert after["text"] >= 1.9 * before["text"], (name, before, after)
        # As big beside its words as before: no smaller a share of them.
        assert after["height"] / after["text"] >= 0.95 * before["height"] / before["text"], (
            f"{name} stays {after['height']:.0f} px beside {after['text']:.0f} px words "
            f"(it was {before['height']:.0f} px beside {before['text']:.0f} px)"
        )
