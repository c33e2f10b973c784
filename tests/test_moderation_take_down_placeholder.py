""" "Take down selected" on a comment its author deleted (a placeholder kept for its published
replies): the replies come down, and the message says so, not "0 comments taken down."."""

from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from tests.test_moderation_requeue_decided_again import CHANGELIST, messages, page_fields


def test_taking_down_a_placeholder_says_its_replies_came_down(
    moderator_client, article, make_comment
):
    placeholder = make_comment(article, status="approved", name="", withdrawn_at=timezone.now())
    replies = [make_comment(article, status="approved", parent=placeholder) for _ in range(2)]
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    url = f"{CHANGELIST}?status=approved"
    data = page_fields(moderator_client, url, placeholder.pk)
    data |= {"action": "take_down_selected", "_selected_action": [placeholder.pk]}

    said = messages(moderator_client.post(url, data, follow=True).content.decode())

    assert said == ["2 published replies to a comment its author deleted taken down."]
    assert {c.status for c in Comment.objects.filter(pk__in=[r.pk for r in replies])} == {
        "rejected"
    }
    assert Comment.objects.get(pk=placeholder.pk).withdrawn_at is not None
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
