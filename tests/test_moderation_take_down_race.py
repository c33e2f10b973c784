"""A take-down checks the words the moderator read where it takes the comment down, under the
row's lock, as a decision does: an edit by the comment's author that lands between the page's
post and the take-down (the milliseconds the admin spends reading the request) is not taken
down unread. And a ticked comment posted without the revision its page showed was never shown:
"Take down selected" leaves it up and says so, as "Reject selected" does."""

from unittest import mock

import pytest
from django.utils import timezone

from articles.models import Article
from comments import admin_actions, admin_decisions
from comments.commenter_services import edit_comment
from comments.desk import dismiss_reports, report_comment
from comments.models import Comment, ModerationPolicy, Report
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def clean_edits_stay_up(approved_comment):
    # The edit that races the take-down keeps the comment published (its new words unread),
    # approved a minute ago: still in its author's edit window.
    ModerationPolicy.objects.create(publish_clean_edits=True)
    Comment.objects.filter(pk=approved_comment.pk).update(moderated_at=timezone.now())


def _edited_first(real, comment):
    """The service, with the author's edit landing just before it runs."""

    def run(*args, **kwargs):
        edit_comment(comment=Comment.objects.get(pk=comment.pk), body="Words nobody read.")
        return real(*args, **kwargs)

    return run


def test_an_edit_landing_during_take_down_selected_stays_up(
    moderator_client, client, clean_edits_stay_up, approved_comment
):
    data = {
        "action": "take_down_selected",
        "_selected_action": [approved_comment.pk],
        **as_shown([approved_comment]),
        "reason": "Libel",
    }
    racing = _edited_first(admin_actions.take_down_ticked, approved_comment)
    with mock.patch.object(admin_actions, "take_down_ticked", racing):
        told = moderator_client.post(f"{CHANGELIST}?status=approved", data, follow=True)

    comment = Comment.objects.get(pk=approved_comment.pk)
    assert comment.status == Comment.Status.APPROVED and comment.taken_down_at is None
    assert "Words nobody read." in client.get(comment.article.get_absolute_url()).content.decode()
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 1
    html = told.content.decode()
    assert "taken down." not in html
    assert "1 comment edited by its author since you read it was left as it was" in html


def test_an_edit_landing_during_a_reported_cards_take_down_stays_up(
    moderator_client, clean_edits_stay_up, approved_comment
):
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    racing = _edited_first(admin_decisions.take_down_reported, approved_comment)
    with mock.patch.object(admin_decisions, "take_down_reported", racing):
        answer = moderator_client.post(
            f"{CHANGELIST}{approved_comment.pk}/take-down/",
            {**as_shown([approved_comment]), f"reason-{approved_comment.pk}": "Libel"},
            HTTP_ACCEPT="application/json",
        )

    assert answer.status_code == 409
    assert answer.json()["edited"] is True
    assert answer.json()["body"] == "Words nobody read."
    comment = Comment.objects.get(pk=approved_comment.pk)
    assert comment.status == Comment.Status.APPROVED and comment.taken_down_at is None
    assert Report.objects.open().filter(comment=comment).count() == 1  # still to decide


def test_an_edit_landing_during_take_down_selected_of_a_hidden_comment_keeps_it_waiting(
    moderator_client, clean_edits_stay_up, approved_comment
):
    ModerationPolicy.objects.update(hide_after_reports=1)
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    assert Comment.objects.get(pk=approved_comment.pk).status == Comment.Status.PENDING
    data = {
        "action": "take_down_selected",
        "_selected_action": [approved_comment.pk],
        **as_shown([approved_comment]),
    }
    real = admin_actions.take_down_ticked
    racing = _edited_first(real, approved_comment)
    with mock.patch.object(admin_actions, "take_down_ticked", racing):
        told = moderator_client.post(f"{CHANGELIST}?status=reported", data, follow=True)

    comment = Comment.objects.get(pk=approved_comment.pk)
    assert comment.status == Comment.Status.PENDING and comment.taken_down_at is None
    assert Report.objects.open().filter(comment=comment).count() == 1
    html = told.content.decode()
    assert "1 comment edited by its author since you read it was left as it was" in html


