"""A story's picture says words on its page: its caption under it, and its alt text to those who
hear the page read out (and to everyone when it does not load). Readers' search, and the
admin's, find the story by them, on SQLite and on PostgreSQL (its trigger-kept, GIN-indexed
search_vector); words left from a picture since removed, which the page no longer shows, find
nothing."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import F

from articles.models import Article

CAPTION = "Fishermen mend their nets at Nazaré harbour."
ALT = "A blue trawler named Gaivota tied up at the quay."


def _results(client, query: str) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def pictured(make_article):
    story = make_article(title="The fleet stays in port", body="Storms kept the boats in.")
    Article.objects.filter(pk=story.pk).update(
        hero_image="heroes/harbour.jpg", hero_alt=ALT, hero_caption=CAPTION
    )
    return story


@pytest.mark.parametrize("word", ["Nazaré", "nets", "Gaivota", "trawler"])
def test_a_word_of_the_picture_s_caption_or_alt_text_finds_the_story(client, pictured, word):
    html = _results(client, word)

    assert "1 result" in html and ">The fleet stays in port<" in html


def test_the_admin_finds_it_by_them_too(client, editor, pictured):
    client.force_login(editor)

    listed = client.get("/admin/articles/article/", {"q": "Gaivota"}).content.decode()

    assert ">The fleet stays in port<" in listed


def test_words_of_a_picture_since_removed_find_nothing(client, pictured):
    Article.objects.filter(pk=pictured.pk).update(hero_image="")

    assert "0 results" in _results(client, "Gaivota")
    assert "0 results" in _results(client, "Nazaré")
    assert "1 result" in _results(client, "storms")


def test_stories_pictured_before_the_upgrade_are_found_by_their_pictures(client, pictured):
    migration = importlib.import_module("articles.migrations.0020_search_hero_picture_words")
    if connection.vendor == "postgresql":
        # As the release before indexed the row: without the picture's words.
        with connection.cursor() as cursor:
            cursor.execute(migration.BACKWARD)
        Article.objects.filter(pk=pictured.pk).update(title=F("title"))
        assert "0 results" in _results(client, "Gaivota")

    migration.forward(apps, connection.schema_editor())

    assert "1 result" in _results(client, "Gaivota")
