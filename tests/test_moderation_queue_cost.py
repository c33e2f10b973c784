"""The queue's page costs a fixed number of queries however many comments wait, with everything
each card shows (replies, records, reports, notes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import ModeratorNote, Report

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
