"""The export link's page lists a commenter's comments a page at a time, as the site's other
lists are paged (?page=N, page 1 at the link itself, no page under a made-up number), newest
first: a regular who wrote thousands gets pages, not one enormous page and query. The signed
link is the page's address, so every page works from it, and each stays as private as the
first."""

import json
import re
from datetime import timedelta
from unittest.mock import ANY

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from comments import export, links
from comments.models import Comment, CommentVersion
from comments.tokens import comment_id_from_token
from tests.mail_helpers import verify


@pytest.fixture
def per_page(settings):
    settings.COMMENTS_PER_PAGE = 2
    return 2


@pytest.fixture
def written(article, make_comment):
    """Five comments by maria@, the newest last, and one by someone else."""
    now = timezone.now()
    comments = []
    for n in range(5):
        comment = make_comment(article, email="maria@example.com", body=f"Thought number {n}")
        Comment.objects.filter(pk=comment.pk).update(created_at=now - timedelta(days=5 - n))
        comments.append(comment)
    make_comment(article, email="someone@example.com")
    return comments


def _export_link(email, settings) -> str:
    return links.privacy_url(verify(email).pk, "export").removeprefix(settings.SITE_URL)


def _linked_comments(page: str) -> list[int]:
    links_ = re.findall(r'href="/comments/status/([^"/]+)/"', page)
    return [comment_id_from_token(token) for token in links_]


def test_the_export_page_lists_a_page_of_comments_newest_first_and_pages_under_its_link(
    written, per_page, settings
):
    link = _export_link("maria@example.com", settings)
    reader = Client()

    pages = [reader.get(link + query).content.decode() for query in ("", "?page=2", "?page=3")]

    newest_first = [comment.pk for comment in reversed(written)]
    assert [_linked_comments(page) for page in pages] == [
        newest_first[:2],
        newest_first[2:4],
        newest_first[4:],
    ]
    for page in pages:
        assert "We hold 5 comments made with your address." in page
        assert '<nav class="pagination-nav my-4" aria-label="More of your comments"' in page
    # Relative links: the signed link stays the address of every page.
    assert 'rel="next" data-load-more href="?page=2">Next page</a>' in pages[0]
    assert 'rel="prev" href=".">Previous page</a>' in pages[1]
    assert 'rel="next" data-load-more href="?page=3">Next page</a>' in pages[1]
    assert 'rel="prev" href="?page=2">Previous page</a>' in pages[2]
    assert "No more pages to load" in pages[2]
    assert "<title>Your comments – page 2 · " in pages[1]
    assert '<h1 class="h3">Your comments – page 2</h1>' in pages[1]
    assert "<title>Your comments · " in pages[0]


def test_page_one_asked_by_number_leads_to_the_link_itself_and_nobody_keeps_the_answer(
    written, per_page, settings
):
    link = _export_link("maria@example.com", settings)

    response = Client().get(link + "?page=1")

    assert response.status_code == 301
    assert response["Location"] == link
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "Surrogate-Key" not in response


@pytest.mark.parametrize("page", ["4", "999", "0", "-1", "abc", "2.0", "99999999999", "2&page=2"])
def test_a_page_past_the_end_or_not_a_number_is_a_private_404_that_leads_back(
    written, per_page, settings, page
):
    link = _export_link("maria@example.com", settings)

    response = Client().get(f"{link}?page={page}")

    assert response.status_code == 404
    assert "No such page" in response.content.decode()
    assert f'<a href="{link}">See your newest comments</a>' in response.content.decode()
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "Surrogate-Key" not in response
    assert response["X-Robots-Tag"] == "noindex"


def test_every_page_costs_the_same_few_queries_however_many_comments(
    article, make_comment, settings, django_assert_num_queries
):
    make_comment(article, email="few@example.com")
    for _ in range(3 * settings.COMMENTS_PER_PAGE):
        make_comment(article, email="many@example.com")
    few = _export_link("few@example.com", settings)
    many = _export_link("many@example.com", settings)
    reader = Client()

    # The address, the count, the site's sections (the menu), the breaking-news strip, the
    # page's comments with their stories.
    for address in (few, many, many + "?page=2", many + "?page=3"):
        with django_assert_num_queries(5):
            assert reader.get(address).status_code == 200


def test_every_page_is_private_and_tells_other_sites_nothing_of_its_link(
    written, per_page, settings
):
    response = Client().get(_export_link("maria@example.com", settings) + "?page=2")

    # Not even to our own stylesheets: the proxy's log writes their Referer (its link).
    assert response["Referrer-Policy"] == "strict-origin"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert "Surrogate-Key" not in response


def test_the_erase_page_still_counts_every_comment(written, per_page, settings):
    link = links.privacy_url(verify("maria@example.com").pk, "erase")
    page = Client().get(link.removeprefix(settings.SITE_URL)).content.decode()

    assert "We hold 5 comments made with your address." in page
    assert "/comments/status/" not in page


