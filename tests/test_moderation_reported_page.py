"""A reported comment's own page (the Reported queue's name link, or `o`): its open reports,
and Take down and Dismiss as on its card, through the same views, with the same messages, and
on to the next reported comment."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from comments.desk import dismiss_reports
from comments.models import Comment, Report

CHANGELIST = "/admin/comments/comment/"
FROM_REPORTED = {"_changelist_filters": "status=reported"}


def _report(comment, n, reason="abuse", text=""):
    return Report.objects.create(comment=comment, reason=reason, text=text, reporter=f"r-{n}")


@pytest.fixture
def reported(approved_comment):
    """A published comment two readers reported, still up."""
    _report(approved_comment, 1)
    _report(approved_comment, 2, reason="other", text="Insults me")
    return approved_comment


def _page(client, comment):
    return client.get(f"{CHANGELIST}{comment.pk}/change/", FROM_REPORTED).content.decode()


def _press(client, comment, action, reason="", **headers):
    """A button of the comment's page, as its form posts it."""
    data = {"_next_pending": "1", f"seen-{comment.pk}": comment.revision, **FROM_REPORTED}
    data |= {"reason": reason, "preset": ""}
    return client.post(f"{CHANGELIST}{comment.pk}/{action}/", data, **headers)


def test_a_reported_comments_page_shows_its_reports_and_offers_take_down_and_dismiss(
    moderator_client, reported
):
    html = _page(moderator_client, reported)

    assert "2 open reports" in html
    assert "Abusive or hateful × 1" in html
    assert "“Insults me”" in strip_tags(html)
    assert f'formaction="{CHANGELIST}{reported.pk}/take-down/">Take down</button>' in html
    assert f'formaction="{CHANGELIST}{reported.pk}/dismiss/">Dismiss</button>' in html
    assert "Or your own reason, sent to the commenter (optional):" in html
    # It was not decided by mistake: it is published, and readers are waiting for an answer.
    assert "Back to the queue" not in html


def test_a_reported_comments_page_shows_no_reports_to_a_non_moderator(editor_client, reported):
    html = _page(editor_client, reported)

    assert "Insults me" not in html
    assert "open report" not in html
    assert ">Take down</button>" not in html


def test_take_down_on_the_page_sends_the_reason_and_moves_on_to_the_next_reported(
    moderator_client, moderator, reported, make_comment
):
    later = make_comment(
        reported.article, status="approved", created_at=timezone.now() + timedelta(minutes=1)
    )
    _report(later, 3)

    response = _press(moderator_client, reported, "take-down", reason="Insults another reader")

    assert response.status_code == 302
    assert response["Location"] == (
        f"{CHANGELIST}{later.pk}/change/?_changelist_filters=status%3Dreported"
    )
    reported.refresh_from_db()
    assert (reported.status, reported.taken_down_by) == (Comment.Status.REJECTED, moderator)
    assert reported.rejection_reason == "Insults another reader"
    assert set(Report.objects.filter(comment=reported).values_list("outcome", flat=True)) == {
        Report.Outcome.TAKEN_DOWN
    }
    told = moderator_client.get(response["Location"]).content.decode()
    assert "Comment by Early Bird taken down." in told
    assert "1 open report" in told


def test_dismiss_on_the_page_keeps_it_up_and_goes_back_to_the_reported_queue(
    moderator_client, client, reported
):
    response = _press(moderator_client, reported, "dismiss")

    assert response["Location"] == f"{CHANGELIST}?status=reported"
    assert Comment.objects.get(pk=reported.pk).status == Comment.Status.APPROVED
    assert not Report.objects.open().exists()
    told = moderator_client.get(response["Location"]).content.decode()
    assert "2 reports on the comment by Early Bird dismissed: it stays up." in told
    assert "No reports waiting." in told


def test_dismissing_one_report_says_one_report(moderator_client, approved_comment):
    _report(approved_comment, 1)

    response = _press(moderator_client, approved_comment, "dismiss", HTTP_ACCEPT="application/json")

    assert response.json()["message"] == (
        "1 report on the comment by Early Bird dismissed: it stays up."
    )


def test_take_down_on_the_page_after_another_moderator_dismissed_changes_nothing(
    moderator_client, second_moderator, reported
):
    page = f"{CHANGELIST}{reported.pk}/change/"
    _page(moderator_client, reported)
    dismiss_reports(comment=reported, by=second_moderator)  # while the page was open

    response = _press(moderator_client, reported, "take-down", HTTP_REFERER=page)
    response = moderator_client.get(response["Location"])

    html = response.content.decode()
    assert "Those reports had already been dismissed by moderator2: the comment stays up." in html
    assert Comment.objects.get(pk=reported.pk).status == Comment.Status.APPROVED
    assert Report.objects.filter(outcome=Report.Outcome.DISMISSED).count() == 2
    # Nothing left to decide on the reports: a decided, published comment's page again.
    assert ">Take down</button>" not in html
    assert "Back to the queue" in html
