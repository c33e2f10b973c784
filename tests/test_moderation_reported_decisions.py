"""A comment its readers' reports hid is decided wherever a moderator decides it (its page's
buttons, a direct post, a bulk action, the commenter's page) as Dismiss or Take down would:
its reports closed, its replies and the article's count right."""

import pytest

from articles.models import Article
from comments.desk import report_comment
from comments.models import Comment, ModerationPolicy, Report

CHANGELIST = "/admin/comments/comment/"
COMMENTER = f"{CHANGELIST}commenter/"


@pytest.fixture
def hidden(approved_comment, make_comment):
    """A published comment with a published reply (count 2), hidden by one report."""
    article = approved_comment.article
    make_comment(article, parent=approved_comment, status="approved", body="Agreed!")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    ModerationPolicy.objects.create(hide_after_reports=1)
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.PENDING
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
    return approved_comment


def _post_approve(client, comment, how):
    seen = {f"seen-{comment.pk}": comment.revision}
    if how == "direct":
        return client.post(f"{CHANGELIST}{comment.pk}/approve/", seen)
    if how == "selected":
        data = {"action": "approve_selected", "_selected_action": [comment.pk], **seen}
        return client.post(CHANGELIST, data)
    return client.post(f"{COMMENTER}?email={comment.email}", {"action": "approve_all", **seen})


@pytest.mark.parametrize("how", ["direct", "selected", "commenter"])
def test_approving_a_comment_hidden_by_reports_dismisses_them_and_brings_its_replies_back(
    moderator_client, moderator, client, hidden, how
):
    _post_approve(moderator_client, hidden, how)

    hidden.refresh_from_db()
    assert hidden.status == Comment.Status.APPROVED
    assert Report.objects.open().count() == 0
    report = Report.objects.get()
    assert (report.outcome, report.resolved_by) == (Report.Outcome.DISMISSED, moderator)
    assert Article.objects.get(pk=hidden.article_id).approved_comment_count == 2
    assert "Agreed!" in client.get(hidden.article.get_absolute_url()).content.decode()
    queue = moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode()
    assert "Reported (0)" in queue


def test_after_an_approval_a_new_report_counts_afresh(moderator_client, hidden):
    ModerationPolicy.objects.filter(pk=1).update(hide_after_reports=2)
    _post_approve(moderator_client, hidden, "direct")

    report_comment(comment=hidden, reason="spam", ip="192.0.2.44")

    hidden.refresh_from_db()
    assert hidden.status == Comment.Status.APPROVED


@pytest.mark.parametrize("decision", ["reject", "spam"])
def test_rejecting_a_comment_hidden_by_reports_upholds_them_and_keeps_its_replies_off(
    moderator_client, moderator, client, hidden, decision
):
    moderator_client.post(
        f"{CHANGELIST}{hidden.pk}/{decision}/",
        {f"seen-{hidden.pk}": hidden.revision, "reason": "Abusive"},
    )

    hidden.refresh_from_db()
    reply = Comment.objects.get(parent=hidden)
    assert hidden.status == {"reject": "rejected", "spam": "spam"}[decision]
    assert (reply.status, reply.taken_down_by) == (Comment.Status.REJECTED, moderator)
    assert Report.objects.get().outcome == Report.Outcome.TAKEN_DOWN
    assert Article.objects.get(pk=hidden.article_id).approved_comment_count == 0
    assert "Agreed!" not in client.get(hidden.article.get_absolute_url()).content.decode()


def test_take_down_and_dismiss_still_count_once(moderator_client, hidden):
    moderator_client.post(f"{CHANGELIST}{hidden.pk}/dismiss/")
    moderator_client.post(f"{CHANGELIST}{hidden.pk}/approve/")

    assert Article.objects.get(pk=hidden.article_id).approved_comment_count == 2
    assert Report.objects.get().outcome == Report.Outcome.DISMISSED


def test_take_down_selected_closes_the_reports_of_a_published_comment(
    moderator_client, moderator, approved_comment
):
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")

    moderator_client.post(
        f"{CHANGELIST}?status=approved",
        {"action": "take_down_selected", "_selected_action": [approved_comment.pk], "reason": "x"},
    )

    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.REJECTED
    report = Report.objects.get()
    assert (report.outcome, report.resolved_by) == (Report.Outcome.TAKEN_DOWN, moderator)
    queue = moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode()
    assert "Reported (0)" in queue
