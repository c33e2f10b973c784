"""Redis is a cache here, allowed to forget and to go away: while it does not answer, readers
still read and comment, and staff still sign in and moderate (slower, never refused)."""

import pytest
from django.test import Client, override_settings

from comments.models import Comment
from tests.comment_fixtures import PASSWORD

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def redis_down():
    # Nothing listens on port 1: every cache call fails at once with a connection error.
    dead = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    # Undone before the other fixtures empty the (working) cache again.
    with override_settings(CACHES={"default": dead}, FRAGMENT_CACHE_SECONDS=60):
        yield


def test_a_moderator_signs_in_and_approves_while_redis_is_down(
    redis_down, moderator, article, make_comment
):
    comment = make_comment(article, body="Waiting while the cache is away")
    desk = Client()

    signed_in = desk.post(
        "/admin/login/?next=/admin/", {"username": moderator.username, "password": PASSWORD}
    )
    index = desk.get("/admin/")
    queue = desk.get(CHANGELIST)
    decision = desk.post(f"{CHANGELIST}{comment.pk}/approve/", {"revision": comment.revision})

    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/admin/"
    assert index.status_code == 200
    assert "Waiting while the cache is away" in queue.content.decode()
    assert decision.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_a_reader_reads_and_comments_while_redis_is_down(
    redis_down, reader, article, comment_form_data
):
    page = reader.get(article.get_absolute_url())
    posted = reader.post(f"/comments/post/{article.pk}/", comment_form_data(article), follow=True)

    assert page.status_code == 200
    assert article.title in page.content.decode()
    assert posted.status_code == 200
    assert "Comment sent successfully!" in posted.content.decode()
    assert Comment.objects.filter(article=article, name="Maria Lopez").exists()
