"""A published comment can be taken down again, with a reason, by moderators only."""

import pytest

from articles.models import Article
from comments.models import Comment, Report
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"


def take_down(client, comment, reason="Personal attack"):
    # From the list of published comments, where a moderator finds it (its row posts the
    # revision it showed).
    return client.post(
        CHANGELIST + "?status=approved",
        {
            "action": "take_down_selected",
            "_selected_action": [comment.pk],
            **as_shown([comment]),
            "reason": reason,
        },
    )


def test_a_moderator_takes_down_a_published_comment_and_its_replies(
    moderator_client, client, article, approved_comment, make_comment
):
    reply = make_comment(article, parent=approved_comment, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    assert "Early Bird" in client.get(article.get_absolute_url()).content.decode()

    response = take_down(moderator_client, approved_comment)

    assert response.status_code == 302
    approved_comment.refresh_from_db()
    reply.refresh_from_db()
    assert approved_comment.status == reply.status == Comment.Status.REJECTED
    assert approved_comment.rejection_reason == "Personal attack"
    article.refresh_from_db()
    assert article.approved_comment_count == 0
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Early Bird" not in html
    assert "0 comments" in html


def test_the_commenter_status_page_shows_the_reason_after_a_take_down(
    moderator_client, client, approved_comment
):
    take_down(moderator_client, approved_comment)

    html = client.get(approved_comment.status_url).content.decode()

    assert "Personal attack" in html
    assert "a moderator took it off the site" in html


def test_a_take_down_without_a_reason_still_tells_its_author_what_happened(
    moderator_client, client, approved_comment
):
    # The reported queue's "Take down" button asks for no reason.
    take_down(moderator_client, approved_comment, reason="")

    html = client.get(approved_comment.status_url).content.decode()

    assert "<strong>taken down</strong>: it was published, then a moderator took it" in html
    assert "Moderator’s reason" not in html


def test_taking_down_a_pending_comment_changes_nothing(moderator_client, article, make_comment):
    pending = make_comment(article)

    # Selected on the unfiltered list, where a pending comment is shown too.
    response = moderator_client.post(
        CHANGELIST,
        {
            "action": "take_down_selected",
            "_selected_action": [pending.pk],
            **as_shown([pending]),
            "reason": "Spite",
        },
        follow=True,
    )

    assert "None of those comments was published." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING
    assert pending.rejection_reason == ""


def test_staff_without_the_moderation_permission_cannot_take_down(
    stranger_client, approved_comment
):
    take_down(stranger_client, approved_comment)

    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED


def test_take_down_leaves_pending_comments_alone_and_purges_the_cached_page(
    settings,
    client,
    article,
    approved_comment,
    make_comment,
    moderator,
    django_capture_on_commit_callbacks,
):
    from comments.services import take_down as take_down_service

    settings.FRAGMENT_CACHE_SECONDS = 300
    pending = make_comment(article)
    assert "Early Bird" in client.get(article.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        count = take_down_service([approved_comment, pending], by=moderator)

    assert count == 1
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING
    assert "Early Bird" not in client.get(article.get_absolute_url()).content.decode()


def test_a_take_down_keeps_the_record_of_the_approval(
    moderator_client, moderator, second_moderator, article, make_comment
):
    from comments.services import approve

    comment = make_comment(article)
    approve(comment=comment, by=second_moderator)
    comment.refresh_from_db()
    approved_at = comment.moderated_at

    take_down(moderator_client, comment)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert (comment.moderated_by, comment.moderated_at) == (second_moderator, approved_at)
    assert comment.taken_down_by == moderator
    assert comment.taken_down_at >= approved_at


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("?status=reported", "Reason (sent with take-downs)"),
        ("?status=approved", "Reason (sent with take-downs)"),
        ("", "Reason (sent with rejections)"),
    ],
)
def test_the_action_bars_reason_is_named_for_what_it_goes_with_in_each_list(
    moderator_client, approved_comment, make_comment, query, label
):
    Report.objects.create(comment=approved_comment, reason="abuse", reporter="r1")
    # Every list holds a comment: an empty queue shows no action bar at all.
    make_comment(approved_comment.article, name="Waiting Reader")

    page = moderator_client.get(f"/admin/comments/comment/{query}").content.decode()

    assert f"<label>{label} <input" in page
    other = {"Reason (sent with take-downs)", "Reason (sent with rejections)"} - {label}
    assert other.pop() not in page


def test_the_message_counts_the_comments_ticked_and_their_replies_apart(
    moderator_client, article, approved_comment, make_comment
):
    for _ in range(2):
        make_comment(article, parent=approved_comment, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=3)

    response = moderator_client.post(
        CHANGELIST + "?status=approved",
        {
            "action": "take_down_selected",
            "_selected_action": [approved_comment.pk],
            **as_shown([approved_comment]),
        },
        follow=True,
    )

    # "3 comments taken down" for the one ticked read as two taken down by mistake.
    assert "1 comment taken down, with 2 published replies to it." in response.content.decode()
