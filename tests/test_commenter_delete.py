"""A commenter deletes their comment from its private status page: it leaves the page, the
count, the feed and search at once, and replies keep their place under a "withdrawn"
placeholder, which leaves the count once and the page with its last reply. (Editing:
tests/test_commenter_edit.py.)"""

import re

import pytest
from django.test import Client

from comments.models import Comment, ModerationPolicy
from tests import commenter_links
from tests.commenter_links import delete_url, purged_keys

published = commenter_links.published  # the fixture: a comment on the page


def test_the_status_page_offers_edit_and_delete(reader, article, make_comment):
    comment = make_comment(article, body="Waiting words")

    response = reader.get(comment.status_url)

    page = response.content.decode()
    assert re.search(r'href="/comments/status/[^"/]+/edit/">Edit</a>', page)
    assert re.search(r'href="/comments/status/[^"/]+/delete/">Delete</a>', page)
    assert "no-store" in response["Cache-Control"]
    # Its address names the article by number: a draft's headline is never shown there.
    draft = type(article).objects.create(
        title="Embargoed merger", slug="embargoed", section=article.section, status="draft"
    )
    assert "Embargoed merger" not in reader.get(f"/comments/deleted/{draft.pk}/").content.decode()


@pytest.mark.parametrize("shown", ["public", "draft", "unknown"])
def test_the_deleted_page_says_where_the_comment_was_in_a_whole_sentence(
    reader, article, draft, shown
):
    article_id = {"public": article.pk, "draft": draft.pk, "unknown": 999}[shown]

    page = reader.get(f"/comments/deleted/{article_id}/")

    said = {
        "public": "It is gone from “Xiaomi will mass-produce its car” and from our records;",
        "draft": "It is gone from our records;",
        "unknown": "It is gone from our records;",
    }[shown]
    assert page.status_code == 200
    assert f"<p>{said} its private status link no longer works.</p>" in page.content.decode()


def test_deleting_a_comment_takes_it_off_the_page_the_count_feed_and_search_at_once(
    reader, article, published
):
    comment = published(body="Words about batteries to withdraw")
    assert (
        "Words about batteries to withdraw"
        in reader.get(article.get_absolute_url()).content.decode()
    )

    confirm = reader.get(delete_url(comment))
    response = reader.post(delete_url(comment), follow=True)

    assert "Delete my comment" in confirm.content.decode()
    # Answered by a redirect, so a reload of the answer sends nothing again.
    assert [status for _, status in response.redirect_chain] == [302]
    assert response.status_code == 200
    assert "Your comment is deleted" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not Comment.objects.filter(pk=comment.pk).exists()
    article.refresh_from_db()
    assert article.approved_comment_count == 0
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "Words about batteries to withdraw" not in page
    assert "0 comments" in page
    for url in ["/feed/", "/atom/", "/search/?q=withdraw"]:
        assert "Words about batteries" not in reader.get(url).content.decode()
    status_page = reader.get(comment.status_url)
    assert status_page.status_code == 404
    assert "The comment it was for was deleted" in status_page.content.decode()
    # Pressed again in this browser: as its first press (test_commenter_delete_twice.py).
    again = reader.post(delete_url(comment), follow=True)
    assert again.redirect_chain == response.redirect_chain
    assert "Your comment is deleted" in again.content.decode()
    elsewhere = Client().post(delete_url(comment))
    assert elsewhere.status_code == 404
    assert "The comment it was for was deleted" in elsewhere.content.decode()


def test_a_deleted_comment_with_replies_leaves_a_withdrawn_placeholder_and_the_replies_stay(
    reader, article, published
):
    parent = published(body="The comment to withdraw", name="Maria")
    reply = published(body="A reply that stays", parent=parent, name="Bob")

    reader.post(delete_url(parent))

    parent.refresh_from_db()
    assert (parent.name, parent.email, parent.body, parent.ip_address) == ("", "", "", None)
    article.refresh_from_db()
    assert article.approved_comment_count == 1
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "comment withdrawn by its author" in page.lower()
    assert "The comment to withdraw" not in page
    assert page.index(f'id="comment-{parent.pk}"') < page.index(f'id="comment-{reply.pk}"')
    assert "A reply that stays" in page
    # Nobody can answer the placeholder.
    assert f"reply-to={parent.pk}" not in page
    assert reader.get(parent.status_url).status_code == 404


