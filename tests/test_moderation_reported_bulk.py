"""The Reported queue's bulk actions: "Dismiss reports on selected" beside "Take down selected",
and none of the decisions, which found its published comments decided already and did
nothing. A Dismiss acts on what the page showed, as a card's does: another moderator's
answer meanwhile stands, and a comment edited since is left to be read again."""

import pytest
from django.db.models import F

from articles.models import Article
from comments.desk import report_comment, take_down_reported
from comments.models import Comment, ModerationPolicy, Report
from tests.comment_fixtures import as_shown, offered_actions

CHANGELIST = "/admin/comments/comment/"
REPORTED = f"{CHANGELIST}?status=reported"


@pytest.fixture
def reported(article, make_comment):
    """Three published comments, each reported twice (the article counts them)."""
    comments = []
    for n in range(3):
        comment = make_comment(article, status="approved", name=f"Voice {n}")
        for reader in range(2):
            report_comment(comment=comment, reason="abuse", ip=f"198.51.100.{10 * n + reader}")
        comments.append(comment)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=3)
    return comments


def _dismiss(client, comments, shown=None, **extra):
    data = {
        "action": "dismiss_reports_selected",
        "_selected_action": [c.pk for c in comments],
        **(as_shown(comments) if shown is None else shown),
        **extra,
    }
    return client.post(REPORTED, data, follow=True)


def test_the_reported_queue_offers_dismiss_and_take_down_and_the_others_no_dismiss(
    moderator_client, article, make_comment, reported
):
    make_comment(article)  # the pending queue's
    assert offered_actions(moderator_client, REPORTED) == {
        "take_down_selected",
        "dismiss_reports_selected",
    }
    for listed in ["", "?status=approved", "?status=all"]:
        offered = offered_actions(moderator_client, CHANGELIST + listed)
        assert "take_down_selected" in offered
        assert "dismiss_reports_selected" not in offered


def test_dismissing_the_selected_reports_keeps_them_up_and_brings_a_hidden_one_back(
    moderator_client, moderator, client, article, reported
):
    ModerationPolicy.objects.create(hide_after_reports=3)
    report_comment(comment=reported[0], reason="abuse", ip="192.0.2.99")  # its third: hidden
    reported[0].refresh_from_db()
    assert reported[0].status == Comment.Status.PENDING
    assert Article.objects.get(pk=article.pk).approved_comment_count == 2

    html = _dismiss(moderator_client, reported).content.decode()

    assert "Reports on 3 comments dismissed: they are up." in html
    assert not Report.objects.open().exists()
    assert set(Report.objects.values_list("outcome", "resolved_by")) == {
        (Report.Outcome.DISMISSED, moderator.pk)
    }
    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.APPROVED}
    assert Article.objects.get(pk=article.pk).approved_comment_count == 3
    page = client.get(article.get_absolute_url()).content.decode()
    assert all(f"Voice {n}" in page for n in range(3))
    assert "Reported (0)" in moderator_client.get(REPORTED).content.decode()


def test_a_dismiss_leaves_what_another_moderator_decided_and_what_was_edited_since(
    moderator_client, second_moderator, reported
):
    answered, edited, dismissed = reported
    shown = as_shown(reported)  # the page, drawn before the others acted
    take_down_reported(comment=answered, by=second_moderator, reason="Abusive")
    Comment.objects.filter(pk=edited.pk).update(revision=F("revision") + 1, body="New words")

    html = _dismiss(moderator_client, reported, shown=shown).content.decode()

    assert "Reports on 1 comment dismissed: it is up." in html
    assert (
        "The comment by Voice 0: Reports upheld meanwhile by moderator2: taken down. "
        "That decision stands." in html
    )
    assert "1 comment edited by its author since you read it was left as it was" in html
    answered.refresh_from_db()
    assert answered.status == Comment.Status.REJECTED
    assert answered.taken_down_by == second_moderator
    assert Report.objects.open().filter(comment=edited).count() == 2
    assert not Report.objects.open().filter(comment=dismissed).exists()


def test_a_reason_typed_beside_dismiss_was_meant_for_a_take_down_and_dismisses_nothing(
    moderator_client, reported
):
    html = _dismiss(moderator_client, reported, reason="Abusive").content.decode()

    assert "Nothing was dismissed: a reason for taking down is typed beside the action." in html
    assert Report.objects.open().count() == 6


def test_an_editor_may_not_dismiss_reports(editor_client, reported):
    editor_client.post(
        REPORTED, {"action": "dismiss_reports_selected", "_selected_action": [reported[0].pk]}
    )

    assert Report.objects.open().count() == 6
