"""The admin index figures, as a moderator reads them: how many wait, the oldest, the median
time to a decision, and the 30-day chart's table of numbers."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.stats import median_decision_time


def _cell(html: str, name: str) -> str:
    """The text of the summary's `moderation-<name>` cell."""
    found = re.search(rf'<td class="moderation-{name}">(.*?)</td>', html, re.DOTALL)
    return re.sub(r"<[^>]+>", "", found.group(1)).replace("\xa0", " ").strip()


def oldest_waits(html: str) -> list[str]:
    """The chart table's "Oldest wait" column, oldest day first."""
    return re.findall(r'<th scope="row">[^<]*</th><td>\d+</td><td>\d+</td><td>([^<]*)</td>', html)


def test_an_empty_queue_has_no_oldest_and_no_median(moderator_client):
    html = moderator_client.get("/admin/").content.decode()

    assert _cell(html, "pending") == "0"
    assert _cell(html, "oldest") == "–"
    assert _cell(html, "median") == "no decisions yet"


@pytest.fixture
def decided(article, make_comment, moderator):
    """A comment approved `days_ago`, `wait_minutes` after it came in."""
    now = timezone.now()

    def make(wait_minutes, *, days_ago=0, by=moderator):
        moderated_at = now - timedelta(days=days_ago)
        make_comment(
            article,
            status="approved",
            created_at=moderated_at - timedelta(minutes=wait_minutes),
            moderated_at=moderated_at,
            moderated_by=by,
        )

    return make


def test_the_median_counts_only_decisions_people_made_in_the_last_seven_days(
    moderator_client, article, make_comment, decided
):
    now = timezone.now()
    for minutes in (10, 20, 40, 80):
        decided(minutes)
    decided(5000, days_ago=8)  # too old to count
    decided(0, by=None)  # screened by the block list or auto-approved: no person waited
    make_comment(article, created_at=now - timedelta(hours=2))

    html = moderator_client.get("/admin/").content.decode()

    assert _cell(html, "pending") == "1"
    assert _cell(html, "oldest") == "2 hours"
    assert _cell(html, "median") == "30 min"


def test_the_charts_oldest_wait_today_counts_a_comment_hidden_by_its_reports(
    moderator_client, article, make_comment, moderator
):
    now = timezone.now()
    # Published five days ago, back in the queue now after its readers' reports.
    make_comment(
        article,
        created_at=now - timedelta(days=5, hours=1),
        moderated_at=now - timedelta(days=5),
        moderated_by=moderator,
        held_because=["hidden after 3 reader reports"],
    )

    html = moderator_client.get("/admin/").content.decode()

    waits = oldest_waits(html)
    assert len(waits) == 30
    assert waits[-1] == "5 d 1 h"  # today: waiting since it was written
    assert waits[-3] == "–"  # it stood published then
    assert _cell(html, "pending") == "1"


def test_the_median_of_an_odd_number_of_waits_is_the_middle_one_read_in_one_query(decided):
    for minutes in (10, 20, 90):
        decided(minutes)

    with CaptureQueriesContext(connection) as ctx:
        median = median_decision_time()

    assert median == timedelta(minutes=20)
    # Counting the window's decisions, then reading its middle, went over them twice.
    assert len(ctx.captured_queries) == 1


def test_a_comment_its_author_withdrew_while_it_waited_no_longer_waits_in_the_chart(
    moderator_client, article, make_comment
):
    # Withdrawn with a published reply under it (published, edited back into the queue, then
    # withdrawn): its placeholder stands published, never decided by anyone.
    make_comment(
        article,
        status="approved",
        name="",
        email="",
        body="",
        created_at=timezone.now() - timedelta(days=4),
        withdrawn_at=timezone.now(),
    )

    html = moderator_client.get("/admin/").content.decode()

    assert _cell(html, "pending") == "0"
    assert oldest_waits(html)[-1] == "–"
