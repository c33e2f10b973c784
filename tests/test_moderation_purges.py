"""What the moderator's desk changes on a page reaches readers: the services purge the article
and the lists (front caches by surrogate key, Django's kept fragments under the same keys)."""

from django.test import Client

from comments.desk import dismiss_reports, report_comment, take_down_reported
from comments.models import ModerationPolicy, Report


def test_a_take_down_from_the_reported_queue_purges_the_article_and_the_lists(
    purges,
    approved_comment,
    moderator,
    django_capture_on_commit_callbacks,
):
    Report.objects.create(comment=approved_comment, reason="abuse", reporter="r1")

    with django_capture_on_commit_callbacks(execute=True):
        assert take_down_reported(comment=approved_comment, by=moderator)

    assert purges == [{f"article-{approved_comment.article_id}", "list"}]


def test_dismissing_reports_on_a_published_comment_purges_nothing(
    purges,
    approved_comment,
    moderator,
    django_capture_on_commit_callbacks,
):
    Report.objects.create(comment=approved_comment, reason="abuse", reporter="r1")

    with django_capture_on_commit_callbacks(execute=True):
        assert dismiss_reports(comment=approved_comment, by=moderator) == 1

    assert purges == []


def test_a_comment_hidden_by_reports_leaves_a_kept_page_and_comes_back_on_dismissal(
    settings, approved_comment, moderator, django_capture_on_commit_callbacks
):
    settings.FRAGMENT_CACHE_SECONDS = 300
    ModerationPolicy.objects.create(hide_after_reports=2)
    url = approved_comment.article.get_absolute_url()
    assert "Early Bird" in Client().get(url).content.decode()  # drawn and kept

    with django_capture_on_commit_callbacks(execute=True):
        report_comment(comment=approved_comment, reason="spam", ip="192.0.2.1")
        report_comment(comment=approved_comment, reason="spam", ip="192.0.2.2")

    assert "Early Bird" not in Client().get(url).content.decode()
    approved_comment.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        dismiss_reports(comment=approved_comment, by=moderator)
    assert "Early Bird" in Client().get(url).content.decode()
