"""The snippet under a search result reads as the article's text, not its Markdown source,
with the words looked for in <mark> and the author's text escaped exactly once. Runs on SQLite
and on PostgreSQL (ts_headline)."""

import pytest


def _snippets(client, query: str) -> list[str]:
    html = client.get("/search/", {"q": query}).content.decode()
    parts = html.split('<p class="snippet')[1:]
    return [part.split(">", 1)[1].split("</p>", 1)[0] for part in parts]


def _snippet(client, query: str) -> str:
    snippets = _snippets(client, query)
    assert len(snippets) == 1, snippets
    return snippets[0]


def test_markdown_syntax_does_not_show_in_the_snippet(client, make_article):
    make_article(
        title="Plant visit",
        body=(
            "## The factory\n\nThe **zeppelin** hangar is [next door](https://example.org/x) to "
            "the _plant_.\n\n> A quote about `code` and more.\n\n- one item\n- two items"
        ),
    )

    snippet = _snippet(client, "zeppelin")

    assert "<mark>zeppelin</mark>" in snippet
    for syntax in ("**", "##", "](", "https://example.org", "_plant_", "`", "> A"):
        assert syntax not in snippet
    # ts_headline may start a word or two into the text.
    assert "factory The <mark>zeppelin</mark> hangar is next door to the plant. A quote" in snippet


def test_user_text_is_escaped_exactly_once(client, make_article):
    make_article(
        title="Escaping",
        body="Zeppelin & friends, AT&amp;T and 3 < 4 > 2 with <b>tags</b> and <script>x</script>",
    )

    snippet = _snippet(client, "zeppelin")

    assert "<mark>Zeppelin</mark> &amp; friends, AT&amp;T and 3 &lt; 4 &gt; 2" in snippet
    assert "&amp;amp;" not in snippet
    assert "&amp;lt;" not in snippet
    assert "<b>" not in snippet and "<script" not in snippet


def test_markup_looking_text_stays_text(client, make_article):
    make_article(title="Code", body="Type `<mark>zeppelin</mark>` to see it.")

    snippet = _snippet(client, "zeppelin")

    # The author's own <mark> is shown as text; only ours is markup.
    assert "&lt;mark&gt;" in snippet
    assert snippet.count("<mark>") == 1


def test_footnote_markers_do_not_glue_onto_words(client, make_article):
    make_article(title="Notes", body="The zeppelin flew.[^1] It landed.\n\n[^1]: Says the pilot.")

    snippet = _snippet(client, "zeppelin")

    assert "flew. It landed." in snippet
    assert "flew.1" not in snippet and "↩" not in snippet


def test_paragraphs_do_not_run_together(client, make_article):
    make_article(title="Two", body="The zeppelin landed.\n\nNext morning it left.")

    snippet = _snippet(client, "zeppelin")

    assert "landed. Next morning" in snippet


def test_words_from_different_blocks_are_all_highlighted(client, make_article):
    make_article(title="Blocks", body="# Zeppelin news\n\n1. The hangar\n2. The zeppelin crew")

    snippet = _snippet(client, "zeppelin")

    assert snippet.count("<mark>") == 2
    assert "#" not in snippet and "1." not in snippet


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>a &amp; b</p>\n<p>c</p>", "a & b c"),
        ('<p><a href="/x" title="a > b">link</a> text</p>', "link text"),
        (
            '<p>Claim<sup id="fnref-1"><a class="footnote-ref" href="#fn-1" '
            'rel="noopener noreferrer">1</a></sup>.</p>',
            "Claim.",
        ),
        ("", ""),
    ],
)
def test_plain_text_of_a_rendered_body(html, text):
    from articles.search import plain_text

    assert plain_text(html) == text


def test_a_snippet_cut_out_of_the_text_says_so_at_each_end_it_was_cut(client, make_article):
    # PostgreSQL's snippets (ts_headline) marked the cut between their fragments only: a reader
    # saw one begin mid-sentence ("next ten years. It has also bought") and stop mid-sentence
    # ("was due to begin in") with nothing to say so; SQLite's said "…", as they do now.
    opening = " ".join(f"Opening sentence number {n} of the report." for n in range(30))
    closing = " ".join(f"Closing sentence number {n} of the report." for n in range(30))
    make_article(title="Airships", body=f"{opening}\n\nThe zeppelin landed.\n\n{closing}")
    make_article(title="Dirigible news", body="The airship landed in a field. " * 40)
    make_article(title="Blimp news", body="The old hangar is a museum now.")

    middle = _snippet(client, "zeppelin")
    assert "<mark>zeppelin</mark> landed." in middle
    assert middle.startswith("… ") and middle.endswith(" …"), middle
    # The word only in the headline: the snippet is the text's beginning, cut at its end.
    title_only = _snippet(client, "dirigible")
    assert title_only.startswith("The airship landed in a field.") and title_only.endswith(" …")
    # A text shorter than a snippet is all there, and nothing says it was cut.
    assert _snippet(client, "blimp") == "The old hangar is a museum now."
