"""A slug that is another story's old address (its links lead readers to that story) is refused
in the article's form, the story's own earlier names excepted: saved, it sent every link already
out (shared, mailed, in search engines) to the new story instead, without a word to the editor,
and the story renamed lost that address for good. Ending the old address, on its story's form,
frees it."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from articles.models import Article
from articles.services import save_article
from tests.article_forms import as_new_story, change_form_data

TAKEN = "“xiaomi-car” is an old address of “Xiaomi will mass-produce its car”"


@pytest.fixture
def editor_client(db):
    """Staff in the Editors group, who write stories and rename them."""
    desk = Client()
    desk.force_login(
        Group.objects.get(name="Editors").user_set.create(username="desk", is_staff=True)
    )
    return desk


def _rename(article, slug):
    article.slug = slug
    return save_article(article=article)


def _review(article) -> dict:
    """A new story's add form, as its reporter left the slug made from its headline."""
    return as_new_story(
        change_form_data(article, title="Xiaomi's car, reviewed", slug="xiaomi-car")
    )


def test_a_new_story_may_not_take_another_story_s_old_address(client, editor_client, article):
    _rename(article, "xiaomi-starts-car-production")
    data = _review(article)

    response = editor_client.post("/admin/articles/article/add/", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert TAKEN in page
    assert "Choose another, or end that old address first" in page
    assert 'value="Xiaomi&#x27;s car, reviewed"' in page  # the words kept
    assert Article.objects.count() == 1
    led_to = client.get("/articles/xiaomi-car/")["Location"]
    assert led_to == "/articles/xiaomi-starts-car-production/"


def test_nor_may_a_story_renamed_to_it(client, editor_client, article, make_article):
    _rename(article, "xiaomi-starts-car-production")
    other = make_article(title="Xiaomi's car, reviewed", slug="xiaomi-review")

    response = editor_client.post(
        f"/admin/articles/article/{other.pk}/change/", change_form_data(other, slug="xiaomi-car")
    )

    assert response.status_code == 200 and TAKEN in response.content.decode()
    assert Article.objects.get(pk=other.pk).slug == "xiaomi-review"


def test_the_preview_says_so_too(editor_client, article):
    _rename(article, "xiaomi-starts-car-production")
    data = _review(article)

    response = editor_client.post("/admin/articles/article/add/preview/", data)

    assert response.status_code == 400 and TAKEN in response.content.decode()


def test_a_story_may_go_back_to_a_name_of_its_own(client, editor_client, article):
    _rename(article, "xiaomi-starts-car-production")
    old = article.old_slugs.get()
    data = change_form_data(article, slug="xiaomi-car") | {
        "old_slugs-TOTAL_FORMS": "1",
        "old_slugs-INITIAL_FORMS": "1",
        "old_slugs-0-id": old.pk,
        "old_slugs-0-article": article.pk,
    }

    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 302
    assert client.get("/articles/xiaomi-car/").status_code == 200


def test_an_old_address_ended_is_free_to_take(editor_client, article):
    _rename(article, "xiaomi-starts-car-production")
    article.old_slugs.all().delete()
    data = _review(article)

    assert editor_client.post("/admin/articles/article/add/", data).status_code == 302
    assert Article.objects.filter(slug="xiaomi-car").exists()
