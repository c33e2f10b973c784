"""One "Take down selected" is one decision: the comments readers' reports hid and the
published ones ticked with them come down together or not at all."""

from unittest import mock

import pytest
from django.db import OperationalError

from articles.models import Article
from comments import services
from comments.desk import report_comment
from comments.models import Comment, ModerationPolicy, Report
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def hidden_and_up(article, make_comment):
    """A comment its reader's report hid, and a published one: both on the All list."""
    ModerationPolicy.objects.create(hide_after_reports=1)
    hidden, up = (make_comment(article, status="approved") for _ in range(2))
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    report_comment(comment=hidden, reason="abuse", ip="198.51.100.7")
    assert Comment.objects.get(pk=hidden.pk).status == Comment.Status.PENDING
    return Comment.objects.get(pk=hidden.pk), up


def test_a_failure_while_taking_down_leaves_every_ticked_comment_as_it_was(
    moderator_client, hidden_and_up
):
    # The hidden comment was rejected and committed on its own; the database then failed on
    # the published one: half the bulk action done, and a server error said none of it.
    hidden, up = hidden_and_up
    data = {"action": "take_down_selected", "_selected_action": [hidden.pk, up.pk]}
    data |= as_shown([hidden, up]) | {"reason": "Libel"}
    failing = mock.Mock(side_effect=OperationalError("canceling statement due to timeout"))
    moderator_client.raise_request_exception = False

    with mock.patch.object(services, "take_down_replies", failing):
        answer = moderator_client.post(f"{CHANGELIST}?status=all", data)

    assert answer.status_code == 500
    assert failing.called  # it failed where it takes the published comment down
    assert Comment.objects.get(pk=hidden.pk).status == Comment.Status.PENDING
    assert Report.objects.open().filter(comment=hidden).count() == 1
    assert Comment.objects.get(pk=up.pk).status == Comment.Status.APPROVED
    assert Article.objects.get(pk=up.article_id).approved_comment_count == 1
