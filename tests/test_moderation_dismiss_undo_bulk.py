"""The Undo beside "Dismiss reports on selected comments (they stay up)", the Reported queue's bulk
action, as every other bulk decision on the desk has one: the reports it closed open again, and
a comment they had hidden, which the Dismiss put back on the page, is hidden by them again (off
the page and the count, its published replies with it), back in the Reported queue. One whose
reports another moderator answered since, or that was taken down meanwhile, stays as they left
it, and the message names them. A moderator who dismissed the wrong reports had no way to bring
them back."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client

from articles.models import Article
from comments.desk import report_comment, take_down_reported
from comments.models import Comment, ModerationPolicy, Report
from comments.services import take_down
from tests.test_moderation_reported_bulk import _dismiss
from tests.test_moderation_undo_take_down_elsewhere import _undo_form

REPORTED = "/admin/comments/comment/?status=reported"


@pytest.fixture
def reported(article, make_comment):
    """Three published comments, each reported twice; the first hidden by a third report (the
    policy hides after three), with a published reply hidden with it."""
    ModerationPolicy.objects.create(hide_after_reports=3)
    comments = [make_comment(article, status="approved", name=f"Voice {n}") for n in range(3)]
    readers = [f"198.51.100.{n}" for n in range(1, 7)]
    for comment, reader in zip(comments * 2, readers, strict=True):
        report_comment(comment=comment, reason="abuse", ip=reader)
    make_comment(article, parent=comments[0], status="approved", name="Reply")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=4)
    report_comment(comment=comments[0], reason="abuse", ip="192.0.2.99")
    assert _count(article) == 2
    return comments


def _count(article) -> int:
    return Article.objects.get(pk=article.pk).approved_comment_count


def _dismissed(client, comments) -> str:
    page = _dismiss(client, comments).content.decode()
    assert f"Reports on {len(comments)} comment" in page
    assert not Report.objects.open().filter(comment__in=comments).exists()
    return page


def _open(comment) -> int:
    return Report.objects.open().filter(comment=comment).count()


def test_undo_opens_the_reports_again_and_hides_again_what_they_had_hidden(
    moderator_client, article, reported, client
):
    page = _dismissed(moderator_client, reported)
    assert (
        _count(article) == 4
        and "Voice 0" in client.get(article.get_absolute_url()).content.decode()
    )
    url, fields = _undo_form(page)

    answer = moderator_client.post(url, fields, follow=True).content.decode()

    assert (
        "Not dismissed after all: the reports on 3 comments are open again (1 hidden by its "
        "reports again, 2 still up)." in answer
    )
    assert [_open(c) for c in reported] == [3, 2, 2]
    statuses = [Comment.objects.get(pk=c.pk).status for c in reported]
    assert statuses == ["pending", "approved", "approved"]
    assert _count(article) == 2  # the hidden one and its reply off the page again
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Voice 0" not in html and "Voice 1" in html
    queue = moderator_client.get(REPORTED).content.decode()
    assert "Reported (3)" in queue
    assert LogEntry.objects.filter(change_message__startswith="Dismissal undone").count() == 3


def test_what_others_did_meanwhile_stands_and_is_named(
    moderator_client, second_moderator, article, reported
):
    _, upheld, taken = reported
    page = _dismissed(moderator_client, reported)
    report_comment(comment=upheld, reason="abuse", ip="203.0.113.5")  # reported again
    take_down_reported(comment=upheld, by=second_moderator)
    take_down([taken], by=second_moderator)  # from the Approved list
    url, fields = _undo_form(page)

    answer = moderator_client.post(url, fields, follow=True).content.decode()

    assert "Not dismissed after all: the reports on 1 comment are open again (1 hidden by" in answer
    assert (
        "The reports on the comment by Voice 1 were upheld by moderator2 meanwhile. That "
        "decision stands: yours was not undone." in answer
    )
    assert "The comment by Voice 2 was decided again meanwhile: taken down by moderator2." in answer
    assert [_open(c) for c in reported] == [3, 0, 0]
    assert Comment.objects.get(pk=upheld.pk).status == Comment.Status.REJECTED
    assert Comment.objects.get(pk=taken.pk).taken_down_by == second_moderator


def test_pressed_twice_the_second_undoes_nothing(moderator_client, reported):
    url, fields = _undo_form(_dismissed(moderator_client, reported))
    moderator_client.post(url, fields, follow=True)

    answer = moderator_client.post(url, fields, follow=True).content.decode()

    assert "Not dismissed after all" not in answer
    for name in ["Voice 0", "Voice 1", "Voice 2"]:
        assert f"The reports on the comment by {name} are open already: nothing to undo." in answer
    assert [_open(c) for c in reported] == [3, 2, 2]


def test_only_a_moderator_posting_the_signed_form_undoes_it(
    moderator_client, moderator, second_moderator, stranger_client, reported
):
    url, fields = _undo_form(_dismissed(moderator_client, reported))
    assert moderator_client.get(url).status_code == 405
    assert stranger_client.post(url, fields).status_code == 403
    # Another moderator's press: theirs are not the dismissals named.
    other = Client()
    other.force_login(second_moderator)
    other.post(url, fields)
    # A page elsewhere posting the form: no CSRF token, refused.
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(moderator)
    assert forged.post(url, {"dismissed": fields["dismissed"]}).status_code == 403
    # The dismissals named in a token not signed by the site.
    token = fields["dismissed"][0]
    tampered = moderator_client.post(url, {"dismissed": token[:-2] + "xx"}, follow=True)
    assert "Nothing to undo: no dismissal named." in tampered.content.decode()

    assert not Report.objects.open().exists()
    assert not LogEntry.objects.filter(change_message__startswith="Dismissal undone").exists()
