"""A sweep of hundreds of comments at once (a spam wave ticked on the Approved list) is told as
one of a few is: what came down, and its Undo. ("Select all" reaches only what the page showed:
tests/test_moderation_take_down_unseen.py.)"""

from articles.models import Article
from comments.models import Comment

CHANGELIST = "/admin/comments/comment/"


def test_a_take_down_of_a_whole_show_all_page_is_told_with_its_undo(moderator_client, article):
    Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Sweeper {n}",
            email=f"sweeper{n}@example.com",
            body=f"Buy now, offer {n}.",
            ip_address="203.0.113.9",
            status=Comment.Status.APPROVED,
        )
        for n in range(200)
    )
    Article.objects.filter(pk=article.pk).update(approved_comment_count=200)
    shown = Comment.objects.all()  # the most a page shows: the admin's "Show all"

    told = moderator_client.post(
        f"{CHANGELIST}?status=approved",
        {
            "action": "take_down_selected",
            "_selected_action": [c.pk for c in shown],
            **{f"seen-{c.pk}": c.revision for c in shown},
            "reason": "Advertising",
        },
        follow=True,
    ).content.decode()

    assert not Comment.objects.filter(status=Comment.Status.APPROVED).exists()
    # The messages cookie holds 2 KB: a message too large for it was dropped without a word.
    assert "200 comments taken down." in told
    assert 'class="undo-form"' in told
