"""A sweep of hundreds of comments at once (a spam wave, "Select all" on the Approved list) is
told as one of a few is: what came down, and its Undo."""

from articles.models import Article
from comments.models import Comment

CHANGELIST = "/admin/comments/comment/"


def test_a_take_down_of_a_thousand_comments_is_told_with_its_undo(moderator_client, article):
    Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Sweeper {n}",
            email=f"sweeper{n}@example.com",
            body=f"Buy now, offer {n}.",
            ip_address="203.0.113.9",
            status=Comment.Status.APPROVED,
        )
        for n in range(1000)
    )
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1000)
    shown = Comment.objects.order_by("pk").first()

    told = moderator_client.post(
        f"{CHANGELIST}?status=approved",
        {
            "action": "take_down_selected",
            "select_across": "1",
            "_selected_action": [shown.pk],
            f"seen-{shown.pk}": shown.revision,
            "reason": "Advertising",
        },
        follow=True,
    ).content.decode()

    assert not Comment.objects.filter(status=Comment.Status.APPROVED).exists()
    # The messages cookie holds 2 KB: a message too large for it was dropped without a word.
    assert "1000 comments taken down." in told
    assert 'class="undo-form"' in told
