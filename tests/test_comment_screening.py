"""The screen: why a comment is held (shown to moderators), and what goes straight to spam."""

import pytest

from comments.models import Comment, ModerationPolicy
from tests.mail_helpers import verify


@pytest.fixture
def policy(db):
    return ModerationPolicy.objects.create(
        link_limit=2,
        moderation_words="crypto\nget rich",
        blocked_words="viagra",
        blocked_emails="spammer@example.com\n@junk.example",
        blocked_ips="192.0.2.66",
    )


def test_a_first_time_commenter_waits_with_that_reason(submit, article):
    comment = submit(article)

    assert comment.status == Comment.Status.PENDING
    assert comment.held_because == ["first-time commenter"]


def test_links_at_or_above_the_limit_are_a_reason(submit, article, policy):
    comment = submit(article, body="See https://a.example and www.b.example for more")

    assert "2 links (limit 2)" in comment.held_because


def test_a_word_from_the_moderation_list_is_a_reason(submit, article, policy):
    comment = submit(article, body="Buy CRYPTO now and get rich quick")

    assert "moderation word “crypto”" in comment.held_because
    assert "moderation word “get rich”" in comment.held_because


@pytest.mark.parametrize(
    "fields",
    [
        {"body": "Cheap Viagra here"},
        {"email": "spammer@example.com"},
        {"email": "anyone@junk.example"},
        {"ip": "192.0.2.66"},
    ],
)
def test_the_block_list_sends_a_comment_straight_to_spam(submit, article, policy, fields):
    comment = submit(article, **fields)

    assert comment.status == Comment.Status.SPAM
    assert comment.held_because[0].startswith("blocked")


def test_returning_commenters_still_wait_by_default(submit, article, make_comment):
    make_comment(article, email="maria@example.com", status=Comment.Status.APPROVED)

    comment = submit(article)

    assert comment.status == Comment.Status.PENDING
    assert comment.held_because == []


def test_the_policy_can_auto_approve_a_returning_commenter_and_the_count_follows(
    submit, article, make_comment
):
    ModerationPolicy.objects.create(auto_approve_returning=True)
    make_comment(article, email="maria@example.com", status=Comment.Status.APPROVED)
    verify("maria@example.com")  # only a confirmed address skips the queue

    comment = submit(article, email="Maria@Example.com")

    article.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert article.approved_comment_count == 1


def test_auto_approval_never_skips_another_reason(submit, article, make_comment):
    ModerationPolicy.objects.create(auto_approve_returning=True, moderation_words="crypto")
    make_comment(article, email="maria@example.com", status=Comment.Status.APPROVED)

    assert submit(article, body="crypto!").status == Comment.Status.PENDING


def test_staff_edit_the_policy_in_the_admin(superuser_client):
    response = superuser_client.get("/admin/comments/moderationpolicy/", follow=True)
    assert response.status_code == 200

    superuser_client.post(
        "/admin/comments/moderationpolicy/1/change/",
        {
            "link_limit": 3,
            "moderation_words": "casino",
            "close_after_days": "",
            # The preset rejection reasons below the policy, left as they are.
            "rejection_reasons-TOTAL_FORMS": 0,
            "rejection_reasons-INITIAL_FORMS": 0,
        },
    )

    policy = ModerationPolicy.current()
    assert policy.link_limit == 3
    assert policy.moderation_words == "casino"
