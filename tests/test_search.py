"""Searching the archive from the header box."""

import pytest
from django.db import connection
from django.utils.html import escape


@pytest.fixture
def archive(make_article):
    return {
        "title": make_article(title="Xiaomi electric car plans", body="A phone maker builds cars."),
        "body": make_article(title="Phone sales", body="Xiaomi sold many phones this quarter."),
        "other": make_article(title="Marathon record", body="Runners enjoyed cool weather."),
    }


def test_search_finds_articles_by_title_and_body(client, archive):
    html = client.get("/search/", {"q": "xiaomi"}).content.decode()

    assert "Xiaomi electric car plans" in html
    assert "Phone sales" in html
    assert "Marathon record" not in html
    assert "2 results" in html


def test_matches_are_highlighted_in_an_escaped_snippet(client, make_article):
    make_article(title="Escaping", body="Xiaomi <b>bold</b> & friends")

    html = client.get("/search/", {"q": "xiaomi"}).content.decode()

    assert "<mark>Xiaomi</mark>" in html
    assert "<b>bold</b>" not in html


def test_a_word_left_out_keeps_title_matches_first(client, make_article):
    make_article(title="Phone sales", body="Xiaomi sold phones, and cars too.")
    make_article(title="Market notes", body="Shoppers looked at cars this week.")
    make_article(title="Second-hand cars find buyers", body="Dealers are busy.")  # the oldest

    html = client.get("/search/", {"q": "cars -xiaomi"}).content.decode()

    assert "2 results" in html
    assert html.index("Second-hand cars find buyers") < html.index("Market notes")


def test_accents_and_case_do_not_stand_in_a_readers_way(client, make_article):
    make_article(title="A factory for São Paulo", body="Work starts near Praça da Sé.")
    queries = ["são paulo"]
    # The product's search folds accents and case; SQLite's development fallback is a
    # substring match that folds ASCII case only (README).
    if connection.vendor == "postgresql":
        queries += ["sao paulo", "SÃO", "Praca", "SAO PAULO"]
    for query in queries:
        html = client.get("/search/", {"q": query}).content.decode()
        assert "1 result" in html, query
        assert "A factory for São Paulo" in html, query
    if connection.vendor == "postgresql":
        html = client.get("/search/", {"q": "praca"}).content.decode()
        assert "<mark>Praça</mark>" in html


def test_title_matches_rank_above_newer_body_matches(client, make_article):
    make_article(title="Phone sales", body="Xiaomi sold many phones this quarter.")
    make_article(title="Xiaomi electric car plans", body="A phone maker builds cars.")  # older

    html = client.get("/search/", {"q": "xiaomi"}).content.decode()

    assert html.index("Xiaomi electric car plans") < html.index("Phone sales")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!???...",
        "x" * 5000,
        "' OR 1=1; DROP TABLE articles_article; --",
        '"unterminated',
        "a & | ! ( ) :* <-> \\",
        "\x00\x01nul",
        "<script>alert(1)</script>",
        "--xiaomi",
        "- -",
    ],
)
def test_odd_queries_get_a_normal_page(client, archive, query):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("query", ["-xiaomi", '-"electric car" -phone'])
def test_a_search_of_only_words_left_out_lists_the_rest(client, archive, query):
    response = client.get("/search/", {"q": query})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Marathon record" in html
    assert "Xiaomi electric car plans" not in html


def test_search_results_page_and_keep_the_query(client, make_article):
    for i in range(12):
        make_article(title=f"Battery story {i}")

    html = client.get("/search/", {"q": "battery"}).content.decode()

    assert "12 results" in html
    assert "?q=battery&amp;page=2" in html


def test_a_search_with_no_results_does_not_talk_about_more_pages(client, archive):
    html = client.get("/search/", {"q": "zeppelin"}).content.decode()

    assert "0 results" in html
    assert "No more pages to load" not in html


def test_a_search_with_no_results_leads_on_to_the_latest_news(client, archive):
    html = client.get("/search/", {"q": "zeppelin"}).content.decode()

    assert "No articles match. Try other words, or read " in html
    assert '<a href="/">the latest news on the front page</a>.' in html


