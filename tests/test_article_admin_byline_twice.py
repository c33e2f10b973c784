"""An author named twice in a story's byline is refused by name: Django's own "Please correct
the duplicate data for author." left the editor to read every row for the one given twice."""

import html

from articles.models import Author
from tests.article_forms import change_form_data


def test_an_author_named_twice_in_the_byline_is_named_in_the_error(
    editor_client, article, make_article
):
    second = Author.objects.create(name="Li Wei", slug="li-wei")
    data = change_form_data(article) | {
        "bylines-TOTAL_FORMS": "3",
        "bylines-1-id": "",
        "bylines-1-article": str(article.pk),
        "bylines-1-author": str(second.pk),
        "bylines-1-position": "2",
        "bylines-2-id": "",
        "bylines-2-article": str(article.pk),
        "bylines-2-author": str(second.pk),
        "bylines-2-position": "3",
    }

    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Please correct the duplicate data" not in page
    assert "Author “Li Wei” is in more than one row: keep one" in page
    assert "Marta Ribeiro” is in more than one row: keep one" not in page
    assert list(article.authors.values_list("name", flat=True)) == ["Marta Ribeiro"]
