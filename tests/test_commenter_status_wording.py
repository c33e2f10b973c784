"""A comment's private status page says only what is true of that comment: whether and until
when it can be edited, in words that fit where it stands (waiting, published, rejected, marked
as spam, taken down, on a story taken off the site or closed to comments), and whether mail
about replies comes."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.commenter_services import MAX_EDITS
from comments.models import Comment, ReplySubscription
from comments.services import approve
from comments.tokens import status_token
from tests.mail_helpers import run_mail_queue, verify

# The rule for every comment, which the page said to each whatever its own state.
ANY_COMMENT = "Comments can be edited while they wait"


def _moderated(minutes_ago: int) -> dict:
    return {"moderated_at": timezone.now() - timedelta(minutes=minutes_ago)}


# Each state's fields and what its page says: decided so many minutes before the page is read
# ("decided"), taken down then too ("taken_down").
STATES = {
    "waiting": ({}, "You can edit it while it waits for review."),
    "waiting, edited the most times": (
        {"revision": MAX_EDITS},
        f"It has been edited {MAX_EDITS} times, the most we allow.",
    ),
    "published a minute ago": (
        {"status": "approved", "decided": 1},
        "You can edit it until <time",
    ),
    "published an hour ago": (
        {"status": "approved", "decided": 60},
        "It could be edited for 15 minutes after it was published; that time is over.",
    ),
    "rejected": (
        {"status": "rejected", "rejection_reason": "Off topic.", "decided": 1},
        "It was rejected, so it can no longer be edited.",
    ),
    "marked as spam": ({"status": "spam"}, "It was marked as spam, so it can no longer be edited."),
    "taken down": (
        {"status": "rejected", "taken_down": True, "decided": 1},
        "It was taken down, so it can no longer be edited.",
    ),
}


@pytest.mark.parametrize("state", list(STATES))
def test_the_status_page_says_whether_this_comment_can_be_edited(
    reader, article, make_comment, settings, state
):
    settings.COMMENTS_EDIT_MINUTES = 15
    fields, said = STATES[state]
    fields = dict(fields)
    if "decided" in fields:
        fields |= _moderated(fields.pop("decided"))
    if fields.pop("taken_down", False):
        fields["taken_down_at"] = fields["moderated_at"]
    comment = make_comment(article, **fields)

    page = reader.get(comment.status_url).content.decode()

    assert said in page
    assert ANY_COMMENT not in page


@pytest.mark.parametrize("status", ["rejected", "spam"])
def test_a_comment_turned_down_on_a_closed_story_is_told_why_it_stays_as_it_is(
    reader, article, make_comment, status
):
    comment = make_comment(article, status=status)
    Article.objects.filter(pk=article.pk).update(comments_enabled=False)

    page = reader.get(comment.status_url).content.decode()

    # Closing is not why: it could not be edited on an open story either.
    assert "Comments are closed on this article" not in page
    assert "so it can no longer be edited." in page


@pytest.mark.parametrize("status", ["pending", "approved"])
def test_a_comment_on_a_story_taken_off_the_site_is_not_told_its_comments_closed(
    reader, article, make_comment, status
):
    comment = make_comment(article, status=status, **_moderated(1))
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    page = reader.get(comment.status_url).content.decode()

    assert "Its article is off the site, so it can no longer be edited." in page
    assert "Comments are closed on this article" not in page
    assert Comment.objects.get().status == status


@pytest.mark.parametrize("turned_down", ["rejected", "spam", "taken down"])
def test_a_comment_turned_down_is_not_promised_mail_about_replies(
    reader, article, make_comment, moderator, turned_down
):
    parent = make_comment(article, status="approved", email="maria@example.com")
    fields = {"status": "spam" if turned_down == "spam" else "rejected"}
    if turned_down == "taken down":
        fields["taken_down_at"] = timezone.now()
    mine = make_comment(article, parent=parent, email="bob@example.com", **fields)
    ReplySubscription.objects.create(comment=mine)
    verify("bob@example.com")

    later = make_comment(article, parent=parent, email="carol@example.com")
    approve(comment=later, by=moderator)
    run_mail_queue()
    page = reader.get(mine.status_url).content.decode()

    assert [m for m in mail.outbox if "bob@example.com" in m.to] == []  # as the page says
    assert "We e-mail you when someone replies" not in page
    assert (
        "You asked for mail when someone replies in this conversation: none comes while your "
        "comment is not published."
    ) in page
    assert "Stop mail about replies</button>" in page  # should a moderator put it back


# What the edit page, opened from an old link or a bookmark, says of a comment it refuses.
REFUSED = {
    "published an hour ago": "A published comment can be edited for 15 minutes; that time is over.",
    "rejected": "It was rejected. You can still delete it.",
    "marked as spam": "It was marked as spam. You can still delete it.",
    "taken down": "It was taken down. You can still delete it.",
    "waiting, edited the most times": f"It has been edited {MAX_EDITS} times, the most we allow",
}


@pytest.mark.parametrize("state", list(REFUSED))
def test_the_edit_page_gives_the_reason_its_status_page_gives(
    reader, article, make_comment, settings, state
):
    settings.COMMENTS_EDIT_MINUTES = 15
    fields = dict(STATES[state][0])
    if "decided" in fields:
        fields |= _moderated(fields.pop("decided"))
    if fields.pop("taken_down", False):
        fields["taken_down_at"] = fields["moderated_at"]
    comment = make_comment(article, **fields)
    edit = reverse("comments:edit", args=[status_token(comment)])

    opened = reader.get(edit)
    posted = reader.post(edit, {"body": "New words for a comment that stays as it is"})

    for response in (opened, posted):
        assert response.status_code == 403
        assert REFUSED[state] in response.content.decode()
        assert ANY_COMMENT not in response.content.decode()
    # The way on is the comment itself, where its Delete button is (not only the front page).
    # (Matched by shape: a status link is signed with the second it is drawn in.)
    back = re.compile(r'<a href="/comments/status/[^"/]+/">Back to your comment</a>')
    assert back.search(opened.content.decode())
    assert "New words for a comment that stays as it is" in posted.content.decode()


def test_the_edit_page_of_a_comment_on_a_story_taken_off_the_site_says_so(
    reader, article, make_comment
):
    comment = make_comment(article)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    opened = reader.get(reverse("comments:edit", args=[status_token(comment)]))

    assert opened.status_code == 403
    assert "Its article is off the site. You can still delete it." in opened.content.decode()
    assert "Comments are closed" not in opened.content.decode()


def test_a_reply_waiting_under_a_comment_taken_down_is_not_told_it_will_be_published_soon(
    reader, article, make_comment, moderator
):
    parent = make_comment(article, status="approved", email="maria@example.com")
    mine = make_comment(article, parent=parent, email="bob@example.com")
    ReplySubscription.objects.create(comment=mine)
    Comment.objects.filter(pk=parent.pk).update(status="rejected", taken_down_at=timezone.now())

    # A moderator's Approve leaves it waiting: the replies to a comment taken down came down
    # with it (querysets.PUBLISHABLE_UNDER).
    approve(comment=mine, by=moderator)
    page = reader.get(mine.status_url).content.decode()

    assert Comment.objects.get(pk=mine.pk).status == "pending"
    assert "We will review it in the next few hours" not in page
    assert (
        "<strong>waiting</strong>, and it cannot be published while the comment it answers is "
        "off the site"
    ) in page
    assert "We e-mail you when someone replies" not in page
    assert "none comes while the comment it answers is off the site." in page
    # Its edit page says the same, and promises no reading that leads to publication.
    edit_page = reader.get(reverse("comments:edit", args=[status_token(mine)])).content.decode()
    assert "the moderator will read the new text" not in edit_page
    assert "it cannot be published while the comment it answers is off the site" in edit_page


@pytest.mark.parametrize("gone", ["rejected", "spam"])
def test_a_reply_waiting_under_a_comment_removed_after_it_was_published_is_published_approved(
    reader, article, make_comment, moderator, gone
):
    """Turned down after it was published (its author's edit rejected, or sent to spam), the
    comment keeps the replies published under it on the page, under its placeholder
    (querysets.REMOVED); a reply still waiting then is told it waits, and approved, it is
    published beside them. It was told it could never be published, and Approve left it
    waiting for good."""
    parent = make_comment(article, status="approved", email="maria@example.com")
    mine = make_comment(article, parent=parent, email="bob@example.com", body="Bob answers")
    Comment.objects.filter(pk=parent.pk).update(status=gone)

    page = reader.get(mine.status_url).content.decode()
    assert "<strong>waiting for review</strong>" in page
    assert "cannot be published" not in page

    approve(comment=mine, by=moderator)

    assert Comment.objects.get(pk=mine.pk).status == "approved"
    assert "approved</strong> and published" in reader.get(mine.status_url).content.decode()
    assert "Bob answers" in reader.get(article.get_absolute_url()).content.decode()


def test_the_edit_page_of_a_reply_off_the_page_with_its_comment_does_not_call_it_published(
    reader, article, make_comment
):
    parent = make_comment(article, status="pending")
    mine = make_comment(article, parent=parent, status="approved", moderated_at=timezone.now())

    edit_page = reader.get(reverse("comments:edit", args=[status_token(mine)])).content.decode()

    assert "Your comment is published" not in edit_page
    assert "and off the page for now: the comment it answers is being reviewed again" in edit_page


def test_a_one_minute_edit_window_is_said_in_the_singular(reader, article, make_comment, settings):
    settings.COMMENTS_EDIT_MINUTES = 1
    comment = make_comment(article, status="approved", **_moderated(5))

    status_page = reader.get(comment.status_url).content.decode()
    edit_page = reader.get(reverse("comments:edit", args=[status_token(comment)])).content.decode()

    assert "It could be edited for 1 minute after it was published" in status_page
    assert "A published comment can be edited for 1 minute; that time is over." in edit_page


@pytest.mark.parametrize("status", ["pending", "approved"])
def test_a_comment_on_a_story_taken_off_the_site_is_not_promised_mail_about_replies(
    reader, article, make_comment, moderator, status
):
    mine = make_comment(article, status=status, email="bob@example.com", **_moderated(1))
    ReplySubscription.objects.create(comment=mine)
    verify("bob@example.com")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    approve(comment=make_comment(article, parent=mine, email="carol@example.com"), by=moderator)
    run_mail_queue()
    page = reader.get(mine.status_url).content.decode()

    assert [m for m in mail.outbox if "bob@example.com" in m.to] == []  # as the page says
    assert "We e-mail you when someone replies" not in page
    assert (
        "You asked for mail when someone replies: none comes while its article is off the site."
    ) in page
    assert "Stop mail about replies</button>" in page  # should the story come back


def test_a_comment_waiting_for_days_is_not_promised_a_review_in_the_next_few_hours(
    reader, article, make_comment
):
    """Its page (and the export's list and download) say the same words whenever they are read:
    "in the next few hours", true as it was sent, was still promised days later (and, to the
    writer of a comment held for its address, for the 90 days it is kept)."""
    comment = make_comment(article, created_at=timezone.now() - timedelta(days=3))

    page = reader.get(comment.status_url).content.decode()

    assert "in the next few hours" not in page
    assert (
        "<strong>waiting for review</strong>. We review comments in the order they came in, "
        "usually within a few hours."
    ) in page
