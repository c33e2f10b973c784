"""Cards go stale: the queue's script asks which of the cards it shows as waiting were decided
(or deleted) since, and is told by whom, in one query however many cards it shows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comments.desk import dismiss_reports, report_comment, take_down_reported
from comments.models import Comment
from comments.services import approve, reject
from comments.withdrawal import withdraw_comment

MEANWHILE = "/admin/comments/comment/meanwhile/"


def _ask(client, pks):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(MEANWHILE, {"pk": pks})
    assert response.status_code == 200
    return response.json()["decided"], len(queries)


def test_the_queue_is_told_which_of_its_cards_were_decided_meanwhile_and_by_whom(
    moderator_client, moderator, second_moderator, article, make_comment
):
    waiting, theirs, mine, withdrawn = (make_comment(article) for _ in range(4))
    reject(comment=theirs, by=second_moderator, reason="Off-topic")
    approve(comment=mine, by=moderator)
    withdraw_comment(comment=withdrawn)  # by its author: no replies hang on it, the row goes

    decided, _ = _ask(moderator_client, [c.pk for c in (waiting, theirs, mine, withdrawn)])

    assert decided == {
        str(theirs.pk): "Decided meanwhile by moderator2: rejected.",
        str(mine.pk): "Decided meanwhile by you, on another page: approved.",
        str(withdrawn.pk): "Deleted meanwhile.",
    }


def test_asking_about_fifty_cards_costs_what_asking_about_one_does(
    moderator_client, second_moderator, article, make_comment
):
    comments = [make_comment(article) for _ in range(50)]
    for comment in comments[::2]:
        approve(comment=comment, by=second_moderator)

    one, one_cost = _ask(moderator_client, [comments[0].pk])
    fifty, fifty_cost = _ask(moderator_client, [c.pk for c in comments])

    assert len(one) == 1 and len(fifty) == 25
    assert fifty_cost == one_cost
    # The session, its user, their permissions (theirs and their groups'), and one question
    # about the cards.
    assert one_cost <= 5


def test_only_moderators_ask(editor_client, article, make_comment):
    comment = make_comment(article)

    assert editor_client.get(MEANWHILE, {"pk": comment.pk}).status_code == 403
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING


def test_a_card_number_that_is_no_number_is_passed_over(moderator_client, article, make_comment):
    # '²' passes str.isdigit() but is no number int() reads: it was a 500.
    comment = make_comment(article)

    decided, _ = _ask(moderator_client, ["²", "¹2", str(comment.pk)])

    assert decided == {}


def test_the_reported_queue_is_told_whose_reports_were_dealt_with_meanwhile(
    moderator_client, moderator, second_moderator, article, make_comment
):
    waiting, upheld, dismissed, mine = (
        make_comment(article, status=Comment.Status.APPROVED) for _ in range(4)
    )
    Article.objects.filter(pk=article.pk).update(approved_comment_count=4)
    for comment in (waiting, upheld, dismissed, mine):
        report_comment(comment=comment, reason="abuse", ip="198.51.100.7")
    take_down_reported(comment=upheld, by=second_moderator)
    dismiss_reports(comment=dismissed, by=second_moderator)
    dismiss_reports(comment=mine, by=moderator)
    pks = [c.pk for c in (waiting, upheld, dismissed, mine)]

    response = moderator_client.get(MEANWHILE, {"queue": "reported", "pk": pks})

    assert response.json()["decided"] == {
        str(upheld.pk): "Reports upheld meanwhile by moderator2: taken down.",
        str(dismissed.pk): "Reports dismissed meanwhile by moderator2.",
        str(mine.pk): "Reports dismissed meanwhile by you, on another page.",
    }
    page = moderator_client.get("/admin/comments/comment/?status=reported").content.decode()
    assert 'data-meanwhile-url="/admin/comments/comment/meanwhile/?queue=reported"' in page
