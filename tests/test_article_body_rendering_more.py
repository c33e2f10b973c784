"""How an article body's Markdown reaches the page: headings, pictures, footnotes, definition
lists, related links inside the body, and what sanitising still removes."""

import re

import pytest

from articles.rendering import render_markdown


def _body(client, article) -> str:
    html = client.get(article.get_absolute_url()).content.decode()
    return html[html.index('class="article-body"') : html.index("End of content")]


def _heading_for(other) -> str:
    return (
        f'<h2 class="inline-related h4"><a href="{other.get_absolute_url()}">{other.title}</a></h2>'
    )


# --- Related links inside the body: only between top-level blocks, after top-level <p>s ---


def test_paragraphs_inside_a_blockquote_do_not_count_nor_take_a_heading(
    client, make_article, add_related
):
    article = make_article(
        body="First para.\n\n> quoted one\n>\n> quoted two\n\nSecond para.\n\nThird para."
    )
    first, second = make_article(title="After one"), make_article(title="After two")
    add_related(article, first, in_body=1)
    add_related(article, second, in_body=2)

    body = _body(client, article)

    quote = body[body.index("<blockquote>") : body.index("</blockquote>")]
    assert "inline-related" not in quote
    assert body.index("First para.") < body.index(_heading_for(first)) < body.index("<blockquote>")
    assert body.index("Second para.") < body.index(_heading_for(second))
    assert body.index(_heading_for(second)) < body.index("Third para.")


def test_a_code_block_is_not_a_paragraph(client, make_article, add_related):
    article = make_article(body="First para.\n\n    code line\n\nSecond para.\n\nThird para.")
    other = make_article(title="Linked story")
    add_related(article, other, in_body=2)

    body = _body(client, article)
    heading = _heading_for(other)

    assert body.index("Second para.") < body.index(heading) < body.index("Third para.")


def test_paragraphs_inside_a_loose_list_do_not_count_nor_take_a_heading(
    client, make_article, add_related
):
    article = make_article(body="- item one\n\n- item two\n\nFirst para.\n\nSecond para.")
    other = make_article(title="Linked story")
    add_related(article, other, in_body=1)

    body = _body(client, article)
    heading = _heading_for(other)

    assert body.index("</ul>") < body.index("First para.") < body.index(heading)
    assert body.index(heading) < body.index("Second para.")


def test_a_link_after_a_paragraph_the_body_lacks_goes_at_the_end_before_the_footnotes(
    client, make_article, add_related
):
    article = make_article(body="Only para.[^1]\n\n[^1]: The note.")
    other = make_article(title="Linked story")
    add_related(article, other, in_body=7)

    body = _body(client, article)
    heading = _heading_for(other)

    assert body.index("Only para.") < body.index(heading) < body.index('class="footnote"')


# --- Headings: the page's <h1> is the headline ---


def test_a_level_one_heading_moves_every_level_down_one():
    html = render_markdown("# Part one\n\nText.\n\n## Detail\n\nMore.")

    assert "<h2>Part one</h2>" in html
    assert "<h3>Detail</h3>" in html
    assert "<h1" not in html


def test_headings_deeper_than_h4_stay_headings_and_no_level_is_skipped():
    html = render_markdown("## Section\n\n##### Small\n\n###### Smaller\n\n## Next\n\n#### Sub")

    levels = re.findall(r"<h(\d)>", html)
    assert levels == ["2", "3", "4", "2", "3"]
    assert "<h3>Small</h3>" in html and "<h4>Smaller</h4>" in html and "<h3>Sub</h3>" in html


def test_an_outline_deeper_than_the_site_styles_stops_at_h4():
    html = render_markdown("# A\n\n## B\n\n### C\n\n#### D\n\n##### E\n\n## F")

    assert re.findall(r"<h(\d)>", html) == ["2", "3", "4", "4", "4", "3"]


def test_setext_headings_are_headings_too():
    assert "<h2>Title</h2>" in render_markdown("Title\n=====\n\nText.")


def test_no_heading_text_is_left_outside_a_block(client, make_article):
    article = make_article(body="# Top\n\nText.\n\n##### Deep\n\n###### Deeper")

    body = _body(client, article)

    assert "<h2>Top</h2>" in body
    assert "<h3>Deep</h3>" in body
    assert "<h4>Deeper</h4>" in body