def test_deleting_purges_the_article_and_the_lists_from_the_front_cache(
    reader, article, published, purges, django_capture_on_commit_callbacks
):
    comment = published()

    keys = purged_keys(
        purges, django_capture_on_commit_callbacks, lambda: reader.post(delete_url(comment))
    )

    assert {f"article-{article.pk}", "list"} <= keys


def test_a_placeholder_leaves_the_count_once_whatever_moderators_do_with_its_thread(
    reader, article, published, moderator
):
    from comments.deletion import delete_comments
    from comments.services import take_down

    parent = published(body="To withdraw")
    reply = published(parent=parent)
    reader.post(delete_url(parent))

    take_down([parent], by=moderator)
    article.refresh_from_db()
    reply.refresh_from_db()
    assert reply.status == Comment.Status.REJECTED
    assert article.approved_comment_count == 0

    delete_comments(Comment.objects.filter(pk=parent.pk))
    article.refresh_from_db()
    assert article.approved_comment_count == 0
    assert not Comment.objects.exists()


def test_an_erase_that_leaves_the_count_unchanged_still_reaches_kept_pages(
    article, published, settings, purges, django_capture_on_commit_callbacks
):
    from comments.desk import report_comment
    from comments.privacy import erase_comments

    settings.FRAGMENT_CACHE_SECONDS = 300
    ModerationPolicy.objects.create(hide_after_reports=1)
    published(body="Words to be erased", name="Xavier Secret", email="x@example.com")
    hidden = published(body="Reported words", name="Xavier Secret", email="x@example.com")
    published(body="An answer that comes back", name="Bob", parent=hidden)
    with django_capture_on_commit_callbacks(execute=True):
        report_comment(comment=hidden, reason="abuse", ip="192.0.2.1")
    url = article.get_absolute_url()
    kept = Client().get(url).content.decode()
    assert "Xavier Secret" in kept and "An answer that comes back" not in kept

    # One published comment goes, one reply comes back under a placeholder: the count holds.
    keys = purged_keys(
        purges,
        django_capture_on_commit_callbacks,
        lambda: erase_comments(email="x@example.com"),
    )

    assert f"article-{article.pk}" in keys
    page = Client().get(url).content.decode()
    assert "Xavier Secret" not in page and "Words to be erased" not in page
    assert "An answer that comes back" in page


def test_deleting_a_placeholder_takes_it_off_kept_pages(
    reader, article, published, settings, purges, django_capture_on_commit_callbacks
):
    from comments.deletion import delete_comments

    settings.FRAGMENT_CACHE_SECONDS = 300
    parent = published(body="Soon withdrawn", name="Maria")
    # A placeholder shows while a published reply hangs on it (a waiting one is not seen).
    published(body="A published reply", name="Bob", parent=parent)
    with django_capture_on_commit_callbacks(execute=True):
        reader.post(delete_url(parent))
    assert "withdrawn by its author" in Client().get(article.get_absolute_url()).content.decode()

    keys = purged_keys(
        purges,
        django_capture_on_commit_callbacks,
        lambda: delete_comments(Comment.objects.filter(pk=parent.pk)),
    )

    assert f"article-{article.pk}" in keys
    assert (
        "withdrawn by its author" not in Client().get(article.get_absolute_url()).content.decode()
    )


def test_a_placeholder_leaves_the_page_with_the_last_reply_under_it(reader, client, published):
    parent = published(body="Soon withdrawn")
    reply = published(parent=parent, body="The only answer")
    reader.post(delete_url(parent))
    page = client.get(parent.article.get_absolute_url()).content.decode()
    assert "Comment withdrawn by its author" in page and "The only answer" in page

    reader.post(delete_url(reply))

    page = client.get(parent.article.get_absolute_url()).content.decode()
    assert "Comment withdrawn by its author" not in page
    assert f'id="comment-{parent.pk}"' not in page
