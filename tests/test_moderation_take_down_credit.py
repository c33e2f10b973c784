"""A take-down is told as the take-down it was, by whoever took the comment down: the comment
keeps the name of the moderator who approved it, who never decided to take it off the page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment
from comments.services import approve, take_down
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"


def _approved_then_taken_down(article, make_comment, *, approver, remover, reason="Libel"):
    comment = make_comment(article)
    approve(comment=comment, by=approver)
    take_down([comment], by=remover, reason=reason)
    comment.refresh_from_db()
    return comment


def test_the_rejected_list_says_who_took_a_comment_down_in_the_same_queries_for_2_or_12(
    moderator_client, moderator, second_moderator, article, make_comment
):
    def down(count):
        for _ in range(count):
            _approved_then_taken_down(
                article, make_comment, approver=moderator, remover=second_moderator
            )

    def page():
        with CaptureQueriesContext(connection) as ctx:
            html = moderator_client.get(f"{CHANGELIST}?status=rejected").content.decode()
        return html, len(ctx.captured_queries)

    down(2)
    html, few = page()
    assert html.count('<div class="decided-by">Libel, taken down by moderator2</div>') == 2
    assert "by moderator</div>" not in html

    down(10)
    html, many = page()
    assert html.count('<div class="decided-by">Libel, taken down by moderator2</div>') == 12
    assert many == few


def test_a_decision_on_a_comment_taken_down_meanwhile_names_who_took_it_down(
    moderator_client, moderator, second_moderator, article, make_comment
):
    comment = make_comment(article, name="Writer")
    seen = comment.revision
    approve(comment=comment, by=moderator)  # from another tab, say
    take_down([comment], by=second_moderator, reason="Libel")

    response = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/approve/",
        {f"seen-{comment.pk}": seen},
        HTTP_ACCEPT="application/json",
    )

    assert response.json()["message"] == (
        "Comment by Writer had already been taken down by moderator2; your decision was not "
        "applied."
    )


def test_a_bulk_decision_says_which_ticked_comments_were_taken_down_and_by_whom(
    moderator_client, moderator, second_moderator, article, make_comment
):
    waiting = make_comment(article)
    gone = make_comment(article)
    shown = as_shown([waiting, gone])
    approve(comment=gone, by=moderator)
    take_down([gone], by=second_moderator, reason="Libel")

    response = moderator_client.post(
        CHANGELIST,
        {"action": "approve_selected", "_selected_action": [waiting.pk, gone.pk], **shown},
        follow=True,
    )

    html = response.content.decode()
    assert "1 comment had already been decided (1 taken down by moderator2)" in html
    assert "rejected by moderator" not in html


def test_the_queue_is_told_a_card_decided_meanwhile_was_taken_down_and_by_whom(
    moderator_client, moderator, second_moderator, article, make_comment
):
    comment = _approved_then_taken_down(
        article, make_comment, approver=second_moderator, remover=moderator
    )

    decided = moderator_client.get(f"{CHANGELIST}meanwhile/", {"pk": comment.pk}).json()

    assert decided["decided"] == {
        str(comment.pk): "Decided meanwhile by you, on another page: taken down."
    }
    assert Comment.objects.get(pk=comment.pk).moderated_by == second_moderator
