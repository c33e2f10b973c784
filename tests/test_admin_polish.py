"""Small things editors and moderators read in the admin: a decision's note in a comment's
history counts its reports in plain words ('1 report', '2 reports'), not 'report(s)'."""

import pytest
from django.contrib.admin.models import LogEntry

from comments.desk import report_comment
from comments.models import ModerationPolicy

CHANGELIST = "/admin/comments/comment/"


@pytest.mark.parametrize(
    ("reports", "decision", "said"),
    [
        (1, "approve", "1 report dismissed by the decision"),
        (2, "reject", "2 reports upheld by the decision"),
    ],
)
def test_a_decision_on_a_reported_comment_counts_its_reports_in_plain_words(
    moderator_client, moderator, approved_comment, reports, decision, said
):
    ModerationPolicy.objects.create(hide_after_reports=reports)
    for n in range(reports):
        report_comment(comment=approved_comment, reason="abuse", ip=f"198.51.100.{n + 7}")
    approved_comment.refresh_from_db()
    reason = {"reject": {"reason": "Abusive"}, "approve": {}}[decision]

    response = moderator_client.post(
        f"{CHANGELIST}{approved_comment.pk}/{decision}/",
        {f"seen-{approved_comment.pk}": approved_comment.revision, **reason},
    )

    assert response.status_code == 302
    notes = LogEntry.objects.filter(user=moderator).values_list("change_message", flat=True)
    assert said in list(notes)
    history = moderator_client.get(f"{CHANGELIST}{approved_comment.pk}/history/").content.decode()
    assert said in history
    assert "report(s)" not in history