def test_a_search_of_only_common_words_says_why_it_finds_nothing(client, make_article):
    make_article(title="The rise and fall of the phone", body="A story of phones.")

    html = client.get("/search/", {"q": "the and of"}).content.decode()

    if connection.vendor == "postgresql":
        # Its stop words are left out of the search: nothing is left to look for.
        assert "0 results" in html
        assert "Words as common as these" in html and "Try a word particular" in html
    else:
        # SQLite's substring search (development) looks for every word.
        assert "1 result" in html and "The rise and fall of the phone" in html
    for other in ("zeppelin", "_ -"):  # a word nothing has; marks that are no words at all
        answer = client.get("/search/", {"q": other}).content.decode()
        assert "0 results" in answer and "Words as common" not in answer


def test_search_page_two_has_its_own_title_and_past_the_end_is_404(client, make_article):
    for i in range(12):
        make_article(title=f"Battery story {i}")

    html = client.get("/search/", {"q": "battery", "page": "2"}).content.decode()

    assert "<title>Search: battery – page 2 · " in html
    assert 'rel="prev" href="?q=battery"' in html
    assert client.get("/search/", {"q": "battery", "page": "3"}).status_code == 404


def test_the_search_page_without_words_has_no_page_two(client, make_article):
    # It lists nothing: a "Search - page 2" heading over "Type a word or two" is a page that is
    # not there, as page 3 of a two-page search is.
    for i in range(12):
        make_article(title=f"Battery story {i}")

    assert client.get("/search/").status_code == 200
    for query in ({}, {"q": ""}, {"q": "  "}, {"q": "!?"}):
        assert client.get("/search/", {**query, "page": "2"}).status_code == 404, query


def test_a_snippet_from_the_middle_of_a_body_starts_and_ends_on_whole_words(client, make_article):
    filler = "Extraordinarily " * 30
    make_article(title="Long read", body=f"{filler}the zeppelin landed softly. {filler}")

    html = client.get("/search/", {"q": "zeppelin"}).content.decode()
    snippet = html.split('class="snippet')[1].split("</p>")[0].split(">", 1)[1]
    words = snippet.replace("<mark>", "").replace("</mark>", "").strip(" …").split()

    assert "zeppelin" in snippet
    whole_words = {"Extraordinarily", "the", "zeppelin", "landed", "softly."}
    assert all(word in whole_words for word in words)


def test_the_results_page_has_one_search_box_holding_the_query(client, archive):
    html = client.get("/search/", {"q": "xiaomi"}).content.decode()

    assert html.count('type="search"') == 1
    assert 'value="xiaomi"' in html
    assert client.get("/").content.decode().count('type="search"') == 1  # the header's


def test_search_query_count_is_constant(client, make_article, django_assert_max_num_queries):
    for i in range(10):
        make_article(title=f"Battery story {i}")

    # The count, the page, PostgreSQL's snippets, the menu and the breaking-news strip.
    with django_assert_max_num_queries(6):
        assert client.get("/search/", {"q": "battery"}).status_code == 200


def test_postgres_search_predicate_is_served_by_the_gin_index(archive):
    from articles.models import Article
    from articles.search import search_articles

    qs = search_articles(Article.objects.all(), "xiaomi")
    if connection.vendor != "postgresql":
        assert qs.count() == 2
        return
    assert qs.count() == 2  # the trigger filled search_vector on insert
    # Three rows make a sequential scan cheapest; forbid it to see which index serves the match.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = Article.objects.filter(pk__in=qs.values("pk")).explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "articles_article_search_gin" in plan


def test_a_phrase_left_out_leaves_its_articles_out_and_its_words_out_of_the_ranking(
    client, make_article
):
    make_article(title="Phone sales", body="The Xiaomi SU7 sold well, like other cars.")
    make_article(title="Market notes", body="Cars: the SU7 class, SU7 rivals, SU7 prices.")
    make_article(title="Second-hand cars find buyers", body="Dealers are busy.")  # the oldest

    html = client.get("/search/", {"q": 'cars -"xiaomi su7"'}).content.decode()

    assert "2 results" in html
    assert "Phone sales" not in html
    assert html.index("Second-hand cars find buyers") < html.index("Market notes")


@pytest.mark.parametrize("typed", ["((", '"?!"', "<> &"])
def test_marks_with_no_word_stay_in_the_box_and_the_page_says_why_nothing_was_searched(
    client, archive, typed
):
    response = client.get("/search/", {"q": f"  {typed}\x01 "})

    html = response.content.decode()
    assert response.status_code == 200
    shown = escape(typed)
    assert f'value="{shown}"' in html  # not an empty box, as if nothing had been typed
    assert f"“{shown}” has no letters or numbers to search for. Type a word or two." in html
    assert "Type a word or two to search the archive." not in html
    assert "<> &" not in html
