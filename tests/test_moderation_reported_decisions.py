"""Moderators decide on readers' reports: the Reported queue, Take down and Dismiss, who may use
them; and a comment its readers' reports hid is decided wherever a moderator decides it (its
page's buttons, a direct post, a bulk action, the commenter's page) as Dismiss or Take down
would: its reports closed, its replies and the article's count right."""

import pytest
from django.utils.html import strip_tags

from articles.models import Article
from comments.desk import report_comment
from comments.models import Comment, ModerationPolicy, Report
from tests.comment_fixtures import as_shown, send_report

CHANGELIST = "/admin/comments/comment/"
COMMENTER = f"{CHANGELIST}commenter/"


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
        {
            "action": "take_down_selected",
            "_selected_action": [approved_comment.pk],
            **as_shown([approved_comment]),
            "reason": "x",
        },
    )

    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.REJECTED
    report = Report.objects.get()
    assert (report.outcome, report.resolved_by) == (Report.Outcome.TAKEN_DOWN, moderator)
    queue = moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode()
    assert "Reported (0)" in queue


def _report_from(comment, n):
    return Report.objects.create(comment=comment, reason="abuse", reporter=f"reader-{n}")


def test_the_reported_queue_lists_reported_comments_with_count_and_reasons(
    moderator_client, approved_comment, article, make_comment
):
    make_comment(article, status="approved", body="Nobody minded this one")
    # Held when it was sent, approved since: that is history here, not why it waits.
    approved_comment.held_because = ["first-time commenter"]
    approved_comment.save(update_fields=["held_because"])
    _report_from(approved_comment, 1)
    Report.objects.create(
        comment=approved_comment, reason="other", text="Insults me", reporter="reader-2"
    )

    index = moderator_client.get("/admin/").content.decode()
    assert "Reported comments</a>" in index
    assert '<td class="moderation-reported">1</td>' in index
    html = moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode()

    assert "Reported (1)" in html
    assert approved_comment.body in html
    assert "Nobody minded this one" not in html
    assert "2 reports" in html
    assert "Abusive or hateful × 1" in html
    assert "“Insults me”" in strip_tags(html)  # the words in a <bdi> of their own
    assert "Why it was held</span><ul><li>first-time commenter</li>" in html
    assert "Held because" not in html
    assert ">Take down</button>" in html
    assert ">Dismiss</button>" in html


