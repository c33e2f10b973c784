"""A commenter edits their comment from its private status page: edits are screened again and
an edited published comment goes back to the queue (unless the policy keeps clean edits), its
article purged; a forged link opens nothing. (Deleting: tests/test_commenter_delete.py.)"""

from datetime import timedelta

from django.utils import timezone

from comments.models import Comment, CommentVersion, ModerationPolicy
from comments.tokens import comment_id_from_token
from tests import commenter_links
from tests.commenter_links import edit_url, purged_keys

published = commenter_links.published  # the fixture: a comment on the page


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
