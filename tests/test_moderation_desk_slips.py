"""What a moderator meets on a busy morning: replies taken down with their comment are told so
and logged, a report-hidden comment comes down from the bulk action too, a comment edited
after its reports is decided on its new words, Enter in a card's reason box rejects without
JavaScript, a comment gone meanwhile says so, times are the newsroom's, and an IPv6 block
covers the sender's /64 as the rate limits do."""

from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import LogEntry

from articles.models import Article
from comments.desk import block_sender, lift_block, report_comment
from comments.models import Block, Comment, ModerationPolicy, Report
from comments.withdrawal import withdraw_comment
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"
# What the author of a reply is told when the comment it answers is taken down.
REPLY_TAKEN_DOWN = "The comment it answered was taken down."


def _history(comment) -> list[str]:
    return list(
        LogEntry.objects.filter(object_id=str(comment.pk)).values_list("change_message", flat=True)
    )


@pytest.fixture
def thread(approved_comment, make_comment):
    reply = make_comment(
        approved_comment.article, parent=approved_comment, status="approved", name="Henrik"
    )
    Article.objects.filter(pk=approved_comment.article_id).update(approved_comment_count=2)
    return approved_comment, reply


def test_a_reply_taken_down_with_its_comment_is_told_why_in_its_own_words_and_logged(
    moderator_client, client, thread
):
    comment, reply = thread

    moderator_client.post(
        f"{CHANGELIST}?status=approved",
        {
            "action": "take_down_selected",
            "_selected_action": [comment.pk],
            **as_shown([comment]),
            "reason": "Doxxing: contains a home address",
        },
    )

    comment.refresh_from_db()
    reply.refresh_from_db()
    assert comment.rejection_reason == "Doxxing: contains a home address"
    assert reply.status == Comment.Status.REJECTED
    assert reply.rejection_reason == REPLY_TAKEN_DOWN
    assert _history(reply) == [f"Taken down: {REPLY_TAKEN_DOWN}"]
    assert _history(comment) == ["Taken down: Doxxing: contains a home address"]
    status_page = client.get(reply.status_url).content.decode()
    assert "The comment it answered was taken down." in status_page
    assert "Doxxing" not in status_page


@pytest.mark.parametrize("how", ["card", "bulk"])
def test_a_comment_hidden_by_reports_comes_down_with_its_reply_from_the_card_or_the_bulk_action(
    moderator_client, thread, how
):
    comment, reply = thread
    ModerationPolicy.objects.create(hide_after_reports=1)
    report_comment(comment=comment, reason="abuse", ip="198.51.100.7")

    if how == "card":
        moderator_client.post(f"{CHANGELIST}{comment.pk}/take-down/", {"reason": "Abuse"})
        told = ""
    else:
        response = moderator_client.post(
            f"{CHANGELIST}?status=reported",
            {
                "action": "take_down_selected",
                "_selected_action": [comment.pk],
                "reason": "Abuse",
                f"seen-{comment.pk}": comment.revision,  # as its card shows it
            },
            follow=True,
        )
        told = response.content.decode()

    comment.refresh_from_db()
    reply.refresh_from_db()
    assert (comment.status, comment.rejection_reason) == (Comment.Status.REJECTED, "Abuse")
    assert (reply.status, reply.rejection_reason) == (Comment.Status.REJECTED, REPLY_TAKEN_DOWN)
    assert f"Taken down: {REPLY_TAKEN_DOWN}" in _history(reply)
    assert not Report.objects.open().exists()
    if how == "bulk":
        assert "1 comment taken down." in told
        assert "None of those comments was published" not in told


def test_a_comment_edited_after_its_reports_is_approved_from_its_card(
    moderator_client, approved_comment
):
    report_comment(comment=approved_comment, reason="spam", ip="198.51.100.7")
    # Its author edits it: back in the queue for its new words (not hidden by the reports).
    Comment.objects.filter(pk=approved_comment.pk).update(
        status=Comment.Status.PENDING, body="Edited words", revision=2
    )

    queue = moderator_client.get(CHANGELIST).content.decode()
    # The card's button posts the queue's form, with the revision of the words it showed.
    moderator_client.post(
        f"{CHANGELIST}{approved_comment.pk}/approve/", {f"seen-{approved_comment.pk}": 2}
    )

    assert f'formaction="{CHANGELIST}{approved_comment.pk}/approve/"' in queue
    assert f'formaction="{CHANGELIST}{approved_comment.pk}/dismiss/"' not in queue
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED
    assert not Report.objects.open().exists()  # the approval answered the report


def test_enter_in_a_cards_reason_box_without_javascript_rejects_that_comment(
    moderator_client, article, make_comment
):
    first, second = make_comment(article), make_comment(article)

    # The browser submits the list's form through its first button (the actions bar's Go).
    response = moderator_client.post(
        CHANGELIST,
        {
            "action": "",
            "index": "0",
            f"reason-{first.pk}": "",
            f"reason-{second.pk}": "Off topic, sorry",
            f"seen-{second.pk}": second.revision,
        },
        follow=True,
    )

    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.status, second.rejection_reason) == ("rejected", "Off topic, sorry")
    assert first.status == Comment.Status.PENDING
    assert "rejected: Off topic, sorry." in response.content.decode()


