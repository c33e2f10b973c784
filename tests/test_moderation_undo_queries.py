"""What the moderators' Undo endpoints and the Reported queue's "decided meanwhile?" question
cost in queries: the same for one comment as for a page of them (the mail of the writers who
asked to hear of decisions too): a change that adds a query per comment shows."""

import pytest
from django.core import mail

from articles.models import Article
from comments.desk import report_comment, take_down_reported
from tests.comment_fixtures import as_shown
from tests.mail_helpers import run_mail_queue, verify
from tests.test_moderation_undo_bulk import _bulk

CHANGELIST = "/admin/comments/comment/"
# The session, the moderator, and their permissions (user and group): every admin request's.
LOGGED_IN = 4


@pytest.mark.parametrize("how_many", [1, 5])
def test_undo_of_bulk_decisions_costs_the_same_for_one_or_several(
    moderator_client, article, make_comment, django_assert_num_queries, how_many
):
    comments = [make_comment(article) for _ in range(how_many)]
    _bulk(moderator_client, comments, "approve_selected")
    undo = {"decided": "approved", "undo": [c.pk for c in comments]}

    with django_assert_num_queries(LOGGED_IN + 14):
        answer = moderator_client.post(f"{CHANGELIST}undo-decisions/", undo)

    assert answer.status_code == 302
    assert article.comments.filter(status="pending").count() == how_many


# However many take-downs are undone: the savepoint and its release, the lock, the rows, their
# later reports, the counts before and after, the replies, the UPDATE, the reports reopened, the
# count's UPDATE and the log. (It was 14 for each comment.)
TAKE_DOWNS = 12


@pytest.mark.parametrize("wants_mail", [False, True])
@pytest.mark.parametrize("how_many", [1, 5])
def test_undo_of_take_downs_costs_the_same_for_one_or_several(
    moderator_client, article, make_comment, django_assert_num_queries, how_many, wants_mail
):
    comments = [
        make_comment(article, status="approved", notify_on_decision=wants_mail)
        for _ in range(how_many)
    ]
    Article.objects.filter(pk=article.pk).update(approved_comment_count=how_many)
    data = {"action": "take_down_selected", "_selected_action": [c.pk for c in comments]}
    data |= {f"seen-{c.pk}": c.revision for c in comments} | {"reason": "Personal attack"}
    moderator_client.post(f"{CHANGELIST}?status=approved", data)
    # Writers who asked to hear of decisions: their mail about the take-down, read and dropped
    # while it waits still (here: so no new one goes), in two queries for them all (it was one
    # for each writer).
    mail = 2 if wants_mail else 0
    # Reading the comments; then the message: one's status and open reports, or all statuses.
    message = 2 if how_many == 1 else 1

    with django_assert_num_queries(LOGGED_IN + 1 + TAKE_DOWNS + mail + message):
        answer = moderator_client.post(
            f"{CHANGELIST}undo-take-down/", {"undo": [c.pk for c in comments]}
        )

    assert answer.status_code == 302
    assert Article.objects.get(pk=article.pk).approved_comment_count == how_many


@pytest.mark.parametrize("how_many", [1, 20])
def test_the_reported_queues_meanwhile_question_costs_the_same_for_one_card_or_twenty(
    moderator_client, second_moderator, article, make_comment, django_assert_num_queries, how_many
):
    cards = [make_comment(article, status="approved") for _ in range(how_many)]
    Article.objects.filter(pk=article.pk).update(approved_comment_count=how_many)
    for comment in cards:
        report_comment(comment=comment, reason="abuse", ip="198.51.100.7")
    for comment in cards[::2]:  # every other one decided by another moderator meanwhile
        take_down_reported(comment=comment, by=second_moderator)
    asked = {"queue": "reported", "pk": [c.pk for c in cards]}

    # Which still have open reports; the last decision on the others, with who made it.
    with django_assert_num_queries(LOGGED_IN + 2):
        answer = moderator_client.get(f"{CHANGELIST}meanwhile/", asked)

    assert len(answer.json()["decided"]) == len(cards[::2])


def test_one_undo_of_two_take_downs_tells_only_the_writer_already_told(
    moderator_client, article, make_comment
):
    # Their mail dropped together, in one query: each writer still hears what is true of theirs.
    told, untold = (
        make_comment(article, status="approved", notify_on_decision=True, email=address)
        for address in ("told@example.com", "untold@example.com")
    )
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    for address in ("told@example.com", "untold@example.com"):
        verify(address)
    for comment in (told, untold):
        data = {"action": "take_down_selected", "_selected_action": [comment.pk]}
        moderator_client.post(f"{CHANGELIST}?status=approved", data | as_shown([comment]))
        if comment is told:
            run_mail_queue()  # its take-down mail went; the other's still waits

    moderator_client.post(f"{CHANGELIST}undo-take-down/", {"undo": [told.pk, untold.pk]})
    run_mail_queue()

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["told@example.com"], "[Newsportal] Your comment was taken down"),
        (["told@example.com"], "[Newsportal] Your comment has been reviewed"),
    ]
