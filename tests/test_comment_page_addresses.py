"""Each page of an article's comments has one address: the article's own for the first,
`?comments-page=N` for the others. Any other value leads to one of them, so search engines see
no copies of the article, and a shared cache keeps at most a small redirect for a made-up
address, never another copy of the page."""

import re

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comments.models import Comment


@pytest.fixture
def three_pages(article, make_comment, settings):
    """12 threads, 5 a page: pages 1 to 3."""
    settings.COMMENTS_PER_PAGE = 5
    threads = [make_comment(article, status="approved", body=f"Thread {n}.") for n in range(1, 13)]
    Article.objects.filter(pk=article.pk).update(approved_comment_count=12)
    return threads


def _assert_kept_by_nobody(response):
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "public" not in cache_control
    assert "Surrogate-Key" not in response


# Not a page anyone was given: words, zero, signs, leading zeros, blanks, decimals, exponents,
# more digits than any page number has.
NOT_PAGE_NUMBERS = ["abc", "0", "-1", "01", "", "%202", "2.0", "1e3", "12345678901"]


@pytest.mark.parametrize("value", NOT_PAGE_NUMBERS)
def test_a_value_that_is_no_page_number_leads_for_good_to_the_article(
    reader, article, three_pages, value
):
    url = article.get_absolute_url()

    response = reader.get(f"{url}?comments-page={value}")

    assert response.status_code == 301
    assert response["Location"] == url


def test_the_page_named_twice_leads_for_good_to_the_article(reader, article, three_pages):
    url = article.get_absolute_url()

    response = reader.get(f"{url}?comments-page=2&comments-page=3")

    assert response.status_code == 301
    assert response["Location"] == url


def test_a_value_that_is_no_page_number_is_kept_as_the_page_one_redirect_is(
    reader, article, three_pages
):
    url = article.get_absolute_url()
    page_one = reader.get(f"{url}?comments-page=1")

    junk = reader.get(f"{url}?comments-page=abc")

    assert junk.status_code == page_one.status_code == 301
    # Every reader is sent the same way: any shared cache may keep it, as long.
    assert junk["Cache-Control"] == page_one["Cache-Control"]
    assert "public" in junk["Cache-Control"]
    assert f"s-maxage={django_settings.EDGE_CACHE_SECONDS}" in junk["Cache-Control"]
    assert junk["Surrogate-Key"] == page_one["Surrogate-Key"] == "site"


@pytest.mark.parametrize("number", [4, 999, 999_999_999])
def test_a_number_past_the_last_page_leads_to_the_last_page_for_now(
    reader, article, three_pages, number
):
    url = article.get_absolute_url()

    response = reader.get(f"{url}?comments-page={number}")

    assert response.status_code == 302
    assert response["Location"] == f"{url}?comments-page=3"
    _assert_kept_by_nobody(response)
    last = reader.get(response["Location"]).content.decode()
    assert "Page 3 of 3" in last and "Thread 12." in last


@pytest.mark.parametrize(
    ("asked", "status", "led_to"), [("abc", 301, ""), ("9", 302, "&comments-page=3")]
)
def test_the_rest_of_the_address_is_kept_where_it_was(
    reader, article, three_pages, asked, status, led_to
):
    url = article.get_absolute_url()
    answered = three_pages[11]

    response = reader.get(f"{url}?reply-to={answered.pk}&comments-page={asked}&utm_source=mail")

    assert response.status_code == status
    assert response["Location"] == f"{url}?reply-to={answered.pk}{led_to}&utm_source=mail"
    assert reader.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("approved", [0, 2])
def test_past_the_only_page_leads_to_the_article_itself(
    reader, article, make_comment, settings, approved
):
    settings.COMMENTS_PER_PAGE = 5
    for _ in range(approved):
        make_comment(article, status="approved")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=approved)
    url = article.get_absolute_url()

    alone = reader.get(f"{url}?comments-page=2")
    with_more = reader.get(f"{url}?comments-page=2&utm_source=mail")

    assert alone.status_code == with_more.status_code == 302
    assert alone["Location"] == url
    assert with_more["Location"] == f"{url}?utm_source=mail"


def test_replies_do_not_make_pages_of_their_own(reader, article, make_comment, settings):
    """Pages are of threads: 6 threads with 10 replies are 2 pages of 5, not 4."""
    settings.COMMENTS_PER_PAGE = 5
    threads = [make_comment(article, status="approved") for _ in range(6)]
    for _ in range(10):
        make_comment(article, status="approved", parent=threads[0])
    Article.objects.filter(pk=article.pk).update(approved_comment_count=16)
    url = article.get_absolute_url()

    response = reader.get(f"{url}?comments-page=3")

    assert response.status_code == 302
    assert response["Location"] == f"{url}?comments-page=2"


def test_a_signed_in_reader_past_the_last_page_is_led_there_too(
    moderator_client, article, three_pages
):
    url = article.get_absolute_url()

    response = moderator_client.get(f"{url}?comments-page=7")

    assert response.status_code == 302
    assert response["Location"] == f"{url}?comments-page=3"
    _assert_kept_by_nobody(response)


def test_a_page_emptied_by_a_take_down_leads_to_the_new_last_page_despite_the_kept_lists(
    reader, article, three_pages, moderator, settings, django_capture_on_commit_callbacks
):
    from comments.services import take_down

    settings.FRAGMENT_CACHE_SECONDS = 300
    url = article.get_absolute_url()
    assert "Thread 12." in reader.get(f"{url}?comments-page=3").content.decode()  # now kept

    with django_capture_on_commit_callbacks(execute=True):
        take_down(Comment.objects.filter(pk__in=[c.pk for c in three_pages[10:]]), by=moderator)

    response = reader.get(f"{url}?comments-page=3")
    assert response.status_code == 302
    assert response["Location"] == f"{url}?comments-page=2"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("kept", [False, True])
def test_a_real_page_of_comments_costs_what_the_first_does(
    reader, article, three_pages, settings, kept
):
    settings.FRAGMENT_CACHE_SECONDS = 300 if kept else 0
    url = article.get_absolute_url()
    pages = [url, f"{url}?comments-page=2", f"{url}?comments-page=3"]
    if kept:
        for page in pages:
            _queries(reader, page)

    costs = [_queries(reader, page) for page in pages]

    assert costs == [costs[0]] * 3
    if kept:
        assert costs[0] == 1  # the row (is it public?): the rest comes kept


def test_later_pages_of_comments_name_the_article_as_their_one_address(
    reader, article, three_pages
):
    """Page 2 shows the same story as the article, with other comments: its canonical link (and
    social card) is the article's, and it may be indexed as the article is (a noindex beside
    a canonical link would be two contradicting signals)."""
    url = article.get_absolute_url()

    html = reader.get(f"{url}?comments-page=2").content.decode()

    assert f'<link rel="canonical" href="{django_settings.SITE_URL}{url}">' in html
    assert f'<meta property="og:url" content="{django_settings.SITE_URL}{url}">' in html
    assert re.findall(r'<meta name="robots" content="([^"]*)">', html) == [
        "max-image-preview:large"
    ]


def test_a_later_page_of_comments_says_which_in_its_title(reader, article, three_pages):
    url = article.get_absolute_url()
    title = re.compile(r"<title>(.*?)</title>")

    first = reader.get(url).content.decode()
    second = reader.get(f"{url}?comments-page=2").content.decode()

    assert title.search(first).group(1) == f"{article.title} · {django_settings.SITE_NAME}"
    assert title.search(second).group(1) == (
        f"{article.title} – comments, page 2 · {django_settings.SITE_NAME}"
    )
