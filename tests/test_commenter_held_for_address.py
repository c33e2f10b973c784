"""A comment held for its blocked address looks "waiting for review" to its writer (anyone may
type an address: a stranger must not learn that a moderator blocked it). What the block holds
is spam to everything else, kept as long as spam is; but a block never undoes a moderator's
approval on its own: new words of a comment a moderator published wait for a moderator, as
its writer is told, not in spam, where none looks."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from comments.desk import block_sender
from comments.models import Comment, ModerationPolicy
from comments.privacy import prune_old_data
from comments.services import approve
from tests.test_commenter_mail_consent import VICTIM as BLOCKED
from tests.test_commenter_mail_consent import post as _post


@pytest.mark.parametrize("blocked", [True, False])
def test_new_words_of_a_published_comment_whose_address_was_blocked_since_wait_for_a_moderator(
    article, comment_form_data, moderator, blocked, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    ModerationPolicy.objects.create(publish_clean_edits=True)
    browser = Client(REMOTE_ADDR="198.51.100.7")
    comment = _post(browser, article, comment_form_data, body="First thoughts.")
    approve(comment=comment, by=moderator)
    if blocked:
        block_sender(kind="email", value=BLOCKED, period="7", by=moderator)

    edited = browser.post(comment.status_url + "edit/", {"body": "Second thoughts."}, follow=True)

    comment.refresh_from_db()
    text = edited.content.decode()
    if not blocked:  # a regular's clean edit stays published
        assert comment.status == Comment.Status.APPROVED
        assert "Second thoughts." in Client().get(article.get_absolute_url()).content.decode()
        return
    # In the moderators' queue, with why, where spam had kept it from everyone for good.
    assert comment.status == Comment.Status.PENDING
    assert comment in Comment.objects.pending()
    assert any("blocked" in reason for reason in comment.held_because)
    assert any(r.startswith("edited by its author") for r in comment.held_because)
    # Its writer reads what is true: a moderator will look.
    assert "A moderator will review the new text." in text
    assert "<strong>waiting for review</strong>" in text
    assert "First thoughts." not in Client().get(article.get_absolute_url()).content.decode()


def test_a_held_comment_goes_with_the_spam_and_its_link_then_says_how_comments_go(
    article, comment_form_data, moderator, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    block_sender(kind="email", value=BLOCKED, period="forever", by=moderator)
    browser = Client(REMOTE_ADDR="198.51.100.7")
    held = _post(browser, article, comment_form_data, body="Held words.")
    deleted = _post(Client(), article, comment_form_data, body="Deleted by its writer.")
    deleted_link = deleted.status_url
    Client().post(deleted_link + "delete/")
    days = settings.COMMENTS_KEEP_REJECTED_DAYS

    prune_old_data(now=timezone.now() + timedelta(days=days - 1))
    waiting = browser.get(held.status_url).content.decode()
    prune_old_data(now=timezone.now() + timedelta(days=days + 1))
    gone = browser.get(held.status_url)

    assert "<strong>waiting for review</strong>" in waiting
    assert not Comment.objects.filter(pk=held.pk).exists()
    assert gone.status_code == 404
    assert gone.content == Client().get(deleted_link).content
    assert f"or, not published, removed after {days} days" in gone.content.decode()


def test_a_rejected_comment_removed_after_the_retention_days_says_so_on_its_link(
    article, make_comment, moderator, settings
):
    comment = make_comment(article, status=Comment.Status.REJECTED, moderated_by=moderator)
    Comment.objects.filter(pk=comment.pk).update(moderated_at=timezone.now())
    days = settings.COMMENTS_KEEP_REJECTED_DAYS

    prune_old_data(now=timezone.now() + timedelta(days=days + 1))
    gone = Client().get(comment.status_url)

    assert gone.status_code == 404
    assert f"or, not published, removed after {days} days;" in gone.content.decode()
