"""Redis is a cache here, allowed to forget and to go away: while it does not answer, readers
still read and comment, and staff still sign in and moderate (slower, never refused). What
mails someone else's address is never let through for it."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from comments import links
from comments.models import Comment
from comments.tokens import status_token
from tests.comment_fixtures import PASSWORD
from tests.mail_helpers import run_mail_queue, verify

PRIVACY = "/comments/privacy/"

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


def _mailed(address: str) -> list[str]:
    run_mail_queue()
    return [m.subject for m in mail.outbox if address in m.to]


def test_a_privacy_link_asked_for_again_after_redis_forgot_mails_the_address_once(
    reader, article, make_comment
):
    """The one link per address every ten minutes is kept in the database: Redis forgetting
    the count (evicted, restarted) lets no second mail go."""
    comment = make_comment(article, email="maria@example.com")
    status_privacy = reverse("comments:status-privacy", args=[status_token(comment)])

    first = reader.post(PRIVACY, {"email": "maria@example.com", "action": "export"})
    cache.clear()
    again = reader.post(PRIVACY, {"email": "maria@example.com", "action": "export"})
    cache.clear()
    from_status = Client().post(status_privacy, {"action": "erase"})

    assert first.status_code == again.status_code == 200
    assert first.content == again.content  # never says whether mail went
    assert "Check your mail" in from_status.content.decode()
    assert _mailed("maria@example.com") == ["[Newsportal] Your comments: the link you asked for"]


def test_posting_asking_and_deleting_in_turn_mails_the_address_once_when_redis_forgets(
    reader, article, make_comment
):
    """Whoever posts with an address may delete the comment, and its address is then
    forgotten: the limit must outlive that, or every round would mail the address."""
    for _ in range(2):
        comment = make_comment(article, email="maria@example.com")
        reader.post(PRIVACY, {"email": "maria@example.com", "action": "erase"})
        reader.post(reverse("comments:delete", args=[status_token(comment)]))
        cache.clear()

    assert not Comment.objects.exists()
    assert len(_mailed("maria@example.com")) == 1


def test_no_privacy_link_is_mailed_from_the_site_while_redis_is_down(
    redis_down, reader, article, make_comment
):
    """The five links an hour per IP address bound how many people one client can have us
    mail; uncounted, one client could have every commenter's address mailed every ten
    minutes. So the asks wait for Redis (as django-ratelimit fails closed by default), and
    say so, the address kept in the form."""
    comment = make_comment(article, email="maria@example.com")
    status_privacy = reverse("comments:status-privacy", args=[status_token(comment)])

    page = reader.post(PRIVACY, {"email": "maria@example.com", "action": "export"})
    from_status = Client().post(status_privacy, {"action": "erase"})

    for response in (page, from_status):
        assert response.status_code == 503
        assert response["Retry-After"] == "60"
        assert "try again in a minute" in response.content.decode()
    assert 'value="maria@example.com"' in page.content.decode()
    assert "Back to your comment" in from_status.content.decode()
    assert _mailed("maria@example.com") == []


def test_the_stop_link_tells_its_owner_no_new_link_went_while_redis_is_down(
    redis_down, article, make_comment
):
    make_comment(article, email="maria@example.com")
    stop = links.stop_mail_url(verify("maria@example.com").pk)

    first = Client().post(stop, {"export": "1"})
    again = Client().post(stop, {"export": "1"})

    assert "Check your mail" in first.content.decode()
    assert "No new link yet" in again.content.decode()
    assert len(_mailed("maria@example.com")) == 1