# --- Pictures: ours are shown, others become links ---


def test_a_picture_of_ours_on_its_own_is_a_figure_with_its_title_as_caption():
    html = render_markdown('![Cars at the plant](/media/plant.jpg "The plant in May")')

    assert "<p></p>" not in html
    assert html.startswith("<figure><img ")
    assert 'src="/media/plant.jpg"' in html
    assert 'alt="Cars at the plant"' in html
    assert 'loading="lazy"' in html
    assert "<figcaption>The plant in May</figcaption></figure>" in html


def test_a_picture_of_ours_inside_a_sentence_stays_inline():
    html = render_markdown("See ![the logo](/static/logo.png) here.")

    assert html.startswith("<p>See <img ")
    assert 'alt="the logo"' in html
    assert "here.</p>" in html


def test_a_picture_from_another_site_becomes_a_link_with_its_alt_text():
    html = render_markdown("![Sales chart](https://example.org/chart.png)")

    assert "<img" not in html
    assert '<a href="https://example.org/chart.png" rel="noopener noreferrer">Sales chart</a>' in (
        html
    )


@pytest.mark.parametrize(
    "src",
    ["//evil.example/x.png", "/\\evil.example/x.png", "javascript:alert(1)", "data:image/png,x"],
)
def test_a_picture_from_nowhere_safe_keeps_only_its_words(src):
    html = render_markdown(f"Look ![the words]({src}) now.")

    assert "<img" not in html
    assert "evil.example" not in html
    assert "javascript:" not in html
    assert "the words" in html


def test_an_image_typed_as_html_is_dropped_unless_it_is_ours():
    html = render_markdown(
        '<img src="https://tracker.example/p.gif" alt="x" onerror="alert(1)">\n\n'
        '<img src="/media/ok.jpg" alt="ok" onload="alert(2)">'
    )

    assert "tracker.example" not in html
    assert "onerror" not in html and "onload" not in html
    assert len(re.findall("<img ", html)) == 1
    assert 'src="/media/ok.jpg"' in html


# --- Footnotes, definition lists and what the extra extension writes ---


def test_footnotes_link_both_ways_with_ids_of_their_own(client, make_article):
    article = make_article(body="A claim.[^src] Another.[^2]\n\n[^src]: A source.\n[^2]: More.")

    body = _body(client, article)

    refs = re.findall(r'<a class="footnote-ref" href="#([^"]+)"', body)
    backs = re.findall(r'<a class="footnote-backref" href="#([^"]+)"', body)
    assert refs == ["fn-1", "fn-2"]
    assert backs == ["fnref-1", "fnref-2"]
    for target in refs + backs:
        assert f'id="{target}"' in body  # every link has somewhere to go
    assert "<sup " in body and '<div class="footnote">' in body


def test_an_author_cannot_set_ids_or_classes_of_their_own():
    html = render_markdown(
        'Para\n{: #comments .btn onclick="x" }\n\n<p id="main" class="x">raw</p>\n\n'
        '<sup id="fn-1-not">s</sup>'
    )

    assert 'id="comments"' not in html
    assert 'id="main"' not in html
    assert "class=" not in html
    assert "onclick" not in html
    assert "id=" not in html


def test_definition_lists_and_abbreviations_are_kept():
    html = render_markdown("Term\n:   Its meaning.\n\n*[EV]: Electric vehicle\n\nAn EV.")

    assert "<dl>\n<dt>Term</dt>\n<dd>Its meaning.</dd>\n</dl>" in html
    assert '<abbr title="Electric vehicle">EV</abbr>' in html


def test_mail_and_phone_links_work():
    html = render_markdown("[Write](mailto:desk@example.com) or [call](tel:+351-210-000-000).")

    assert '<a href="mailto:desk@example.com" rel="noopener noreferrer">Write</a>' in html
    assert '<a href="tel:+351-210-000-000" rel="noopener noreferrer">call</a>' in html


