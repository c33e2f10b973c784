"""The comment lists offer no "Select all 103 comments" across their pages: every bulk action
acts only on what the page showed (tests/test_moderation_take_down_unseen.py), so the offer
promised what none does. The page's own "select all" box and its counter stay."""

from comments.models import Comment

CHANGELIST = "/admin/comments/comment/"


def test_a_queue_longer_than_a_page_offers_no_selection_across_its_pages(moderator_client, article):
    Comment.objects.bulk_create(
        Comment(article=article, name=f"R{n}", email=f"r{n}@example.com", body=f"Words {n}.")
        for n in range(51)
    )

    for listing in (CHANGELIST, f"{CHANGELIST}?status=all"):
        page = moderator_client.get(listing).content.decode()

        assert "Select all 51 comments" not in page
        assert 'class="action-counter" data-actions-icnt="50"' in page
        assert 'id="action-toggle"' in page
