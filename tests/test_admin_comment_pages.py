"""The comment lists' later pages ("All", a status, the queue): the comments of that page, in
the list's order, read without reading every comment before them whole. At 100,000 comments on
PostgreSQL the admin's plain OFFSET joined the article, the parent and the moderator for the
49,950 rows before page 1,000 (1.5 s; the last page 3 s); now the ids alone are skipped."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.admin import CommentAdmin
from comments.models import Comment

LIST = "/admin/comments/comment/"
STATUSES = [Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.REJECTED]


@pytest.fixture
def eight(article, make_comment, monkeypatch):
    """Eight comments of three statuses, oldest first; three a page (fifty on the site)."""
    monkeypatch.setattr(CommentAdmin, "list_per_page", 3)
    start = timezone.now() - timedelta(hours=1)
    return [
        make_comment(
            article,
            body=f"Paged comment number {n}.",
            status=STATUSES[n % 3],
            created_at=start + timedelta(minutes=n),
        )
        for n in range(8)
    ]


def _shown(response) -> list[int]:
    # Once each, in the page's order (a queue card says its words twice: text and title).
    found = re.findall(r"Paged comment number (\d+)\.", response.content.decode())
    return [int(n) for n in dict.fromkeys(found)]


@pytest.mark.parametrize(("page", "shown"), [(1, [0, 1, 2]), (2, [3, 4, 5]), (3, [6, 7])])
def test_each_page_of_all_shows_its_comments_in_order(moderator_client, eight, page, shown):
    response = moderator_client.get(LIST, {"status": "all", "p": page})

    assert response.status_code == 200
    assert _shown(response) == shown


def test_a_later_page_of_the_queue_shows_its_comments(moderator_client, eight, monkeypatch):
    monkeypatch.setattr(CommentAdmin, "list_per_page", 2)  # waiting: 1, 4 and 7

    assert _shown(moderator_client.get(LIST, {"p": 2})) == [7]


def test_a_later_page_skips_the_comments_before_it_by_id_alone(moderator_client, eight):
    moderator_client.get(LIST, {"status": "all"})  # the session and the like, read once
    with CaptureQueriesContext(connection) as first:
        moderator_client.get(LIST, {"status": "all"})
    with CaptureQueriesContext(connection) as third:
        response = moderator_client.get(LIST, {"status": "all", "p": 3})

    assert _shown(response) == [6, 7]
    assert len(third) == len(first)  # the ids are a subquery: no query more
    (rows,) = [q["sql"] for q in third.captured_queries if '"articles_article"' in q["sql"]]
    # The rows read whole (article and all) are the page's: the OFFSET is the ids' subquery's.
    assert "OFFSET" in rows
    assert not re.search(r"OFFSET \d+\s*$", rows)