def test_an_address_typed_with_mailto_in_front_is_one_link_without_the_prefix_left_over():
    html = render_markdown("Tips: mailto:desk@example.org, or `mailto:desk@example.org` in code.")

    assert html == (
        '<p>Tips: <a href="mailto:desk@example.org" rel="noopener noreferrer">'
        "desk@example.org</a>, or <code>mailto:desk@example.org</code> in code.</p>"
    )


def test_an_address_typed_bare_is_a_link():
    html = render_markdown("See https://example.org/report?page=2 or www.example.com.")

    assert '<a href="https://example.org/report?page=2" rel="noopener noreferrer">' in html
    assert (
        '<a href="https://www.example.com" rel="noopener noreferrer">www.example.com</a>.' in html
    )


def test_a_list_nested_by_two_spaces_is_nested():
    html = render_markdown("- Phones\n  - Xiaomi 14\n  - Redmi\n- Cars\n\n1. First\n   - a detail")

    assert re.sub(r"\s", "", html) == (
        "<ul><li>Phones<ul><li>Xiaomi14</li><li>Redmi</li></ul></li><li>Cars</li></ul>"
        "<ol><li>First<ul><li>adetail</li></ul></li></ol>"
    )


def test_an_authors_div_gets_no_focus_order_nor_role_of_its_own():
    html = render_markdown(
        '<div tabindex="999" role="alert" aria-label="Breaking">Read me first</div>\n\n'
        "| A | B |\n|---|---|\n| 1 | 2 |"
    )

    assert 'tabindex="999"' not in html and 'role="alert"' not in html
    assert "Breaking" not in html
    # The table's own frame keeps what it needs to scroll by keyboard.
    assert '<div aria-label="Table" class="table-scroll" role="region" tabindex="0">' in html


def test_a_table_s_column_alignment_is_kept_as_a_class_not_a_style():
    html = render_markdown("| Team | Goals | Share |\n|:--|:-:|--:|\n| A | 3 | 50% |")

    assert '<th class="text-start">Team</th>' in html
    assert '<th class="text-center">Goals</th>' in html
    assert '<td class="text-end">50%</td>' in html
    assert "style=" not in html  # the page's CSP would refuse it


# --- Still safe ---


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "![x](javascript:alert(1))",
        '<img src="/media/a.jpg" onerror="alert(1)">',
        '<svg onload="alert(1)"></svg>',
        '<iframe src="https://evil.example"></iframe>',
        '<a href="#" onclick="alert(1)">x</a>',
        "[x](JaVaScRiPt:alert(1))",
        '<div class="footnote" style="position:fixed" onmouseover="alert(1)">x</div>',
        '<sup id="fnref-1" onclick="alert(1)">1</sup>',
        "[^1]\n\n[^1]: <script>alert(1)</script>",
    ],
)
def test_xss_attempts_are_still_removed(attack):
    html = render_markdown(attack).lower()

    assert "<script" not in html
    assert "javascript:" not in html
    assert not re.search(r"\son\w+=", html)
    assert "<iframe" not in html and "<svg" not in html
    assert "style=" not in html


@pytest.mark.parametrize("gap", ["&#9;", "&#10;", "&#13;", " "])
def test_a_picture_address_another_site_hides_behind_a_tab_or_break_is_not_kept(gap):
    from articles.rendering import render_markdown

    html = render_markdown(f'Before.\n\n<img src="/{gap}/evil.example/p.png" alt="x">\n\nAfter.')

    assert "evil.example" not in html


def test_two_pictures_from_nowhere_safe_in_one_paragraph_keep_their_words():
    # The second one's place was read before the first left: the editor's save failed (500).
    html = render_markdown("See ![one](javascript:a) and ![two](data:image/png,x) here.")

    assert "<img" not in html
    assert "See one and two here." in html


def test_a_picture_from_nowhere_safe_moves_no_other_words_out_of_the_paragraph():
    # The linked picture after it took the place of the next element, and that element's words
    # were lost from the page.
    html = render_markdown(
        "A ![gone](javascript:a) *b* ![chart](https://example.org/c.png) *kept* end."
    )

    assert '<a href="https://example.org/c.png" rel="noopener noreferrer">chart</a>' in html
    assert "<em>kept</em> end." in html
