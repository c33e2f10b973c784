"""Search finds a story by the words its readers are shown, never by what its Markdown source
holds and the page leaves out (an editor's note, a link definition, a script): anyone could
otherwise confirm such a word, a source's name, one guess at a time. Runs on SQLite and on
PostgreSQL (its trigger-kept index)."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from articles.models import Article

VISIBLE = "The council met on Tuesday."


def _search(client, query: str) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("hidden", "word"),
    [
        ("<!-- Source: Jane Whistleblower, finance office; do not name -->", "Whistleblower"),
        ('[ref]: https://intranet.example/drafts "Quartermaine memo"', "Quartermaine"),
        ('[ref]: https://intranet.example/drafts "Quartermaine memo"', "intranet"),
        ("<script>var zanzibar = 1;</script>", "zanzibar"),
        ("<style>.okapi { color: red }</style>", "okapi"),
        ("Read [the report](https://example.org/marzipan).", "marzipan"),
        ('<span title="Walrus">Seen</span> here.', "walrus"),
    ],
)
def test_a_word_readers_are_not_shown_finds_nothing(client, make_article, hidden, word):
    make_article(title="Council meets", body=f"{VISIBLE}\n\n{hidden}\n\nIt voted.")

    assert "0 results" in _search(client, word)
    # The words readers are shown still find it, and its snippet holds none of the rest.
    found = _search(client, "council Tuesday")
    assert "1 result" in found and ">Council meets<" in found
    assert word.lower() not in found.lower()


@pytest.mark.parametrize(
    "word",
    ["Tuesday", "Okavango", "Pelican", "Albatross", "Kestrel", "Ibis"],
)
def test_every_word_readers_are_shown_still_finds_the_story(client, make_article, word):
    make_article(
        title="Council meets",
        body=(
            f"{VISIBLE} ![A crowd at the Okavango gate](/media/crowd.jpg)\n\n"
            '![The hall](/media/hall.jpg "Pelican Square at noon")\n\n'
            "A note.[^1]\n\n| Who | Vote |\n|---|---|\n| Kestrel | yes |\n\n"
            "    print('Ibis')\n\n[^1]: Says Albatross."
        ),
    )

    html = _search(client, word)

    assert "1 result" in html and ">Council meets<" in html
    assert f"<mark>{word}</mark>" in html


def test_accents_still_fold_in_the_words_readers_are_shown(client, make_article):
    make_article(title="Factory news", body="Work starts near Praça da Sé.\n\n<!-- Açores -->")
    queries = {"praça": 1, "açores": 0}
    if connection.vendor == "postgresql":  # SQLite's fallback folds ASCII case only (README)
        queries |= {"praca": 1, "PRAÇA": 1, "acores": 0}
    for query, count in queries.items():
        html = _search(client, query)
        assert f"{count} result" in html, query


def test_the_admin_finds_stories_by_what_readers_read_too(client, editor, make_article):
    make_article(
        title="Council meets",
        status=Article.Status.DRAFT,
        body=f"{VISIBLE}\n\n<!-- Source: Jane Whistleblower -->",
    )
    client.force_login(editor)

    def listed(query):
        return client.get("/admin/articles/article/", {"q": query}).content.decode()

    assert ">Council meets<" in listed("Tuesday")
    # The one index, the readers': the note is in the editor's form, not in any search.
    assert ">Council meets<" not in listed("Whistleblower")


def test_a_body_drawn_again_is_searched_as_drawn_again(client, make_article):
    article = make_article(title="Council meets", body=f"{VISIBLE}\n\nThe mayor spoke.")
    # As an older renderer left it: the mayor's sentence missing from what readers were shown.
    Article.objects.filter(pk=article.pk).update(body_html=f"<p>{VISIBLE}</p>", body_text=VISIBLE)
    assert "0 results" in _search(client, "mayor")

    call_command("render_bodies", verbosity=0)

    assert "1 result" in _search(client, "mayor")


def test_stories_saved_before_the_upgrade_are_searched_by_their_shown_words(client, make_article):
    make_article(title="Council meets", body=f"{VISIBLE}\n\n<!-- Whistleblower -->")
    # A row as the release before left it: no reader's text yet.
    Article.objects.update(body_text="")
    migration = importlib.import_module("articles.migrations.0017_search_reader_text")

    migration.forward(apps, connection.schema_editor())

    assert "1 result" in _search(client, "Tuesday")
    assert "0 results" in _search(client, "Whistleblower")


def test_a_search_costs_the_queries_it_did(client, make_article, django_assert_num_queries):
    for n in range(12):
        make_article(title=f"Battery story {n}", body=f"{VISIBLE} <!-- note {n} -->")

    # The page, its count, and on PostgreSQL the page's snippets in one more: per page, not
    # per result (and the menu's two: the sections, the breaking-news strip).
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 5):
        assert client.get("/search/", {"q": "tuesday"}).status_code == 200
