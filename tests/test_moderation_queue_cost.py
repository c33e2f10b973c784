"""The queue's page costs a fixed number of queries however many comments wait, with everything
each card shows (replies, records, reports, notes, blocks); a bulk action, however many stories its
comments are on."""

from datetime import timedelta
from functools import partial

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from comments.models import Block, Comment, ModeratorNote, Report
from comments.services import REPLY_TAKEN_DOWN
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
            if n % 4 == 0:
                Block.objects.create(kind="email", value=comment.email)
                Block.objects.create(kind="ip", value=comment.ip_address)

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


@pytest.mark.parametrize("persona", ["moderator", "superuser"])
def test_the_queue_costs_the_same_for_comments_on_2_or_12_stories_off_the_site(
    request, make_article, make_comment, persona
):
    # Each card says whether its story is on the site, and links a story off it to its admin
    # page for whoever may open it (the superuser).
    client = request.getfixturevalue(f"{persona}_client")

    def queue_on(count):
        later = timezone.now() + timedelta(days=1)
        for n in range(count):
            off = {"status": Article.Status.DRAFT} if n % 2 else {"published_at": later}
            make_comment(make_article(**off))

    queue_on(2)
    _queries(client, CHANGELIST)  # warm: the session and permissions
    few = _queries(client, CHANGELIST)

    queue_on(10)

    html = client.get(CHANGELIST).content.decode()
    assert html.count("Article off the site") == 12
    assert _queries(client, CHANGELIST) == few


def _bulk_cost(client, action, comments, *, queue=Comment.Status.PENDING, **bar) -> int:
    ContentType.objects.clear_cache()  # each decision looks the log's type up afresh
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            f"{CHANGELIST}?status={queue}",
            {
                "action": action,
                "_selected_action": [c.pk for c in comments],
                **bar,  # the action bar's reason
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


@pytest.fixture
def threads_on(make_article, make_comment, moderator):
    """A comment with a reply on each of `count` new articles, both published (and counted), or
    both taken down (the reply because of its comment)."""

    def threads_on(count, *, taken_down=False):
        down = {"status": Comment.Status.REJECTED, "taken_down_by": moderator}
        comments = []
        for n in range(count):
            article = make_article()
            fields = {**down, "rejection_reason": "Libel"} if taken_down else {"status": "approved"}
            comment = make_comment(article, email=f"r{n}@example.com", **fields)
            fields = {**down, "rejection_reason": REPLY_TAKEN_DOWN} if taken_down else {}
            make_comment(article, parent=comment, **{"status": "approved", **fields})
            shown = 0 if taken_down else 2
            Article.objects.filter(pk=article.pk).update(approved_comment_count=shown)
            comments.append(comment)
        return comments

    return threads_on


def test_taking_down_reported_comments_costs_the_same_on_2_or_12_articles(
    moderator_client, threads_on
):
    # A pile-on reported across the morning's stories, taken down from the Reported queue at
    # once: each story cost its own locks, UPDATEs and COUNT.
    few, many = threads_on(2), threads_on(12)
    for comment in few + many:
        Report.objects.create(comment=comment, reason="abuse", reporter=f"r{comment.pk}")

    take_down = partial(_bulk_cost, moderator_client, "take_down_selected", queue="reported")
    few_cost = take_down(few, reason="Libel")
    many_cost = take_down(many, reason="Libel")

    assert few_cost == many_cost
    assert Comment.objects.filter(status=Comment.Status.REJECTED).count() == 28
    assert set(Article.objects.values_list("approved_comment_count", flat=True)) == {0}
    assert not Report.objects.open().exists()


@pytest.mark.parametrize("decided", ["published", "taken down"])
def test_putting_decided_comments_back_in_the_queue_costs_the_same_on_2_or_12_articles(
    moderator_client, threads_on, decided
):
    taken_down = decided == "taken down"
    few, many = threads_on(2, taken_down=taken_down), threads_on(12, taken_down=taken_down)
    queue = Comment.Status.REJECTED if taken_down else Comment.Status.APPROVED

    few_cost = _bulk_cost(moderator_client, "requeue_selected", few, queue=queue)
    many_cost = _bulk_cost(moderator_client, "requeue_selected", many, queue=queue)

    assert few_cost == many_cost
    assert Comment.objects.pending().count() == 14
    # The replies hang on their comments again, published but hidden while they wait.
    assert (
        Comment.objects.filter(status=Comment.Status.APPROVED, parent__isnull=False).count() == 14
    )
    assert set(Article.objects.values_list("approved_comment_count", flat=True)) == {0}
