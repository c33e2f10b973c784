"""A published comment can go back to the queue with its replies (its author edited it, or its
reports hid it): what moderators and its author then do keeps the other readers' replies, the
count and the reports right."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.desk import report_comment
from comments.models import Comment, ModerationPolicy, Report
from comments.privacy import erase_comments
from comments.tokens import status_token
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def thread(article, make_comment):
    """Ann's published comment with a published reply from another reader (count 2)."""
    parent = make_comment(
        article,
        status="approved",
        moderated_at=timezone.now(),  # published just now: its author may still edit it
        name="Ann",
        email="ann@example.com",
        body="First words",
    )
    reply = make_comment(article, status="approved", parent=parent, body="A reply from Bob")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    return parent, reply


def edit(client, comment, body):
    return client.post(reverse("comments:edit", args=[status_token(comment)]), {"body": body})


def count(article) -> int:
    return Article.objects.get(pk=article.pk).approved_comment_count


def test_take_down_selected_leaves_a_comment_back_in_the_queue_and_its_replies(
    reader, moderator_client, client, article, thread
):
    parent, reply = thread
    edit(reader, parent, "Second thoughts")
    assert count(article) == 0

    moderator_client.post(
        CHANGELIST,
        {
            "action": "take_down_selected",
            "_selected_action": [parent.pk],
            **as_shown([parent]),
            "reason": "x",
        },
    )

    parent.refresh_from_db()
    reply.refresh_from_db()
    assert (parent.status, reply.status) == ("pending", "approved")
    assert count(article) == 0
    # Approved in the queue, it comes back with the reply that hung on it.
    moderator_client.post(f"{CHANGELIST}{parent.pk}/approve/")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Second thoughts" in page and "A reply from Bob" in page
    assert count(article) == 2


def test_reports_on_a_comment_its_author_edited_are_taken_down_with_it(
    reader, moderator_client, client, article, thread
):
    parent, reply = thread
    Report.objects.create(comment=parent, reason="abuse", reporter="reader-1")
    edit(reader, parent, "Still rude")

    response = moderator_client.post(
        f"{CHANGELIST}{parent.pk}/take-down/", HTTP_ACCEPT="application/json"
    )

    assert response.json()["outcome"] == "taken-down"
    parent.refresh_from_db()
    reply.refresh_from_db()
    assert (parent.status, reply.status) == ("rejected", "rejected")
    assert not Comment.objects.pending().exists()
    assert Report.objects.get().outcome == Report.Outcome.TAKEN_DOWN
    assert count(article) == 0
    assert "Still rude" not in client.get(article.get_absolute_url()).content.decode()


def seen(moderator_client, comment) -> dict:
    """The revision of the words the queue showed the moderator, as its card posts it."""
    html = moderator_client.get(f"{CHANGELIST}?status=reported").content.decode()
    marker = f'name="seen-{comment.pk}" value="'
    return {f"seen-{comment.pk}": html.split(marker, 1)[1].split('"', 1)[0]}


def test_dismissing_puts_back_a_hidden_comment_its_author_edited_meanwhile(
    reader, moderator_client, client, article, thread
):
    parent, _ = thread
    ModerationPolicy.objects.create(hide_after_reports=1)
    report_comment(comment=parent, reason="abuse", ip="198.51.100.20")
    assert count(article) == 0
    edit(reader, parent, "Kinder words")

    moderator_client.post(f"{CHANGELIST}{parent.pk}/dismiss/", seen(moderator_client, parent))

    parent.refresh_from_db()
    assert parent.status == "approved"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Kinder words" in page and "A reply from Bob" in page
    assert count(article) == 2


def test_an_erase_takes_the_authors_reply_and_leaves_no_empty_placeholder(
    reader, client, article, make_comment
):
    parent = make_comment(
        article,
        status="approved",
        moderated_at=timezone.now(),
        email="ann@example.com",
        body="Ann starts a thread",
    )
    make_comment(
        article, status="approved", parent=parent, email="ann@example.com", body="Ann again"
    )
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    edit(reader, parent, "Ann changes her mind")
    assert count(article) == 0

    erase_comments(email="ann@example.com")

    assert not Comment.objects.exists()
    assert count(article) == 0
    assert "withdrawn" not in client.get(article.get_absolute_url()).content.decode().lower()


def test_an_erase_keeps_the_place_of_another_readers_reply_and_counts_it_once(
    reader, client, article, thread, make_comment
):
    parent, reply = thread
    make_comment(article, status="approved", parent=parent, email="ann@example.com", body="Me")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=3)
    edit(reader, parent, "Ann changes her mind")
    assert count(article) == 0

    erase_comments(email="ann@example.com")

    assert list(Comment.objects.values_list("pk", flat=True).order_by("pk")) == [
        parent.pk,
        reply.pk,
    ]
    assert count(article) == 1
    page = client.get(article.get_absolute_url()).content.decode()
    assert "A reply from Bob" in page
    assert Comment.objects.get(pk=parent.pk).withdrawn_at <= timezone.now()


def test_dismissing_reports_on_an_edited_comment_leaves_its_new_words_waiting(
    reader, moderator_client, article, thread
):
    parent, _ = thread
    Report.objects.create(comment=parent, reason="abuse", reporter="reader-1")
    edit(reader, parent, "Unreviewed words")

    response = moderator_client.post(f"{CHANGELIST}{parent.pk}/dismiss/", follow=True)

    assert "dismissed: it waits in the queue" in response.content.decode()
    assert Comment.objects.pending().get().pk == parent.pk
    assert Report.objects.get().outcome == Report.Outcome.DISMISSED
    assert count(article) == 0


def test_a_replys_status_page_says_it_is_off_the_page_while_its_comment_waits(
    reader, moderator_client, article, thread
):
    parent, reply = thread
    edit(reader, parent, "Second thoughts")

    page = reader.get(reply.status_url).content.decode()

    assert "off the page for now" in page
    assert "see it on the article" not in page
    moderator_client.post(f"{CHANGELIST}{parent.pk}/approve/")
    page = reader.get(reply.status_url).content.decode()
    assert f'href="{article.get_absolute_url()}#comment-{reply.pk}">see it on the article' in page


def test_a_hidden_comment_edited_after_the_moderator_read_it_is_not_dismissed_back_up(
    reader, moderator_client, client, article, thread
):
    parent, _ = thread
    ModerationPolicy.objects.create(hide_after_reports=1)
    report_comment(comment=parent, reason="abuse", ip="198.51.100.20")
    read = seen(moderator_client, parent)
    edit(reader, parent, "Even worse words")

    response = moderator_client.post(f"{CHANGELIST}{parent.pk}/dismiss/", read, follow=True)

    assert "edited since you read it" in response.content.decode()
    parent.refresh_from_db()
    assert parent.status == "pending"
    assert Report.objects.open().count() == 1
    assert "Even worse words" not in client.get(article.get_absolute_url()).content.decode()


def test_a_replys_status_page_says_it_is_published_when_the_comment_it_answers_is_rejected_after_an_edit(  # noqa: E501
    reader, moderator_client, article, thread
):
    parent, reply = thread
    edit(reader, parent, "Second thoughts")
    moderator_client.post(f"{CHANGELIST}{parent.pk}/reject/")
    assert Comment.objects.get(pk=parent.pk).status == "rejected"

    page = reader.get(reply.status_url).content.decode()

    # On the page under the comment's placeholder (test_moderation_edit_rejected_replies.py).
    assert "being reviewed again" not in page
    assert "the comment it answers was not kept on the site" not in page
    assert "see it on the article" in page