def test_a_decision_on_a_comment_deleted_meanwhile_says_so_to_the_script(
    moderator_client, article, make_comment
):
    comment = make_comment(article)
    pk = comment.pk
    comment.delete()

    response = moderator_client.post(
        f"{CHANGELIST}{pk}/approve/", {}, headers={"accept": "application/json"}
    )

    assert response.status_code == 410
    assert response.json()["message"] == "That comment no longer exists: it was deleted meanwhile."


def test_a_decision_on_a_comment_its_author_deleted_meanwhile_says_so(
    moderator_client, article, approved_comment, make_comment
):
    # Kept as a placeholder while its published reply hangs on it.
    make_comment(article, parent=approved_comment, status="approved")
    Comment.objects.filter(pk=approved_comment.pk).update(status=Comment.Status.PENDING)
    approved_comment.refresh_from_db()
    withdraw_comment(comment=approved_comment)

    response = moderator_client.post(
        f"{CHANGELIST}{approved_comment.pk}/approve/", {}, headers={"accept": "application/json"}
    )

    assert response.status_code == 409
    assert response.json()["message"] == (
        "Its author deleted that comment meanwhile; your decision was not applied."
    )


def test_the_change_page_and_blocks_show_the_newsrooms_time(
    settings, moderator_client, moderator, article, make_comment
):
    settings.TIME_ZONE = "Europe/Berlin"
    received = datetime(2026, 11, 30, 22, 46, tzinfo=UTC)
    comment = make_comment(article)
    Comment.objects.filter(pk=comment.pk).update(created_at=received)

    page = moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()
    block = block_sender(kind="ip", value="192.0.2.8", period="7", by=moderator)
    # Still to come whenever the test runs (a week after `received` ended on 7 Dec 2026).
    Block.objects.filter(pk=block.pk).update(expires_at=datetime(2099, 12, 7, 22, 46, tzinfo=UTC))
    block.refresh_from_db()

    assert "30 Nov 2026, 23:46" in page  # Berlin, not UTC's 22:46
    assert str(block).endswith("blocked until 7 Dec 2099, 23:46")


def test_an_ipv6_block_covers_the_senders_64_as_the_rate_limits_do(moderator, article, submit):
    block = block_sender(kind="ip", value="2001:db8::1", period="7", by=moderator)

    neighbour = submit(article, ip="2001:db8::2")
    elsewhere = submit(article, ip="2001:db8:0:1::2")

    assert block.value == "2001:db8::/64"
    assert neighbour.status == Comment.Status.SPAM
    assert elsewhere.status != Comment.Status.SPAM


def test_a_block_made_of_one_ipv6_address_before_still_holds(moderator, article, submit):
    Block.objects.create(kind="ip", value="2001:db8::1", created_by=moderator)

    assert submit(article, ip="2001:db8::1").status == Comment.Status.SPAM

    # A shorter block now replaces it: when that one ends, so has the sender's block.
    block_sender(kind="ip", value="2001:db8::1", period="1", by=moderator)
    assert Block.objects.active().count() == 1


def test_a_new_block_of_an_ipv6_sender_replaces_one_made_before_of_another_of_its_addresses(
    moderator, article, submit
):
    Block.objects.create(kind="ip", value="2001:db8::1", created_by=moderator)

    block = block_sender(kind="ip", value="2001:db8::2", period="1", by=moderator)

    assert list(Block.objects.active()) == [block]
    # Lifting the sender's block lifts it for all of the /64, the older address included.
    lift_block(block=block, by=moderator)
    assert submit(article, ip="2001:db8::1").status != Comment.Status.SPAM


def test_an_approval_by_mistake_goes_back_to_the_queue_from_the_comments_page(
    moderator_client, client, moderator, thread
):
    comment, reply = thread
    page = moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()
    assert f'formaction="{CHANGELIST}{comment.pk}/requeue/"' in page

    response = moderator_client.post(f"{CHANGELIST}{comment.pk}/requeue/", follow=True)

    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (Comment.Status.PENDING, None)
    assert "back in the queue, undecided" in response.content.decode()
    assert "Back to the queue" in _history(comment)
    # Off the page with its reply, out of the count; waiting in the queue again.
    article_page = client.get(comment.article.get_absolute_url()).content.decode()
    assert comment.body not in article_page and reply.body not in article_page
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 0
    assert comment.body in moderator_client.get(CHANGELIST).content.decode()

    # Approved again, it comes back with its reply.
    moderator_client.post(
        f"{CHANGELIST}{comment.pk}/approve/", {f"seen-{comment.pk}": comment.revision}
    )
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 2
    assert reply.body in client.get(comment.article.get_absolute_url()).content.decode()