def test_a_ticked_comment_posted_without_the_revision_shown_is_left_up_and_said(
    moderator_client, client, approved_comment
):
    # As "Reject selected" takes it: a row that posted no revision showed no words.
    data = {"action": "take_down_selected", "_selected_action": [approved_comment.pk]}
    told = moderator_client.post(f"{CHANGELIST}?status=approved", data, follow=True)

    assert Comment.objects.get(pk=approved_comment.pk).status == Comment.Status.APPROVED
    html = told.content.decode()
    assert "taken down" not in html and "None of those comments was published." not in html
    assert "1 comment not shown to you (on other pages, or new since) was left as it was" in html
    assert "Early Bird" in client.get(approved_comment.article.get_absolute_url()).content.decode()


def test_a_comment_deleted_during_a_reported_cards_take_down_is_said_gone(
    moderator_client, approved_comment
):
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    real = admin_decisions.take_down_reported

    def deleted_first(*args, **kwargs):
        Comment.objects.filter(pk=approved_comment.pk).delete()  # its author, in another tab
        return real(*args, **kwargs)

    with mock.patch.object(admin_decisions, "take_down_reported", deleted_first):
        answer = moderator_client.post(
            f"{CHANGELIST}{approved_comment.pk}/take-down/",
            {**as_shown([approved_comment]), f"reason-{approved_comment.pk}": "Libel"},
            HTTP_ACCEPT="application/json",
        )

    assert answer.status_code == 410
    assert answer.json()["message"] == "That comment no longer exists: it was deleted meanwhile."


def test_a_hidden_comment_put_back_up_and_reported_again_meanwhile_comes_down_with_the_rest(
    moderator_client, client, second_moderator, article, make_comment
):
    # Between the page's post and the take-down's lock, another moderator dismissed the reports
    # that hid the second comment (back up, with its reply) and a reader reported it again,
    # below the threshold: it stayed up, its new report closed as "already down".
    ModerationPolicy.objects.create(hide_after_reports=2)
    still, back, shown = (make_comment(article, status="approved") for _ in range(3))
    for comment in (still, back, shown):
        make_comment(article, status="approved", parent=comment, body=f"Agreed with {comment.pk}")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=6)
    for n, comment in enumerate([still, still, back, back, shown]):
        report_comment(comment=comment, reason="abuse", ip=f"198.51.100.{n + 1}")
    assert Article.objects.get(pk=article.pk).approved_comment_count == 2  # two hidden
    ticked = [still, back, shown]
    data = {"action": "take_down_selected", "_selected_action": [c.pk for c in ticked]}
    data |= as_shown(ticked) | {"reason": "Libel"}
    real = admin_actions.take_down_ticked

    def put_back_and_reported_first(*args, **kwargs):
        dismiss_reports(comment=back, by=second_moderator)
        report_comment(comment=back, reason="spam", ip="192.0.2.9")
        return real(*args, **kwargs)

    with mock.patch.object(admin_actions, "take_down_ticked", put_back_and_reported_first):
        told = moderator_client.post(f"{CHANGELIST}?status=reported", data, follow=True)

    assert set(Comment.objects.values_list("status", flat=True)) == {"rejected"}
    assert Report.objects.get(reason="spam").outcome == "taken-down"
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
    assert f"Agreed with {back.pk}" not in client.get(article.get_absolute_url()).content.decode()
    history = moderator_client.get(f"{CHANGELIST}{back.pk}/history/").content.decode()
    assert "Taken down: Libel" in history and "already down" not in history
    # Its reply was up with it and came down with it; the still hidden one's was off the page.
    html = told.content.decode()
    assert "3 comments taken down, with 2 published replies to them." in html
