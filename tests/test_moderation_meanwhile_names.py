"""What a bulk action or "Back to the queue" tells a moderator about a comment someone changed
after their page showed it: what was done to it meanwhile, and by whom (never an old act, nor
a moderator for what readers' reports did), and no server error for one deleted meanwhile."""

import pytest

from comments.admin_meanwhile import changed_meanwhile
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
