"""The Undo of a take-down made away from the queue's cards says where the comment now is: a
comment its readers' reports had hidden before it came down is hidden by them again, back in
the queue, not "up again"."""

from django.test import Client

from articles.models import Article
from comments.desk import report_comment
from comments.models import Comment, ModerationPolicy
from tests.test_moderation_undo_take_down_elsewhere import (
    CHANGELIST,
    _take_down_from_approved_list,
    _undo_form,
)


def _hide(comment):
    report_comment(comment=comment, reason="abuse", ip="198.51.100.7")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def _take_down_from_its_page(client, comment):
    return client.post(
        f"{CHANGELIST}{comment.pk}/take-down/",
        {f"seen-{comment.pk}": comment.revision, "_changelist_filters": "status=reported"},
        follow=True,
    ).content.decode()


def test_a_hidden_comment_taken_down_from_its_page_is_hidden_again_when_undone(
    moderator_client, approved_comment
):
    ModerationPolicy.objects.create(hide_after_reports=1)
    _hide(approved_comment)
    url, fields = _undo_form(_take_down_from_its_page(moderator_client, approved_comment))

    answer = moderator_client.post(url, fields, follow=True).content.decode()

    assert (
        "Not taken down after all. The comment by Early Bird is hidden by its reports again, "
        "its reports open: decide again."
    ) in answer
    assert "is up again" not in answer
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.PENDING
    assert (
        "Early Bird"
        not in Client().get(approved_comment.article.get_absolute_url()).content.decode()
    )


def test_several_undone_say_how_many_are_up_and_how_many_hidden(
    moderator_client, article, make_comment
):
    up = [make_comment(article, status="approved") for _ in range(2)]
    hidden = make_comment(article, status="approved", name="Hidden Writer")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=3)
    ModerationPolicy.objects.create(hide_after_reports=1)
    _hide(hidden)
    for comment in up:
        _take_down_from_approved_list(moderator_client, comment)
    _take_down_from_its_page(moderator_client, hidden)

    answer = moderator_client.post(
        f"{CHANGELIST}undo-take-down/", {"undo": [c.pk for c in [*up, hidden]]}, follow=True
    ).content.decode()

    assert (
        "Not taken down after all: 2 comments are up again, 1 is hidden by its reports again."
    ) in answer
    assert list(Comment.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved",
        "approved",
        "pending",
    ]


def test_one_undo_puts_back_each_comment_with_its_own_replies_and_reports(
    moderator_client, client, article, make_comment
):
    with_reply = make_comment(article, status="approved", name="Thread Starter")
    make_comment(article, status="approved", parent=with_reply, body="The reply.")
    reported = make_comment(article, status="approved", name="Reported Writer")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=3)
    report_comment(comment=reported, reason="abuse", ip="198.51.100.7")
    ticked = [with_reply, reported]
    url, fields = _undo_form(
        moderator_client.post(
            f"{CHANGELIST}?status=approved",
            {
                "action": "take_down_selected",
                "_selected_action": [c.pk for c in ticked],
                **{f"seen-{c.pk}": c.revision for c in ticked},
            },
            follow=True,
        ).content.decode()
    )
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0

    answer = moderator_client.post(url, fields, follow=True).content.decode()

    assert "Not taken down after all: 2 comments are up again." in answer
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    assert Article.objects.get(pk=article.pk).approved_comment_count == 3
    assert reported.reports.open().count() == 1
    assert "The reply." in client.get(article.get_absolute_url()).content.decode()
