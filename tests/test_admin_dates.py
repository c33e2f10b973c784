"""Staff read dates as readers do: "5 Dec 2026, 09:03", the day without a leading zero, in the
admin's lists, on its change forms and History pages, not "05 Dec 2026" or "Dec. 5, 2026"."""

from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from articles.models import Article
from comments.desk import block_sender
from comments.models import Block, Comment
from comments.versions import versions_html

WHEN = datetime(2026, 12, 5, 9, 3, tzinfo=UTC)
SHOWN = "5 Dec 2026, 09:03"
NOT_SHOWN = ("05 Dec", "Dec. 5")


def assert_day_first_without_zero(html: str):
    assert SHOWN in html
    for other in NOT_SHOWN:
        assert other not in html


@pytest.fixture
def decided_comment(article, make_comment):
    comment = make_comment(article, status=Comment.Status.APPROVED)
    Comment.objects.filter(pk=comment.pk).update(created_at=WHEN, moderated_at=WHEN)
    return comment


def test_the_comment_list_and_page_write_the_day_as_readers_read_it(
    moderator_client, decided_comment
):
    listed = moderator_client.get("/admin/comments/comment/?status=approved").content.decode()
    page = moderator_client.get(
        f"/admin/comments/comment/{decided_comment.pk}/change/"
    ).content.decode()

    assert f'title="{SHOWN}"' in listed
    assert_day_first_without_zero(listed)
    assert_day_first_without_zero(page)


def test_a_comments_earlier_versions_write_the_day_as_readers_read_it(decided_comment):
    decided_comment.versions.create(
        body="First words.", status=Comment.Status.APPROVED, replaced_at=WHEN
    )

    assert_day_first_without_zero(versions_html(decided_comment))


def test_blocks_write_the_day_as_readers_read_it(superuser_client, moderator):
    block = block_sender(kind="ip", value="192.0.2.8", period="7", by=moderator)
    Block.objects.filter(pk=block.pk).update(created_at=WHEN, expires_at=WHEN)
    block.refresh_from_db()

    listed = superuser_client.get("/admin/comments/block/").content.decode()
    # The time it was set is a read-only field Django's admin draws itself.
    page = superuser_client.get(f"/admin/comments/block/{block.pk}/change/").content.decode()

    assert_day_first_without_zero(listed)
    assert_day_first_without_zero(page)
    assert str(block) == f"IP address 192.0.2.8: block ended {SHOWN}"


def test_the_article_list_change_form_and_history_write_the_day_as_readers_read_it(
    superuser_client, superuser, article
):
    Article.objects.filter(pk=article.pk).update(published_at=WHEN, updated_at=WHEN)
    LogEntry.objects.create(
        user=superuser,
        content_type=ContentType.objects.get_for_model(Article),
        object_id=str(article.pk),
        object_repr=article.title,
        action_flag=CHANGE,
        change_message="Changed the lead.",
        action_time=WHEN,
    )
    base = f"/admin/articles/article/{article.pk}"

    listed = superuser_client.get("/admin/articles/article/").content.decode()
    change_form = superuser_client.get(f"{base}/change/").content.decode()
    history = superuser_client.get(f"{base}/history/").content.decode()

    assert_day_first_without_zero(listed)
    assert_day_first_without_zero(change_form)  # "updated at", read-only
    assert_day_first_without_zero(history)
