"""The data migrations that render stored bodies with the site's own renderer (articles 0003,
0006, 0009, 0011: articles.rendering.render_markdown) and make the reader's text from them
(0017: articles.search.plain_text) call today's code, not a frozen copy, on purpose (README.md,
"Upgrading"): an old database, years from now, goes through them with its stories. This drives
a story from before 0003 through all of them, so a change to that code which they could no
longer run (moved, renamed, given an article or a field those steps do not have yet) fails
here, not on an operator's upgrade. A fresh database has no rows there: they render nothing."""

import re

import pytest

from tests.migration_steps import apps_at, back_to_the_latest
from tests.test_article_body_picture_sizes import _png, _uploaded


# Its rows restored after it (serialized_rollback), as the tests that commit after it expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_story_from_before_bodies_were_stored_reaches_0017_rendered_with_its_reader_text():
    before, after = (
        [("articles", "0002_search_vector_trigger")],
        [("articles", "0017_search_reader_text")],
    )
    # Pictures of ours: render_markdown opens each (media storage, static files) for its size.
    plant = _uploaded("body/plant.png", _png(640, 360))
    old = apps_at(before)
    section = old.get_model("articles", "Section").objects.create(name="Tech", slug="tech")
    story = old.get_model("articles", "Article").objects.create(
        title="Tram",
        slug="tram",
        standfirst="Lead.",
        body=(
            "Some *words* here.\n\n## A heading\n\nSee www.example.org\n\n"
            f"![The plant]({plant})\n\nOur mark: ![The logo](/static/logo.png)"
        ),
        section=section,
    )
    try:
        stored = apps_at(after).get_model("articles", "Article").objects.get(pk=story.pk)

        assert "<em>words</em>" in stored.body_html
        assert "<h2>A heading</h2>" in stored.body_html
        assert 'href="https://www.example.org"' in stored.body_html  # 0011's bare links
        assert re.search(
            r'<img [^>]*alt="The plant"[^>]*width="640" height="360"', stored.body_html
        )
        assert re.search(r'<img [^>]*alt="The logo"[^>]*width="512" height="512"', stored.body_html)
        assert stored.body_text == (
            "Some words here. A heading See www.example.org The plant Our mark: The logo"
        )
    finally:
        back_to_the_latest()
