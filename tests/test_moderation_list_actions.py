"""Each list of comments offers the bulk actions that do something to the comments it lists:
a decision on a comment decided already, or a take-down of one never published, did nothing
but say so ("put it back in the queue first"), a choice a moderator had to learn to skip."""

import pytest

from comments.models import Comment, Report
from comments.services import mark_spam, reject
from tests.comment_fixtures import offered_actions

CHANGELIST = "/admin/comments/comment/"
DECISIONS = {"approve_selected", "reject_selected", "spam_selected"}


@pytest.mark.parametrize(
    ("listed", "offered"),
    [
        # The queue keeps the take-down: a comment hidden by its reports waits there.
        ("", {*DECISIONS, "take_down_selected"}),
        ("?status=pending", {*DECISIONS, "take_down_selected"}),
        ("?status=approved", {"take_down_selected", "requeue_selected"}),
        ("?status=rejected", {"requeue_selected"}),
        ("?status=spam", {"not_spam_selected", "requeue_selected"}),
        ("?status=reported", {"take_down_selected", "dismiss_reports_selected"}),
        ("?status=all", {*DECISIONS, "take_down_selected", "requeue_selected"}),
    ],
)
def test_each_list_offers_the_actions_that_act_on_what_it_lists(
    moderator_client, superuser_client, moderator, article, make_comment, listed, offered
):
    make_comment(article, status=Comment.Status.PENDING)
    mark_spam(comment=make_comment(article), by=moderator)
    reject(comment=make_comment(article), by=moderator)
    reported = make_comment(article, status=Comment.Status.APPROVED)
    Report.objects.create(comment=reported, reason="other", text="Not true", reporter="reader")

    assert offered_actions(moderator_client, CHANGELIST + listed) == offered
    # Django's delete, in every list for those who may delete (moderators may not: a comment
    # deleted is gone for good, with its replies).
    assert offered_actions(superuser_client, CHANGELIST + listed) == {*offered, "delete_selected"}