def test_a_rejection_by_mistake_goes_back_to_the_queue_in_bulk_and_is_decided_again(
    moderator_client, moderator, article, make_comment
):
    from comments.services import reject

    comment = make_comment(article)
    reject(comment=comment, by=moderator, reason="Off-topic")

    told = moderator_client.post(
        f"{CHANGELIST}?status=rejected",
        {
            "action": "requeue_selected",
            "_selected_action": [comment.pk],
            f"seen-{comment.pk}": comment.revision,  # as the list shows it
        },
        follow=True,
    ).content.decode()
    comment.refresh_from_db()

    assert "1 comment back in the queue." in told
    assert (comment.status, comment.rejection_reason) == (Comment.Status.PENDING, "")
    moderator_client.post(
        f"{CHANGELIST}{comment.pk}/approve/", {f"seen-{comment.pk}": comment.revision}
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_only_moderators_put_comments_back_in_the_queue(
    editor_client, moderator, article, make_comment
):
    comment = make_comment(article, status=Comment.Status.APPROVED)

    page = editor_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()
    refused = editor_client.post(f"{CHANGELIST}{comment.pk}/requeue/")

    assert "/requeue/" not in page
    assert refused.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_enter_in_the_reason_box_of_a_comments_page_never_approves_it(
    moderator_client, article, make_comment
):
    comment = make_comment(article)

    # Enter presses the form's first button, Approve, with the reason typed for a rejection.
    page = f"http://testserver{CHANGELIST}{comment.pk}/change/"
    response = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/approve/",
        {"reason": "Personal attack", f"seen-{comment.pk}": comment.revision, "_next_pending": 1},
        follow=True,
        HTTP_REFERER=page,
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    html = response.content.decode()
    assert "press Reject to reject it with that reason" in html
    # Back on the comment's page, the reason is still in its box, for Reject.
    assert 'name="reason" id="id_reason" class="vTextField" value="Personal attack"' in html
    # Only once: opened again later, the box is empty.
    assert 'value="Personal attack"' not in moderator_client.get(page).content.decode()


def test_a_comment_once_hidden_by_reports_put_back_in_the_queue_is_decided_as_any_other(
    moderator_client, approved_comment
):
    ModerationPolicy.objects.create(hide_after_reports=1)
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    moderator_client.post(f"{CHANGELIST}{approved_comment.pk}/dismiss/")  # back up
    moderator_client.post(f"{CHANGELIST}{approved_comment.pk}/requeue/")

    queue = moderator_client.get(CHANGELIST).content.decode()

    assert f'formaction="{CHANGELIST}{approved_comment.pk}/approve/"' in queue
    assert "reader reports" not in queue


def test_select_all_puts_back_only_the_comments_the_page_showed(
    moderator_client, moderator, article, make_comment
):
    shown = make_comment(article, status=Comment.Status.APPROVED)
    never_shown = make_comment(article, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)

    told = moderator_client.post(
        f"{CHANGELIST}?status=approved",
        {
            "action": "requeue_selected",
            "select_across": "1",
            "_selected_action": [shown.pk],
            f"seen-{shown.pk}": shown.revision,
        },
        follow=True,
    ).content.decode()

    shown.refresh_from_db()
    never_shown.refresh_from_db()
    assert shown.status == Comment.Status.PENDING
    assert never_shown.status == Comment.Status.APPROVED
    assert "1 comment not shown to you" in told
    assert Article.objects.get(pk=article.pk).approved_comment_count == 1


def test_a_comment_taken_down_put_back_and_approved_again_brings_its_replies_back(
    moderator_client, client, moderator, thread
):
    comment, reply = thread
    moderator_client.post(
        f"{CHANGELIST}?status=approved",
        {
            "action": "take_down_selected",
            "_selected_action": [comment.pk],
            **as_shown([comment]),
            "reason": "Wrong",
        },
    )

    moderator_client.post(f"{CHANGELIST}{comment.pk}/requeue/")
    moderator_client.post(
        f"{CHANGELIST}{comment.pk}/approve/", {f"seen-{comment.pk}": comment.revision}
    )

    reply.refresh_from_db()
    assert (reply.status, reply.rejection_reason) == (Comment.Status.APPROVED, "")
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 2
    assert reply.body in client.get(comment.article.get_absolute_url()).content.decode()
    assert "rejected" not in client.get(reply.status_url).content.decode()


def test_a_commenter_page_lists_only_the_blocks_that_hold_that_address(moderator_client, moderator):
    Block.objects.create(kind="ip", value="2001:db8::1", reason="old one", created_by=moderator)

    neighbour = moderator_client.get(f"{CHANGELIST}commenter/", {"ip": "2001:db8::2"})

    # Made before blocks covered a /64, it holds ::1 alone: ::2's page must not say it is blocked.
    assert "old one" not in neighbour.content.decode()
    held = moderator_client.get(f"{CHANGELIST}commenter/", {"ip": "2001:db8::1"})
    assert "old one" in held.content.decode()
