"""What a bulk action or "Back to the queue" tells a moderator about a comment someone changed
after their page showed it: what was done to it meanwhile, and by whom (never an old act, nor
a moderator for what readers' reports did), and no server error for one deleted meanwhile."""

from unittest import mock

import pytest

from comments import admin_actions
from comments.admin_meanwhile import changed_meanwhile
from comments.bulk_take_down import take_down_ticked
from comments.desk import dismiss_reports, report_comment
from comments.models import Comment, ModerationPolicy, Report
from comments.services import approve, return_to_queue, take_down
from tests.comment_fixtures import _staff
from tests.test_moderation_requeue_decided_again import (
    CHANGELIST,
    messages,
    page_fields,
    press_back_to_the_queue,
)


@pytest.mark.parametrize("where", ["rejected list", "comment page"])
def test_back_to_the_queue_names_who_approved_it_not_an_old_dismissal(
    moderator_client, second_moderator, django_user_model, approved_comment, where
):
    # It read "The reports on the comment by Early Bird were dismissed by moderator3 meanwhile",
    # weeks after that Dismiss, for what moderator2 did just now.
    third = _staff(django_user_model, "moderator3", groups=["Moderators"])
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    dismiss_reports(comment=approved_comment, by=third)  # long ago: the reports were wrong
    take_down([approved_comment], by=second_moderator, reason="Off topic")
    press = press_back_to_the_queue(moderator_client, approved_comment, where)
    assert return_to_queue([approved_comment], by=second_moderator)
    assert approve(comment=approved_comment, by=second_moderator)

    said = press()

    assert Comment.objects.get(pk=approved_comment.pk).status == Comment.Status.APPROVED
    assert said == ["The comment by Early Bird was approved by moderator2 meanwhile: it stays up."]


def test_a_dismissal_made_meanwhile_is_still_named(moderator, second_moderator, approved_comment):
    ModerationPolicy.objects.create(hide_after_reports=1)
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")  # hidden
    assert dismiss_reports(comment=approved_comment, by=second_moderator)  # up again

    assert changed_meanwhile(approved_comment, by=moderator) == (
        "The reports on the comment by Early Bird were dismissed by moderator2 meanwhile: it "
        "stays up, as they left it."
    )


def test_back_to_the_queue_of_a_comment_readers_reports_hid_meanwhile_blames_no_moderator(
    moderator_client, approved_comment
):
    # It read "… is back in the queue since (put back by another moderator, or edited by its
    # author): it waits there.": neither had happened.
    ModerationPolicy.objects.create(hide_after_reports=1)
    url = f"{CHANGELIST}?status=approved"
    data = page_fields(moderator_client, url, approved_comment.pk)
    data |= {"action": "requeue_selected", "_selected_action": [approved_comment.pk]}
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")

    said = messages(moderator_client.post(url, data, follow=True).content.decode())

    assert said == [
        "The comment by Early Bird was hidden by readers’ reports meanwhile: it waits in the "
        "Reported queue."
    ]
    assert Comment.objects.get(pk=approved_comment.pk).status == Comment.Status.PENDING
    assert Report.objects.open().filter(comment=approved_comment).count() == 1


def test_a_comment_deleted_just_after_the_action_is_told_not_a_server_error(
    moderator_client, second_moderator, approved_comment
):
    # Read again after the action's commit with .get(): a comment deleted in between (its
    # author, an erase) was a server error.
    url = f"{CHANGELIST}?status=approved"
    data = page_fields(moderator_client, url, approved_comment.pk)
    data |= {"action": "take_down_selected", "_selected_action": [approved_comment.pk]}
    take_down([approved_comment], by=second_moderator, reason="Off topic")

    def then_deleted(*args, **kwargs):
        taken = take_down_ticked(*args, **kwargs)
        Comment.objects.filter(pk=approved_comment.pk).delete()
        return taken

    with mock.patch.object(admin_actions, "take_down_ticked", then_deleted):
        answer = moderator_client.post(url, data, follow=True)

    assert answer.status_code == 200
    assert messages(answer.content.decode()) == ["The comment by Early Bird was deleted meanwhile."]
