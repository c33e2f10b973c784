"""A take-down made from the Approved list or from a comment's own page is undone as a Reported
card's is: the message saying it came down carries an Undo, and the taken-down comment's page
offers it while the take-down stands. Undone, the comment is up again with the replies that came
down with it (not sent back to the queue to be approved again), its reports open again."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client

from articles.models import Article
from comments.desk import report_comment
from comments.models import Comment, Report
from comments.services import return_to_queue

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def with_reply(approved_comment, make_comment):
    make_comment(approved_comment.article, parent=approved_comment, status="approved", body="Yes!")
    Article.objects.filter(pk=approved_comment.article_id).update(approved_comment_count=2)
    return approved_comment


def _page(article):
    return Client().get(article.get_absolute_url()).content.decode()


def _count(comment):
    return Article.objects.get(pk=comment.article_id).approved_comment_count


def _undo_form(html):
    """The Undo form of the page's messages: its address and its fields."""
    found = re.search(r'<form method="post" action="([^"]+)" class="undo-form">(.*?)</form>', html)
    assert found, "no Undo beside the message"
    fields = {}
    for name, value in re.findall(r'name="([^"]+)" value="([^"]+)"', found.group(2)):
        fields.setdefault(name, []).append(value)
    return found.group(1), fields


def others_press_undo(url, fields, stranger_client, second_moderator):
    """Staff who may not moderate are refused; another moderator's press changes nothing."""
    assert stranger_client.post(url, fields).status_code == 403
    other = Client()
    other.force_login(second_moderator)
    assert other.post(url, fields, follow=True).status_code == 200


def _take_down_from_approved_list(client, comment):
    return client.post(
        f"{CHANGELIST}?status=approved",
        {
            "action": "take_down_selected",
            "_selected_action": [comment.pk],
            f"seen-{comment.pk}": comment.revision,
            "reason": "Personal attack",
        },
        follow=True,
    )


def test_a_take_down_from_the_approved_list_is_undone_from_its_message(
    moderator_client, with_reply
):
    page = _take_down_from_approved_list(moderator_client, with_reply).content.decode()
    assert "1 comment taken down, with 1 published reply to it." in page
    assert "Early Bird" not in _page(with_reply.article)

    url, fields = _undo_form(page)
    answer = moderator_client.post(url, fields, follow=True).content.decode()

    assert "Not taken down after all. The comment by Early Bird is up again." in answer
    assert set(Comment.objects.values_list("status", "taken_down_at", "rejection_reason")) == {
        (Comment.Status.APPROVED, None, "")
    }
    assert _count(with_reply) == 2
    html = _page(with_reply.article)
    assert "Early Bird" in html and "Yes!" in html
    assert LogEntry.objects.filter(
        object_id=str(with_reply.pk), change_message="Take-down undone: up again"
    ).exists()


def test_a_take_down_from_a_comments_page_is_undone_from_its_message(
    moderator_client, approved_comment
):
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    # The comment's page, opened from the Reported queue: Take down, then on to the next.
    page = moderator_client.post(
        f"{CHANGELIST}{approved_comment.pk}/take-down/",
        {
            f"seen-{approved_comment.pk}": approved_comment.revision,
            "_next_pending": "1",
            "_changelist_filters": "status=reported",
        },
        follow=True,
    ).content.decode()
    assert "Comment by Early Bird taken down." in page

    url, fields = _undo_form(page)
    answer = moderator_client.post(url, fields, follow=True).content.decode()

    assert "The comment by Early Bird is up again, its reports open: decide again." in answer
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED
    assert Report.objects.open().filter(comment=approved_comment).count() == 1
    assert "Early Bird" in _page(approved_comment.article)


def test_the_page_of_a_comment_you_took_down_offers_undo(
    moderator_client, moderator, second_moderator, with_reply
):
    _take_down_from_approved_list(moderator_client, with_reply)
    change = f"{CHANGELIST}{with_reply.pk}/change/"

    page = moderator_client.get(change).content.decode()
    assert "Undo the take-down</button>" in page
    assert "Back to the queue</button>" in page
    other = Client()
    other.force_login(second_moderator)
    assert "Undo the take-down" not in other.get(change).content.decode()

    moderator_client.post(
        f"{CHANGELIST}undo-take-down/", {"undo": with_reply.pk}, HTTP_REFERER=change
    )

    with_reply.refresh_from_db()
    assert with_reply.status == Comment.Status.APPROVED
    assert _count(with_reply) == 2


def test_undo_never_overwrites_what_another_moderator_did_since(
    moderator_client, second_moderator, with_reply
):
    page = _take_down_from_approved_list(moderator_client, with_reply).content.decode()
    url, fields = _undo_form(page)
    return_to_queue([with_reply], by=second_moderator)

    answer = moderator_client.post(url, fields, follow=True).content.decode()

    assert "back in the queue already" in answer
    with_reply.refresh_from_db()
    assert with_reply.status == Comment.Status.PENDING
    assert "Early Bird" not in _page(with_reply.article)


def test_only_the_moderator_who_took_it_down_undoes_it(
    moderator_client, second_moderator, stranger_client, with_reply
):
    page = _take_down_from_approved_list(moderator_client, with_reply).content.decode()
    url, fields = _undo_form(page)

    others_press_undo(url, fields, stranger_client, second_moderator)

    with_reply.refresh_from_db()
    assert with_reply.status == Comment.Status.REJECTED
    assert moderator_client.get(url).status_code == 405


def test_a_comment_and_its_reply_taken_down_together_are_both_put_back_by_its_undo(
    moderator_client, client, article, make_comment
):
    # Both ticked, the reply comes down for the moderator's reason, not with its comment: the
    # Undo read the comment as still down, left the reply down and said "you" decided it since.
    parent = make_comment(article, status="approved", name="Thread Starter")
    reply = make_comment(article, status="approved", parent=parent, body="The reply.")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    page = moderator_client.post(
        f"{CHANGELIST}?status=approved",
        {
            "action": "take_down_selected",
            "_selected_action": [parent.pk, reply.pk],
            **{f"seen-{c.pk}": c.revision for c in (parent, reply)},
            "reason": "Personal attack",
        },
        follow=True,
    ).content.decode()
    url, fields = _undo_form(page)

    answer = moderator_client.post(url, fields, follow=True).content.decode()

    assert "2 comments are up again" in answer
    assert "decided again meanwhile" not in answer
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    assert Article.objects.get(pk=article.pk).approved_comment_count == 2
    assert "The reply." in client.get(article.get_absolute_url()).content.decode()