def test_take_down_unpublishes_closes_the_reports_and_is_logged(
    moderator_client, moderator, client, approved_comment
):
    from django.contrib.admin.models import LogEntry

    _report_from(approved_comment, 1)
    article = approved_comment.article

    response = moderator_client.post(
        f"{CHANGELIST}{approved_comment.pk}/take-down/",
        {f"reason-{approved_comment.pk}": "Insults another reader"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200
    assert response.json()["outcome"] == "taken-down"
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.REJECTED
    assert approved_comment.taken_down_by == moderator
    assert approved_comment.rejection_reason == "Insults another reader"
    assert Report.objects.get().outcome == Report.Outcome.TAKEN_DOWN
    assert "Early Bird" not in client.get(article.get_absolute_url()).content.decode()
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
    entry = LogEntry.objects.get(object_id=str(approved_comment.pk))
    assert entry.user == moderator
    assert entry.change_message == "Taken down: Insults another reader"


def test_dismiss_keeps_the_comment_up_and_is_logged(
    moderator_client, moderator, client, approved_comment
):
    from django.contrib.admin.models import LogEntry

    _report_from(approved_comment, 1)
    _report_from(approved_comment, 2)

    response = moderator_client.post(f"{CHANGELIST}{approved_comment.pk}/dismiss/")

    assert response.status_code == 302
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED
    assert not Report.objects.open().exists()
    assert "Early Bird" in client.get(approved_comment.article.get_absolute_url()).content.decode()
    assert LogEntry.objects.get(user=moderator).change_message == "Dismissed 2 reports"
    html = moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode()
    assert "No reports waiting." in html


def test_dismissing_puts_a_comment_hidden_by_its_reports_back(
    moderator_client, approved_comment, reader_with_token
):
    ModerationPolicy.objects.create(hide_after_reports=1)
    send_report(reader_with_token(approved_comment.article), approved_comment)
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.PENDING

    moderator_client.post(f"{CHANGELIST}{approved_comment.pk}/dismiss/")

    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED
    assert Article.objects.get(pk=approved_comment.article_id).approved_comment_count == 1


def test_a_second_dismiss_learns_it_came_late(moderator_client, approved_comment):
    _report_from(approved_comment, 1)
    url = f"{CHANGELIST}{approved_comment.pk}/dismiss/"
    moderator_client.post(url, HTTP_ACCEPT="application/json")

    late = moderator_client.post(url, HTTP_ACCEPT="application/json")

    assert late.status_code == 409
    assert late.json()["message"].startswith(
        "Those reports had already been dismissed by moderator: the comment stays up."
    )


def test_a_take_down_after_another_moderator_dismissed_the_reports_changes_nothing(
    moderator_client, second_moderator, client, approved_comment
):
    from comments.desk import dismiss_reports

    _report_from(approved_comment, 1)
    # Both had the Reported queue open; the other moderator dismissed first.
    dismiss_reports(comment=approved_comment, by=second_moderator)

    late = moderator_client.post(
        f"{CHANGELIST}{approved_comment.pk}/take-down/", HTTP_ACCEPT="application/json"
    )

    assert late.status_code == 409
    assert late.json()["message"] == (
        "Those reports had already been dismissed by moderator2: the comment stays up. To take "
        "it down all the same, tick it in the Approved list and choose “Take down selected "
        "published comments”."
    )
    assert Comment.objects.get(pk=approved_comment.pk).status == Comment.Status.APPROVED
    assert Report.objects.get().outcome == Report.Outcome.DISMISSED


def test_report_controls_need_the_moderation_permission(
    editor_client, stranger_client, approved_comment
):
    _report_from(approved_comment, 1)
    for client in (editor_client, stranger_client):
        client.post(f"{CHANGELIST}{approved_comment.pk}/take-down/")
        client.post(f"{CHANGELIST}{approved_comment.pk}/dismiss/")

    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED
    assert Report.objects.open().count() == 1
    html = editor_client.get(CHANGELIST, {"status": "reported"}).content.decode()
    assert ">Take down</button>" not in html


def test_two_moderators_taking_down_the_same_comment_count_once(
    moderator, second_moderator, approved_comment
):
    from django.contrib.admin.models import LogEntry

    from comments.desk import take_down_reported

    _report_from(approved_comment, 1)
    # Both opened the Reported queue before either pressed "Take down".
    seen_by_first = Comment.objects.get(pk=approved_comment.pk)
    seen_by_second = Comment.objects.get(pk=approved_comment.pk)

    assert take_down_reported(comment=seen_by_first, by=moderator) is True
    # The first closed the reports: the second is told they were dealt with.
    assert take_down_reported(comment=seen_by_second, by=second_moderator) is None

    approved_comment.refresh_from_db()
    assert approved_comment.taken_down_by == moderator
    assert Article.objects.get(pk=approved_comment.article_id).approved_comment_count == 0
    assert not LogEntry.objects.filter(user=second_moderator).exists()


@pytest.mark.parametrize("then", ["dismiss", "take-down"])
def test_a_hidden_comments_replies_leave_and_return_with_it(
    moderator_client, reader_with_token, client, approved_comment, make_comment, then
):
    article = approved_comment.article
    reply = make_comment(article, parent=approved_comment, status="approved", body="Agreed!")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    ModerationPolicy.objects.create(hide_after_reports=1)

    send_report(reader_with_token(article), approved_comment)
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
    assert "Agreed!" not in client.get(article.get_absolute_url()).content.decode()

    moderator_client.post(f"{CHANGELIST}{approved_comment.pk}/{then}/")

    reply.refresh_from_db()
    shown = "Agreed!" in client.get(article.get_absolute_url()).content.decode()
    count = Article.objects.get(pk=article.pk).approved_comment_count
    if then == "dismiss":
        assert (shown, count, reply.status) == (True, 2, Comment.Status.APPROVED)
    else:
        assert (shown, count, reply.status) == (False, 0, Comment.Status.REJECTED)


def test_a_comment_hidden_by_reports_is_decided_as_a_report_everywhere(
    moderator_client, reader_with_token, approved_comment
):
    ModerationPolicy.objects.create(hide_after_reports=1)
    send_report(reader_with_token(approved_comment.article), approved_comment)

    queue = moderator_client.get(CHANGELIST).content.decode()
    own_page = moderator_client.get(f"{CHANGELIST}{approved_comment.pk}/change/").content.decode()

    for html in (queue, own_page):
        assert f'formaction="{CHANGELIST}{approved_comment.pk}/take-down/"' in html
        assert f'formaction="{CHANGELIST}{approved_comment.pk}/dismiss/"' in html
        assert f'formaction="{CHANGELIST}{approved_comment.pk}/approve/"' not in html


@pytest.mark.parametrize("how", ["take-down", "reject"])
def test_a_comment_its_reports_hid_then_taken_down_tells_its_writer_it_was_taken_down(
    moderator_client, client, hidden, how
):
    # The Reported queue's Take down asks no reason; the queue's Reject on the hidden comment.
    moderator_client.post(f"{CHANGELIST}{hidden.pk}/{how}/", {f"seen-{hidden.pk}": hidden.revision})

    page = client.get(hidden.status_url).content.decode()
    assert "<strong>taken down</strong>: it was published, then a moderator took it" in page


def test_spam_a_moderator_marked_is_not_said_to_be_the_filters_doing(
    moderator_client, client, article, make_comment
):
    pending = make_comment(article)
    moderator_client.post(f"{CHANGELIST}{pending.pk}/spam/", {f"seen-{pending.pk}": 0})

    assert Comment.objects.get(pk=pending.pk).status == Comment.Status.SPAM
    page = client.get(pending.status_url).content.decode()
    assert "<strong>not published</strong>: a moderator marked it as spam." in page
    assert "filters" not in page


@pytest.fixture
def reported(approved_comment):
    """A published comment with one report, still up (the policy hides none)."""
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    return approved_comment


@pytest.mark.parametrize("which", ["reported", "hidden"])
def test_enter_in_a_reported_cards_reason_box_without_javascript_keeps_the_words(
    request, moderator_client, which
):
    comment = request.getfixturevalue(which)
    status = comment.status
    queue = f"{CHANGELIST}?status=reported"

    # Without JavaScript, Enter submits the list's form through "Go", with no action chosen.
    response = moderator_client.post(
        queue,
        {"action": "", "index": "0", f"reason-{comment.pk}": "Insults another reader"},
        follow=True,
    )

    html = response.content.decode()
    assert "Nothing was taken down: press Take down to send the reason you typed" in html
    assert 'value="Insults another reader"' in html  # in its box, for Take down
    assert Comment.objects.get(pk=comment.pk).status == status
    assert Report.objects.open().count() == 1
