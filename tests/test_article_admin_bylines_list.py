"""An editor finds their own stories, and a colleague's, in the admin's list: each row names its
byline, and the list filters by author ("My stories" for an editor who writes under one)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Author

LIST = "/admin/articles/article/"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def colleague(db):
    return Author.objects.create(name="Jonas Berg", slug="jonas-berg")


def _rows(html: str) -> dict[str, str]:
    if 'id="result_list"' not in html:
        return {}
    body = html.split('id="result_list"', 1)[1].split("</table>", 1)[0]
    return {
        row.split('class="field-title">', 1)[1].split("<", 2)[1].split(">")[-1]: row
        for row in body.split("<tr")[2:]
    }


def test_each_row_names_its_byline_in_order(editor_client, make_article, author, colleague):
    make_article(title="Solo", authors=[colleague])
    story = make_article(title="Together")
    story.bylines.filter(author=author).update(position=2)
    story.bylines.create(author=colleague, position=1)

    rows = _rows(editor_client.get(LIST).content.decode())

    assert '<td class="field-byline">Jonas Berg</td>' in rows["Solo"]
    assert '<td class="field-byline">Jonas Berg, Marta Ribeiro</td>' in rows["Together"]
    assert '<th scope="col" class="column-byline">' in editor_client.get(LIST).content.decode()


def test_the_bylines_cost_no_query_a_row(editor_client, make_article, colleague):
    make_article(title="First")
    editor_client.get(LIST)  # the session and the like, read once
    with CaptureQueriesContext(connection) as one:
        editor_client.get(LIST)
    for n in range(5):
        make_article(title=f"More {n}", authors=[colleague])
    with CaptureQueriesContext(connection) as six:
        response = editor_client.get(LIST)

    assert len(_rows(response.content.decode())) == 6
    assert len(six) == len(one)


def test_the_list_filters_by_an_author(editor_client, make_article, author, colleague):
    make_article(title="Hers")
    make_article(title="His", authors=[colleague])
    unnamed = Author.objects.create(name="Nobody Yet", slug="nobody-yet")

    html = editor_client.get(LIST, {"author": colleague.pk}).content.decode()

    assert set(_rows(html)) == {"His"}
    assert 'data-filter-title="author"' in html
    assert f'href="?author={author.pk}"' in html
    assert unnamed.name not in html  # no story of theirs to list
    assert "My stories" not in html  # this editor writes under no byline


def test_an_editor_who_is_an_author_has_my_stories(editor, editor_client, make_article, author):
    author.user = editor
    author.save()
    make_article(title="Mine", status="draft")
    make_article(title="Not mine", authors=[Author.objects.create(name="Other", slug="other")])

    html = editor_client.get(LIST).content.decode()
    assert '<a href="?author=mine">My stories</a>' in html
    # On a phone, above the rows, as the lists by status are.
    tabs = html.split('<nav class="status-tabs" aria-label="Articles by byline">', 1)[1]
    assert '<a href="?author=mine">My stories</a>' in tabs.split("</nav>", 1)[0]

    mine = editor_client.get(LIST, {"author": "mine"}).content.decode()
    assert set(_rows(mine)) == {"Mine"}


def test_a_byline_filter_that_names_nobody_lists_nothing(editor_client, make_article):
    make_article(title="Hers")

    response = editor_client.get(LIST, {"author": "mine"})

    assert response.status_code == 200
    assert _rows(response.content.decode()) == {}
    assert "0 articles" in response.content.decode()


@pytest.mark.parametrize("value", ["²", "12a", "-1"])
def test_a_byline_filter_that_is_no_author_s_number_lists_nothing(
    editor_client, make_article, value
):
    make_article(title="Hers")  # with its author, the filter is drawn

    response = editor_client.get(LIST, {"author": value})

    assert response.status_code == 200
    assert "0 articles" in response.content.decode()
