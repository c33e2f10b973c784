""" "Back to the queue" on a taken-down comment ticked with the reply that came down with it:
the reply hangs on its comment again, put back by this very action, and is not said to have
been approved by anyone meanwhile."""

from articles.models import Article
from comments.models import Comment
from comments.services import take_down
from tests.test_moderation_requeue_decided_again import CHANGELIST, messages, page_fields


def test_a_reply_put_back_with_its_comment_is_not_said_approved_meanwhile(
    moderator_client, second_moderator, article, make_comment
):
    # It read "The comment by Bob was approved by the screen meanwhile: it stays up." about the
    # reply this action had just put back.
    comment = make_comment(article, status="approved", name="Ann")
    reply = make_comment(article, status="approved", parent=comment, name="Bob")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    take_down([comment], by=second_moderator, reason="Libel")
    url = f"{CHANGELIST}?status=rejected"
    data = page_fields(moderator_client, url, comment.pk) | page_fields(
        moderator_client, url, reply.pk
    )
    data |= {"action": "requeue_selected", "_selected_action": [comment.pk, reply.pk]}

    html = moderator_client.post(url, data, follow=True).content.decode()

    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING
    # Hanging on its comment again: published, shown when that one is approved.
    assert Comment.objects.get(pk=reply.pk).status == Comment.Status.APPROVED
    assert messages(html) == ["1 comment back in the queue."]
