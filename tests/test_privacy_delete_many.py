"""More comments deleted in one go than SQLite binds in one statement (32,766 variables): the
daily prune's old rejects and spam after a flood, and a moderator's "Delete selected comments"
over a whole list ("Select all"). delete_comments named every comment in its statements (twice:
as itself and as the comment a reply answers), SQLite refused them ("too many SQL variables"),
and nothing was deleted: the moderator got a server error, and the prune failed, and every later
prune the same way, its backlog growing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, CommenterAddress, erased_email
from tests.sqlite_limits import BEFORE_3_32, USUAL, sqlite_variables_at_most

MANY = 33_000  # past SQLite's 32,766 variables in one statement
CHANGELIST = "/admin/comments/comment/"


@pytest.fixture(autouse=True)
def _sqlites_usual_limit(db):
    with sqlite_variables_at_most(USUAL):
        yield


def _flood(article, how_many: int, **fields) -> None:
    Comment.objects.bulk_create(
        Comment(article=article, name=f"Flooder {n}", body=f"Flood number {n}.", **fields)
        for n in range(how_many)
    )


@pytest.mark.parametrize(
    "limit, many", [(USUAL, MANY), (BEFORE_3_32, 2_000)], ids=["sqlite", "sqlite-before-3.32"]
)
def test_the_prune_deletes_more_old_rejects_than_sqlite_binds_at_once(
    article, make_comment, limit, many
):
    long_ago = timezone.now() - timedelta(days=settings.COMMENTS_KEEP_REJECTED_DAYS + 1)
    taken_down = make_comment(
        article, status="rejected", moderated_at=long_ago, taken_down_at=long_ago
    )
    _flood(article, many - 1, email="flood@example.com", status="spam", moderated_at=long_ago)
    # Approved under a comment that went back to the queue and was rejected: shown and counted
    # under its placeholder, which the prune empties and keeps for it.
    hidden = make_comment(article, parent=taken_down, status="approved", email="ann@example.com")
    CommenterAddress.objects.create(email="ann@example.com")
    kept = make_comment(article, status="approved", email="bea@example.com")
    lately = make_comment(article, status="rejected", moderated_at=timezone.now())
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    said = StringIO()

    with sqlite_variables_at_most(limit):
        call_command("prune_comments", stdout=said)

    assert f"Deleted {many - 1} rejected or spam comment(s)" in said.getvalue()
    assert Comment.objects.get(pk=hidden.pk).status == "approved"
    left = sorted(Comment.objects.values_list("pk", flat=True))
    assert left == sorted([taken_down.pk, hidden.pk, kept.pk, lately.pk])
    placeholder = Comment.objects.get(pk=taken_down.pk)
    assert (placeholder.status, placeholder.name, placeholder.email) == ("rejected", "", "")
    assert Article.objects.get(pk=article.pk).approved_comment_count == 2
    assert CommenterAddress.objects.filter(email="ann@example.com").exists()


def test_a_moderator_deletes_more_comments_than_sqlite_binds_at_once(
    superuser_client, committed, make_article, make_comment
):
    story, other = make_article(), make_article()
    first = make_comment(story, status="approved", body="Flood number one.")
    _flood(story, MANY - 3, email="flood@example.com", status="approved")
    _flood(other, 2, email="flood@example.com", status="approved")
    # Sent last, so read apart from the comment it answers: it goes with it, out of the count.
    reply = make_comment(story, parent=first, status="approved", email="ann@example.com")
    kept = make_comment(
        other, status="approved", body="A thoughtful word.", email="bea@example.com"
    )
    Article.objects.filter(pk=story.pk).update(approved_comment_count=MANY - 1)
    Article.objects.filter(pk=other.pk).update(approved_comment_count=3)
    stopped = CommenterAddress.objects.create(
        email="flood@example.com", mail_stopped_at=timezone.now()
    )
    CommenterAddress.objects.create(email="ann@example.com")
    CommenterAddress.objects.create(email="bea@example.com")

    # "Select all" of the Approved list searched for the flood, then "Delete selected comments".
    data = {
        "action": "delete_selected",
        "select_across": "1",
        "index": "0",
        "_selected_action": [first.pk],
        "post": "yes",
    }
    response = committed(superuser_client.post, f"{CHANGELIST}?status=approved&q=flood", data)

    assert response.status_code == 302
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Comment.objects.filter(pk=reply.pk).exists()
    counts = dict(Article.objects.values_list("pk", "approved_comment_count"))
    assert counts == {story.pk: 0, other.pk: 1}
    # Addresses left without a comment: forgotten, a stop kept only as its hash.
    assert set(CommenterAddress.objects.values_list("email", flat=True)) == {
        erased_email("flood@example.com"),
        "bea@example.com",
    }
    assert CommenterAddress.objects.get(pk=stopped.pk).mail_stopped_at is not None
