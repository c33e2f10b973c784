"""A commenter edits or deletes their comment from its private status page: edits are screened
again and an edited published comment goes back to the queue (unless the policy keeps clean
edits); a deletion leaves the page, the count, the feed and search at once, and replies keep
their place under a "withdrawn" placeholder."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, CommentVersion, ModerationPolicy
from comments.tokens import comment_id_from_token, status_token


def edit_url(comment):
    return reverse("comments:edit", args=[status_token(comment)])


def delete_url(comment):
    return reverse("comments:delete", args=[status_token(comment)])


@pytest.fixture
def published(article, make_comment):
    def make(**fields):
        comment = make_comment(
            article, status=Comment.Status.APPROVED, moderated_at=timezone.now(), **fields
        )
        Article.objects.filter(pk=article.pk).update(
            approved_comment_count=Comment.objects.approved().filter(article=article).count()
        )
        return comment

    return make


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


def test_the_edit_window_of_a_published_comment_names_its_time_zone(
    reader, article, make_comment, settings
):
    settings.TIME_ZONE = "Europe/Lisbon"
    moderated = timezone.now()
    comment = make_comment(article, status="approved", moderated_at=moderated)

    page = reader.get(comment.status_url).content.decode()

    deadline = timezone.localtime(moderated + timedelta(minutes=settings.COMMENTS_EDIT_MINUTES))
    assert "You can edit it until <time" in page
    assert f">{deadline:%H:%M} {deadline.tzname()}</time>" in page


def test_a_waiting_comment_is_edited_and_the_moderator_sees_what_it_said_before(
    reader, article, make_comment, moderator_client
):
    comment = make_comment(article, body="Teh first version")

    response = reader.post(edit_url(comment), {"body": "The first version, fixed"})

    assert response.status_code == 302
    token = response["Location"].removeprefix("/comments/status/").removesuffix("/")
    assert comment_id_from_token(token) == comment.pk  # back on the status page
    comment.refresh_from_db()
    assert comment.body == "The first version, fixed"
    assert comment.status == Comment.Status.PENDING
    assert list(comment.versions.values_list("body", flat=True)) == ["Teh first version"]
    for page in ("/admin/comments/comment/", f"/admin/comments/comment/{comment.pk}/change/"):
        seen = moderator_client.get(page).content.decode()
        assert "The first version, fixed" in seen
        assert "it said before: “Teh first version”" in seen


def test_an_edit_of_a_published_comment_within_the_window_goes_back_to_the_queue(
    reader, article, published
):
    comment = published(body="Published words")

    response = reader.post(edit_url(comment), {"body": "Changed words"}, follow=True)

    assert "A moderator will review the new text" in response.content.decode()
    comment.refresh_from_db()
    article.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderated_by is None
    assert article.approved_comment_count == 0
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "Changed words" not in page
    assert "Published words" not in page


def test_a_published_comment_cannot_be_edited_after_the_window(
    reader, article, published, settings
):
    settings.COMMENTS_EDIT_MINUTES = 15
    comment = published(body="Old words")
    Comment.objects.filter(pk=comment.pk).update(
        moderated_at=timezone.now() - timedelta(minutes=16)
    )

    status_page = reader.get(comment.status_url).content.decode()
    response = reader.post(edit_url(comment), {"body": "Too late"})

    assert ">Edit</a>" not in status_page
    assert response.status_code == 403
    assert "can no longer be edited" in response.content.decode()
    assert "Too late" in response.content.decode()  # the new words come back to keep
    assert "Save changes" not in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Old words"
    assert comment.status == Comment.Status.APPROVED


def test_the_policy_keeps_a_clean_edit_published_and_sends_a_flagged_one_back(
    reader, article, published
):
    ModerationPolicy.objects.create(publish_clean_edits=True, moderation_words="crypto")
    comment = published(body="Prices are falling")

    reader.post(edit_url(comment), {"body": "Prices are falling fast"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert "Prices are falling fast" in reader.get(article.get_absolute_url()).content.decode()

    reader.post(edit_url(comment), {"body": "Prices are falling: buy crypto"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "moderation word “crypto”" in comment.held_because
    assert CommentVersion.objects.filter(comment=comment).count() == 2


def test_an_empty_edit_is_refused_with_the_form_shown_again(reader, article, make_comment):
    comment = make_comment(article, body="Keep me")

    response = reader.post(edit_url(comment), {"body": "   "})

    assert response.status_code == 200
    # Emptied, perhaps to take it away: the way to do that is named.
    assert "Write something, or delete the comment instead." in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Keep me"


def test_a_forged_link_opens_nothing(reader, article, make_comment):
    comment = make_comment(article)

    for response in [
        reader.get(f"/comments/status/{comment.pk}/"),
        reader.get(f"/comments/status/{comment.pk}/edit/"),
        reader.post(f"/comments/status/{comment.pk}/delete/"),
    ]:
        assert response.status_code == 404
        # In the words every other private link uses, not a bare "Page not found".
        assert "This link no longer works" in response.content.decode()
        assert "no-store" in response["Cache-Control"]


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


def purged_keys(purges, capture, action) -> set[str]:
    """Every key the front cache at FRONT_CACHE_PURGE_URLS is sent for this action, once it
    commits."""
    received_before = len(purges)
    with capture(execute=True):
        action()
    return set().union(*purges[received_before:])


def test_deleting_purges_the_article_and_the_lists_from_the_front_cache(
    reader, article, published, purges, django_capture_on_commit_callbacks
):
    comment = published()

    keys = purged_keys(
        purges, django_capture_on_commit_callbacks, lambda: reader.post(delete_url(comment))
    )

    assert {f"article-{article.pk}", "list"} <= keys


def test_editing_a_published_comment_purges_its_article(
    reader, article, published, purges, django_capture_on_commit_callbacks
):
    comment = published()

    keys = purged_keys(
        purges,
        django_capture_on_commit_callbacks,
        lambda: reader.post(edit_url(comment), {"body": "New words"}),
    )

    assert f"article-{article.pk}" in keys


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


def test_an_edit_the_block_list_sends_to_spam_no_longer_names_the_moderator_who_approved_it(
    reader, article, published, moderator
):
    ModerationPolicy.objects.create(blocked_words="casino")
    comment = published(body="Fair point", moderated_by=moderator)

    reader.post(edit_url(comment), {"body": "Fair point, visit my casino"})

    comment.refresh_from_db()
    article.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert comment.moderated_by is None
    assert article.approved_comment_count == 0


def test_an_edit_the_filters_hold_back_is_not_promised_a_review(reader, article, make_comment):
    ModerationPolicy.objects.create(blocked_words="casino")
    comment = make_comment(article, body="Fair point")

    page = reader.post(edit_url(comment), {"body": "Fair point, visit my casino"}, follow=True)

    text = page.content.decode()
    assert "the site&#x27;s filters held the new text back: it will not be published" in text
    assert "A moderator will review the new text" not in text


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
