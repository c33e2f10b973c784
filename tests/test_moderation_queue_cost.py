"""The queue's page costs a fixed number of queries however many comments wait, with everything
each card shows (replies, records, reports, notes)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comments.models import Comment, ModeratorNote, Report
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def fill(article, make_comment):
    parent = make_comment(article, status="approved")

    def fill(count):
        for n in range(count):
            comment = make_comment(
                article,
                parent=parent if n % 3 == 0 else None,
                email=f"reader{n % 7}@example.com",
                ip_address=f"192.0.2.{n % 11}",
                held_because=["first-time commenter"],
            )
            if n % 5 == 0:
                Report.objects.create(comment=comment, reason="spam", reporter=f"r{comment.pk}")
                ModeratorNote.objects.create(email=comment.email, text="Seen before.")

    return fill


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [CHANGELIST, f"{CHANGELIST}?status=all", f"{CHANGELIST}?p=2"])
def test_the_queue_costs_the_same_queries_for_60_or_240_pending(moderator_client, fill, url):
    fill(60)  # page 2 exists from the start
    _queries(moderator_client, url)  # warm: the moderator's session and permissions
    few = _queries(moderator_client, url)

    fill(180)

    assert _queries(moderator_client, url) == few


def _bulk_cost(client, action, comments) -> int:
    ContentType.objects.clear_cache()  # each decision looks the log's type up afresh
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            CHANGELIST,
            {
                "action": action,
                "_selected_action": [c.pk for c in comments],
                **as_shown(comments),
            },
        )
    assert response.status_code == 302
    return len(ctx.captured_queries)


@pytest.mark.parametrize("action", ["approve_selected", "reject_selected", "spam_selected"])
def test_a_bulk_decision_costs_the_same_for_comments_on_2_or_12_articles(
    moderator_client, make_article, make_comment, action
):
    # A morning's queue spans dozens of stories: fifty cards decided at once ran two UPDATEs
    # and a COUNT per story.
    def queue_on(articles):
        return [make_comment(a, email=f"r{n}@example.com") for n, a in enumerate(articles)]

    few = queue_on([make_article() for _ in range(2)])
    many = queue_on([make_article() for _ in range(12)])

    few_cost = _bulk_cost(moderator_client, action, few)
    many_cost = _bulk_cost(moderator_client, action, many)

    assert few_cost == many_cost
    decided = Comment.objects.exclude(status=Comment.Status.PENDING)
    assert decided.count() == 14
    if action == "approve_selected":
        assert set(Article.objects.values_list("approved_comment_count", flat=True)) == {1}
