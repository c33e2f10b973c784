""" "Take down selected" tells a ticked comment another moderator took down or whose reports they
dismissed meanwhile once, by name, on the Approved and Pending lists; the Reported queue also
says it left the list (its reports answered), as README says."""

import pytest

from comments.desk import dismiss_reports, report_comment
from comments.models import Comment, ModerationPolicy
from comments.services import take_down
from tests.test_moderation_requeue_decided_again import CHANGELIST, messages, page_fields

LEFT = (
    "1 comment ticked had left this list since the page showed it (decided, taken down, put "
    "back in the queue or its reports answered by another moderator meanwhile, or deleted by "
    "its author) and was left as it was."
)


def _go(client, queue, comment, meanwhile) -> list[str]:
    """ "Take down selected" on `comment` from the `queue` page drawn before `meanwhile` ran."""
    url = f"{CHANGELIST}?status={queue}"
    data = page_fields(client, url, comment.pk)
    assert data, "the comment is on that page"
    data |= {"action": "take_down_selected", "_selected_action": [comment.pk]}
    meanwhile()
    return messages(client.post(url, data, follow=True).content.decode())


DISMISSED = (
    "The reports on the comment by Early Bird were dismissed by moderator2 meanwhile: it stays "
    "up, as they left it."
)


def _dismissed_meanwhile(client, queue, comment, by) -> list[str]:
    return _go(client, queue, comment, lambda: dismiss_reports(comment=comment, by=by))


def test_taken_down_meanwhile_on_the_approved_list_is_told_once(
    moderator_client, second_moderator, approved_comment
):
    # Told twice: "1 comment ticked had left this list …" and the line naming it.
    said = _go(
        moderator_client,
        "approved",
        approved_comment,
        lambda: take_down([approved_comment], by=second_moderator, reason="Off topic"),
    )

    assert said == [
        "The comment by Early Bird had been taken down by moderator2 meanwhile: that decision "
        "stands."
    ]
    assert Comment.objects.get(pk=approved_comment.pk).rejection_reason == "Off topic"


def test_dismissed_meanwhile_on_the_pending_list_is_told_once(
    moderator_client, second_moderator, approved_comment
):
    ModerationPolicy.objects.create(hide_after_reports=1)
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")  # hidden

    said = _dismissed_meanwhile(moderator_client, "pending", approved_comment, second_moderator)

    assert said == [DISMISSED]
    assert Comment.objects.get(pk=approved_comment.pk).status == Comment.Status.APPROVED


@pytest.mark.parametrize("hidden", [False, True])
def test_the_reported_queue_also_says_it_left_the_list(
    moderator_client, second_moderator, approved_comment, hidden
):
    if hidden:
        ModerationPolicy.objects.create(hide_after_reports=1)
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")

    said = _dismissed_meanwhile(moderator_client, "reported", approved_comment, second_moderator)

    assert said == [LEFT, DISMISSED]