def test_a_download_of_many_comments_is_read_a_batch_at_a_time_and_holds_every_one(
    article, make_comment, settings, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(export, "EXPORT_BATCH", 2, raising=False)
    mine = [
        make_comment(article, email="maria@example.com", body=f"Thought number {n}")
        for n in range(5)
    ]
    for comment in (mine[0], mine[3]):
        CommentVersion.objects.create(comment=comment, body=f"Draft {comment.body}")
    make_comment(article, email="someone@example.com")
    link = _export_link("maria@example.com", settings)

    # The link's address and which comments; then, for each two comments, them and their
    # earlier versions: never every comment in one list.
    with django_assert_num_queries(2 + 3 * 2):
        download = Client().get(link + "?download=1")
        data = json.loads(download.getvalue())

    assert download.streaming
    assert download["Content-Type"] == "application/json"
    assert download["Content-Disposition"] == 'attachment; filename="my-comments.json"'
    assert "private" in download["Cache-Control"] and "no-store" in download["Cache-Control"]
    assert data["email"] == "maria@example.com"
    assert [c["body"] for c in data["comments"]] == [f"Thought number {n}" for n in range(5)]
    assert [c["earlier_versions"] for c in data["comments"]][::3] == [
        [{"body": "Draft Thought number 0", "replaced_at": ANY}],
        [{"body": "Draft Thought number 3", "replaced_at": ANY}],
    ]
    assert [c["earlier_versions"] for c in data["comments"]][1:3] == [[], []]


def test_a_database_lost_while_the_download_is_read_gets_the_outage_page_not_half_a_file(
    article, make_comment, settings, monkeypatch
):
    monkeypatch.setattr(export, "EXPORT_BATCH", 1, raising=False)
    for n in range(3):
        make_comment(article, email="maria@example.com", body=f"Thought number {n}")
    link = _export_link("maria@example.com", settings)
    exported = export._exported
    calls = []

    def fails_on_the_second(comment):
        calls.append(comment.pk)
        if len(calls) == 2:
            raise OperationalError("server closed the connection unexpectedly")
        return exported(comment)

    monkeypatch.setattr(export, "_exported", fails_on_the_second)

    response = Client().get(link + "?download=1")

    assert response.status_code == 503
    assert "Content-Disposition" not in response
    assert "Thought number 0" not in response.content.decode()


def test_a_comment_deleted_while_the_download_is_read_leaves_a_file_that_still_reads(
    article, make_comment, settings, monkeypatch
):
    monkeypatch.setattr(export, "EXPORT_BATCH", 2, raising=False)
    mine = [
        make_comment(article, email="maria@example.com", body=f"Thought number {n}")
        for n in range(4)
    ]
    link = _export_link("maria@example.com", settings)
    written_with = export.written_with
    calls = []

    def first_batch_deleted_meanwhile(email):
        calls.append(email)
        if len(calls) == 2:  # after the list of ids, before the first batch is read
            Comment.objects.filter(pk__in=[mine[0].pk, mine[1].pk]).delete()
        return written_with(email)

    monkeypatch.setattr(export, "written_with", first_batch_deleted_meanwhile)

    data = json.loads(Client().get(link + "?download=1").getvalue())

    assert [c["body"] for c in data["comments"]] == ["Thought number 2", "Thought number 3"]


def test_an_address_with_no_comment_left_downloads_an_empty_list(db, settings):
    link = _export_link("maria@example.com", settings)

    data = json.loads(Client().get(link + "?download=1").getvalue())

    assert data["comments"] == []
    assert data["address_confirmed_at"]


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def _said(page: str) -> list[str]:
    """What each "Status:" on a page says."""
    found = re.findall(r'class="comment-status">Status:(.*?)</(?:p|div)>', page, flags=re.DOTALL)
    return [_words(said) for said in found]


def _rows(page: str) -> list[str]:
    """The list of the reader's comments, a row's words each."""
    listed = re.search(r'<ul class="your-comments">(.*?)</ul>', page, flags=re.DOTALL).group(1)
    return [_words(row) for row in re.findall(r"<li>(.*?)</li>", listed, flags=re.DOTALL)]


def test_the_export_page_says_where_each_comment_stands_as_its_status_page_does(
    article, make_article, make_comment, settings, django_assert_num_queries
):
    kept, waits_again, taken_down = (
        make_comment(article, status="approved", email=f"{who}@example.com")
        for who in ("kept", "waits", "gone")
    )
    pulled = make_article(title="Pulled story", slug="pulled")

    def mine(parent=None, on=article, **fields):
        fields = {"status": "approved", **fields}
        return make_comment(on, parent=parent, email="maria@example.com", **fields)

    off_the_page = [
        mine(waits_again),
        mine(taken_down),
        mine(on=pulled),
        mine(status="rejected", taken_down_at=timezone.now()),
    ]
    shown = mine(kept)
    Comment.objects.filter(pk=waits_again.pk).update(status="pending")
    Comment.objects.filter(pk=taken_down.pk).update(status="rejected", taken_down_at=timezone.now())
    type(pulled).objects.filter(pk=pulled.pk).update(status="draft")
    link = _export_link("maria@example.com", settings)

    # The address, the count, the site's sections, the breaking-news strip, the page's comments
    # with their stories and the status of the comments they answer: as many as for comments
    # that answer none.
    with django_assert_num_queries(5):
        page = Client().get(link).content.decode()

    on_their_pages = [_said(Client().get(c.status_url).content.decode()) for c in off_the_page]
    assert on_their_pages == [
        ["approved, and off the page for now: the comment it answers is being reviewed again."],
        # Under the placeholder of the comment it answers, removed after it was published: on
        # the page (tests/test_moderation_edit_rejected_replies.py).
        ["approved and published: see it on the article."],
        ["approved, but off the site with the article: the newsroom has taken the article down."],
        ["taken down: it was published, then a moderator took it off the site."],
    ]
    # Newest first; the one readers see is published (its own page links to it there).
    rows = _rows(page)
    for row, (said,) in zip(rows[1:], reversed(on_their_pages), strict=True):
        # The list links to no article: the status page it links to does.
        assert f"Status: {said.replace(': see it on the article', '')} “" in row
    assert "Status: approved and published. “" in rows[0]
    assert _said(Client().get(shown.status_url).content.decode()) == [
        "approved and published: see it on the article."
    ]
