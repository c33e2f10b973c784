"""An editor finds a story in the admin's list by a phrase from its body or by a byline, as by
its headline or lead."""

import pytest

from articles.models import Author


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def listed(client, query: str) -> str:
    response = client.get("/admin/articles/article/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_a_phrase_from_the_body_finds_the_story(editor_client, make_article):
    make_article(title="Council meets", body="The harbour dredging contract went to Vossberg.")
    make_article(title="Weather", body="Rain all week.")

    page = listed(editor_client, "dredging contract")

    assert ">Council meets<" in page and ">Weather<" not in page
    assert "1 result" in page


def test_a_draft_is_found_by_its_body_too(editor_client, make_article):
    make_article(title="Not out yet", status="draft", body="Embargoed figures on pensions.")

    assert ">Not out yet<" in listed(editor_client, "pensions")


def test_a_byline_finds_the_stories_it_is_on(editor_client, make_article, author):
    other = Author.objects.create(name="Jonas Weber", slug="jonas-weber")
    make_article(title="By Jonas", authors=[other])
    make_article(title="By both", authors=[other, author])
    make_article(title="By Marta only", authors=[author])

    page = listed(editor_client, "Weber")

    assert ">By Jonas<" in page and ">By both<" in page and ">By Marta only<" not in page
    assert "2 results" in page  # a story with two bylines listed once


def test_part_of_a_headline_s_word_still_finds_it(editor_client, make_article):
    make_article(title="Xiaomi ships its car")

    assert ">Xiaomi ships its car<" in listed(editor_client, "Xiao")


def test_the_search_box_says_what_it_searches(editor_client, article):
    page = listed(editor_client, "")
    assert "Words from the headline, lead, body, byline or tags, or a story" in page
    assert "slug or address." in page
