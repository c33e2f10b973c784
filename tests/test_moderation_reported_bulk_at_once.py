"""The Reported queue's "Dismiss reports on selected" across two stories, pressed as another
moderator approves comments on the same stories, on real PostgreSQL connections: both land. The
Dismiss put each comment its reports had hidden back up through its own decision, so it locked
the stories' count rows in the order of the comments (here the later story first), while a bulk
approval locks them in the stories' order: each held one and waited for the other, and
PostgreSQL refused one ('deadlock detected': a server error for one moderator). The Dismiss now
locks the ticked comments' stories together, in pk order, right after their rows.

SQLite takes one writer at a time: the Dismiss, then the approval
(tests.test_privacy_locks_at_once._at_once), and the outcome is the same."""

import pytest

from articles.models import Article
from comments import desk
from comments.desk import report_comment
from comments.models import Comment, ModerationPolicy
from comments.services import decide
from tests.comment_fixtures import as_shown
from tests.test_moderation_requeue_decided_again import messages
from tests.test_privacy_locks_at_once import _at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
REPORTED = "/admin/comments/comment/?status=reported"


def test_a_bulk_dismiss_and_a_bulk_approval_across_the_same_stories_at_once_both_land(
    make_article, make_comment, moderator_client, second_moderator, monkeypatch
):
    one, two = make_article(title="One", slug="one"), make_article(title="Two", slug="two")
    assert one.pk < two.pk
    ModerationPolicy.objects.create(hide_after_reports=1)
    # The earlier comment on the later story: the Dismiss met the stories the other way round.
    hidden = [
        make_comment(story, status="approved", name=f"On {story.title}") for story in (two, one)
    ]
    Article.objects.update(approved_comment_count=1)
    for n, comment in enumerate(hidden):
        report_comment(comment=comment, reason="abuse", ip=f"198.51.100.{n + 1}")
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}
    waiting = [make_comment(story, name=f"Waiting on {story.title}") for story in (one, two)]
    data = {
        "action": "dismiss_reports_selected",
        "_selected_action": [c.pk for c in hidden],
        **as_shown(hidden),
    }
    said = []

    def dismiss():
        said.extend(messages(moderator_client.post(REPORTED, data, follow=True).content.decode()))

    approve = lambda: decide(waiting, status="approved", by=second_moderator)  # noqa: E731
    # Paused once the first comment is back up, its story's row held.
    _at_once(dismiss, approve, desk, "decide", monkeypatch, after=True)

    assert said == ["Reports on 2 comments dismissed: they are up.Undo"]  # its Undo button
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    counts = Article.objects.order_by("pk").values_list("approved_comment_count", flat=True)
    assert list(counts) == [2, 2]
