"""The admin index figures: how many wait, the oldest, and the median time to a decision."""

from datetime import timedelta

from django.utils import timezone

from comments.stats import moderation_summary


def test_an_empty_queue_has_no_oldest_and_no_median(db):
    summary = moderation_summary()

    assert summary["pending"] == 0
    assert summary["oldest_pending_age"] is None
    assert summary["median_decision_time"] is None


def test_the_median_counts_only_decisions_people_made_in_the_last_seven_days(
    article, make_comment, moderator
):
    now = timezone.now()

    def decided(wait_minutes, *, days_ago=0, by=moderator):
        moderated_at = now - timedelta(days=days_ago)
        make_comment(
            article,
            status="approved",
            created_at=moderated_at - timedelta(minutes=wait_minutes),
            moderated_at=moderated_at,
            moderated_by=by,
        )

    for minutes in (10, 20, 40, 80):
        decided(minutes)
    decided(5000, days_ago=8)  # too old to count
    decided(0, by=None)  # screened by the block list or auto-approved: no person waited
    make_comment(article, created_at=now - timedelta(hours=2))

    summary = moderation_summary()

    assert summary["pending"] == 1
    assert timedelta(minutes=119) < summary["oldest_pending_age"] < timedelta(minutes=121)
    assert summary["median_decision_time"] == timedelta(minutes=30)


def test_the_charts_oldest_wait_today_counts_a_comment_hidden_by_its_reports(
    article, make_comment, moderator
):
    from comments.stats import daily

    now = timezone.now()
    # Published five days ago, back in the queue now after its readers' reports.
    make_comment(
        article,
        created_at=now - timedelta(days=5, hours=1),
        moderated_at=now - timedelta(days=5),
        moderated_by=moderator,
        held_because=["hidden after 3 reader reports"],
    )

    rows = daily(30)

    assert rows[-1]["oldest_wait"] >= timedelta(days=5)
    assert rows[-3]["oldest_wait"] is None  # it stood published then
    assert moderation_summary()["pending"] == 1
