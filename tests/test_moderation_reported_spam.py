"""A comment its readers' reports hid, then marked as spam: its published replies came down with
it, as Reject takes them down, so a reply still waiting under it is not published alone under its
placeholder: it waits until that comment is put back, as under one rejected."""

from articles.models import Article
from comments.models import Comment

CHANGELIST = "/admin/comments/comment/"


def test_a_reply_waiting_under_a_reported_comment_marked_as_spam_is_not_published(
    moderator_client, client, hidden, make_comment
):
    article = hidden.article
    waiting = make_comment(article, parent=hidden, body="Still waiting here.")
    moderator_client.post(
        f"{CHANGELIST}{hidden.pk}/spam/", {f"seen-{hidden.pk}": hidden.revision, "reason": "Ads"}
    )

    moderator_client.post(f"{CHANGELIST}{waiting.pk}/approve/", {f"seen-{waiting.pk}": 0})

    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.PENDING
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Still waiting here." not in page
    assert "Agreed!" not in page
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
