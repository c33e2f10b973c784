"""A reply waiting under a comment taken down and then emptied at the 90-day prune: it could
only be published once that comment is put back, which its emptying refuses for good. The
moderator is told it can only be rejected, and its card offers no Approve."""

import pytest
from django.utils import timezone

from comments.models import Comment

CHANGELIST = "/admin/comments/comment/"
ONLY_REJECTED = (
    "The comment it answers was taken down and its words deleted at the 90-day prune: this "
    "reply can only be rejected."
)


@pytest.fixture
def waiting(article, make_comment, moderator):
    emptied = make_comment(
        article,
        status=Comment.Status.REJECTED,
        body="",
        moderated_by=moderator,
        moderated_at=timezone.now(),
        taken_down_by=moderator,
        taken_down_at=timezone.now(),
    )
    return make_comment(article, parent=emptied, body="A reply still waiting.")


def test_approving_it_says_it_can_only_be_rejected(moderator_client, waiting):
    response = moderator_client.post(
        f"{CHANGELIST}{waiting.pk}/approve/", {f"seen-{waiting.pk}": waiting.revision}, follow=True
    )

    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.PENDING
    page = response.content.decode()
    assert ONLY_REJECTED in page
    assert "Approve the comment first" not in page


def test_its_card_offers_reject_not_approve(moderator_client, waiting):
    queue = moderator_client.get(CHANGELIST).content.decode()

    assert f'formaction="{CHANGELIST}{waiting.pk}/reject/"' in queue
    assert f'formaction="{CHANGELIST}{waiting.pk}/approve/"' not in queue
    assert ONLY_REJECTED in queue
