"""Home, section, author and tag pages: paging that works without JavaScript."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.list_pages import PAGE_SIZE


@pytest.fixture
def archive(make_article, tag):
    # One lead story plus two and a half pages of the rest.
    return [make_article(tags=[tag]) for _ in range(PAGE_SIZE * 2 + 6)]


def test_home_shows_the_lead_story_and_links_to_the_next_page(client, archive):
    html = client.get("/").content.decode()

    assert 'class="lead-story' in html
    assert archive[0].title in html
    # A list shows a comment count only when there are comments (docs/design.md): the lead too.
    lead = html[html.index('class="lead-story') :]
    assert "0 comments" not in lead[: lead.index("</section>")]
    assert 'rel="next"' in html and "?page=2" in html
    assert "No more pages to load" not in html


def test_the_last_page_says_no_more_pages_to_load(client, archive):
    html = client.get("/?page=3").content.decode()

    assert "No more pages to load" in html
    assert 'rel="next"' not in html
    assert 'class="lead-story' not in html
    assert archive[-1].title in html


def test_every_article_appears_exactly_once_across_the_pages(client, archive):
    pages = [client.get(address).content.decode() for address in ("/", "/?page=2", "/?page=3")]
    joined = "".join(pages)

    for article in archive:
        assert joined.count(f'href="{article.get_absolute_url()}"') == 1, article.title


@pytest.mark.parametrize(
    "page",
    ["4", "999", "0", "-1", "abc", "1e9", "2.0", "99999999999", "2&page=3", "2&page=2", "2&page=1"],
)
def test_pages_past_the_end_or_not_numbers_do_not_exist(client, archive, page):
    # A page named twice is not a second address of either.
    for url in ("/", "/section/technology/", "/tag/electric-cars/"):
        assert client.get(f"{url}?page={page}").status_code == 404, (url, page)


def test_page_two_says_which_page_it_is_in_its_title_and_heading(client, archive):
    home = client.get("/?page=2").content.decode()
    section = client.get("/section/technology/?page=2").content.decode()

    assert "<title>Latest news – page 2 · " in home
    assert '<h1 class="mb-3">Latest news – page 2</h1>' in home
    assert "<title>Technology – page 2 · " in section
    assert ">Technology – page 2</h1>" in section
    first = client.get("/section/technology/").content.decode()
    assert "<title>Technology · " in first and "page 1" not in first


def test_each_list_page_names_its_one_canonical_address_on_the_site_url(client, archive, settings):
    settings.SITE_URL = "https://news.example"

    first = client.get("/section/technology/", HTTP_HOST="localhost").content.decode()
    second = client.get("/?page=2").content.decode()

    assert '<link rel="canonical" href="https://news.example/section/technology/">' in first
    assert '<link rel="canonical" href="https://news.example/?page=2">' in second


@pytest.mark.parametrize(
    ("asked", "led_to"),
    [
        ("/?page=1", "/"),
        ("/section/technology/?page=1", "/section/technology/"),
        ("/tag/electric-cars/?page=1", "/tag/electric-cars/"),
        ("/search/?q=car+news&page=1", "/search/?q=car+news"),
        ("/search/?page=1&q=car", "/search/?q=car"),
    ],
)
def test_page_one_asked_by_number_leads_for_good_to_its_one_address(client, archive, asked, led_to):
    response = client.get(asked)

    assert response.status_code == 301
    assert response["Location"] == led_to
    assert "public" in response["Cache-Control"]  # every reader is sent the same way


def test_previous_page_links_to_page_one_by_its_one_address(client, archive):
    second = client.get("/section/technology/?page=2").content.decode()
    third = client.get("/section/technology/?page=3").content.decode()

    assert '<a class="ms-2" rel="prev" href=".">' in second
    assert 'rel="prev" href="?page=2"' in third


def test_a_list_of_one_page_does_not_say_there_are_no_more_pages(client, make_article):
    make_article()

    html = client.get("/section/technology/").content.decode()

    assert "No more pages to load" not in html
    assert 'rel="next"' not in html


@pytest.mark.parametrize(
    "url", ["/section/technology/", "/author/marta-ribeiro/", "/tag/electric-cars/"]
)
def test_section_author_and_tag_pages_list_and_page(client, archive, url):
    first = client.get(url).content.decode()
    last = client.get(url + "?page=3").content.decode()

    assert archive[0].title in first
    assert "?page=2" in first
    assert "No more pages to load" in last


def test_unknown_section_author_or_tag_is_404(client, db):
    for url in ("/section/nope/", "/author/nope/", "/tag/nope/"):
        assert client.get(url).status_code == 404


def test_list_cards_show_the_approved_comment_count(client, make_article):
    lead, older = make_article(), make_article()
    type(lead).objects.filter(pk=older.pk).update(approved_comment_count=3)
    type(lead).objects.filter(pk=lead.pk).update(approved_comment_count=1)

    html = client.get("/").content.decode()

    assert "3 comments" in html
    assert "1 comment<" in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/", "/section/technology/", "/tag/electric-cars/"])
def test_listing_query_count_does_not_depend_on_page_size(
    client, make_article, tag, settings, url, django_assert_max_num_queries
):
    make_article(tags=[tag])
    make_article(tags=[tag])
    small = _queries(client, url)
    for _ in range(PAGE_SIZE * 2):
        make_article(tags=[tag])

    assert _queries(client, url) == small
    with django_assert_max_num_queries(8):
        client.get(url)


def test_list_times_say_their_zone_as_the_article_s_byline_does(client, make_article, settings):
    settings.TIME_ZONE = "America/New_York"
    lead, card = make_article(), make_article()
    lead.published_at, card.published_at = card.published_at, lead.published_at  # lead newest
    for story in (lead, card):
        type(story).objects.filter(pk=story.pk).update(published_at=story.published_at)

    html = client.get("/").content.decode()
    article_page = client.get(card.get_absolute_url()).content.decode()

    for story in (lead, card):
        local = story.published_at.astimezone(ZoneInfo("America/New_York"))
        shown = f"{local.day} {local:%b %Y, %H:%M} {local.tzname()}</time>"
        assert html.count(shown) >= 1, f"{story.title}: no zone on the home page"
    assert f"{local:%H:%M} {local.tzname()}</time>" in article_page
    # The rail of latest stories beside an article (after the suggested ones): "5 Dec, 07:48 EST".
    more = [make_article() for _ in range(5)]
    rail = client.get(more[-1].get_absolute_url()).content.decode()
    assert 'class="rail-block latest"' in rail
    assert re.search(r"\d{1,2} [A-Z][a-z]{2}, \d\d:\d\d E[SD]T</time>", rail), "no zone in the rail"


def test_a_section_author_or_tag_with_no_stories_yet_leads_on_to_the_latest_news(
    client, editor, section, author, tag
):
    # A section is in every menu: its page is there for readers. An author's or a tag's is not
    # until a story goes out under it (tests/test_listing_unpublished_entries.py): its editors
    # preview it.
    html = client.get(section.get_absolute_url()).content.decode()
    assert "No stories here yet." in html
    assert 'Read <a href="/">the latest news on the front page</a>.' in html
    for owner in (author, tag):
        assert client.get(owner.get_absolute_url()).status_code == 404, owner
    desk = type(client)()
    desk.force_login(editor)
    for owner in (author, tag):
        html = desk.get(owner.get_absolute_url()).content.decode()
        assert "No stories here yet." in html, owner
        assert 'Read <a href="/">the latest news on the front page</a>.' in html, owner
    front = client.get("/").content.decode()  # a site with no stories at all
    assert "No stories here yet." in front and "on the front page" not in front


def test_the_pager_reads_back_then_on(client, archive):
    html = client.get("/?page=2").content.decode()
    pager = html[html.index('class="pagination-nav') :]

    # "Next page  Previous page" read (and tabbed) backwards.
    assert pager.index(">Previous page<") < pager.index(">Next page<")
    last = client.get("/?page=3").content.decode()
    assert last.index(">Previous page<") < last.index("No more pages to load")
