"""A bulk decision (Approve, Reject, Spam selected comments) made by mistake, the wrong action
chosen in the list, or a decision on a comment's own page, is undone from its message, as a
card's decision is from its Undo: the comments wait in the queue again, undecided (off the page
if approving had published them); one decided again since by another moderator keeps theirs."""

from django.test import Client

from articles.models import Article
from comments.models import Comment
from comments.services import approve, return_to_queue
from tests.test_moderation_undo_take_down_elsewhere import _undo_form, others_press_undo

CHANGELIST = "/admin/comments/comment/"


def _bulk(client, comments, action):
    data = {"action": action, "_selected_action": [c.pk for c in comments]}
    data |= {f"seen-{c.pk}": c.revision for c in comments}
    return client.post(CHANGELIST, data, follow=True).content.decode()


def test_a_bulk_approval_is_undone_from_its_message(moderator_client, article, make_comment):
    comments = [make_comment(article, body=f"Bulk comment {n}.") for n in range(2)]
    page = _bulk(moderator_client, comments, "approve_selected")
    assert "2 comments approved." in page
    assert "Bulk comment 0." in Client().get(article.get_absolute_url()).content.decode()

    url, fields = _undo_form(page)
    answer = moderator_client.post(url, fields, follow=True).content.decode()

    assert "Undone: 2 comments back in the queue, undecided." in answer
    assert set(Comment.objects.values_list("status", "moderated_by")) == {("pending", None)}
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
    assert "Bulk comment 0." not in Client().get(article.get_absolute_url()).content.decode()


def test_undo_leaves_what_another_moderator_decided_since(
    moderator_client, second_moderator, article, make_comment
):
    first, second = (make_comment(article) for _ in range(2))
    page = _bulk(moderator_client, [first, second], "spam_selected")
    url, fields = _undo_form(page)
    return_to_queue([second], by=second_moderator)
    approve(comment=second, by=second_moderator)

    answer = moderator_client.post(url, fields, follow=True).content.decode()

    assert "Undone: 1 comment back in the queue, undecided." in answer
    assert "1 comment was decided again, put back or deleted since your decision" in answer
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Comment.Status.PENDING, Comment.Status.APPROVED)


def test_only_moderators_undo_and_only_their_own(
    moderator_client, second_moderator, stranger_client, article, make_comment
):
    comment = make_comment(article)
    url, fields = _undo_form(_bulk(moderator_client, [comment], "reject_selected"))

    others_press_undo(url, fields, stranger_client, second_moderator)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED


def test_a_decision_on_a_comments_own_page_is_undone_from_the_next_ones(
    moderator_client, article, make_comment
):
    mistaken, following = make_comment(article), make_comment(article)
    # Approve on its page, which leads on to the next comment waiting.
    page = moderator_client.post(
        f"{CHANGELIST}{mistaken.pk}/approve/",
        {f"seen-{mistaken.pk}": mistaken.revision, "_next_pending": "1"},
        follow=True,
    )
    assert page.redirect_chain[-1][0].startswith(f"{CHANGELIST}{following.pk}/change/")

    url, fields = _undo_form(page.content.decode())
    answer = moderator_client.post(url, fields, follow=True).content.decode()

    assert "Undone: 1 comment back in the queue, undecided." in answer
    mistaken.refresh_from_db()
    assert (mistaken.status, mistaken.moderated_by) == (Comment.Status.PENDING, None)


def test_the_message_with_its_undo_keeps_a_typed_reason_as_text(
    moderator_client, article, make_comment
):
    comment = make_comment(article, name="<i>Ann</i>")
    data = {"action": "reject_selected", "_selected_action": [comment.pk]}
    data |= {f"seen-{comment.pk}": comment.revision, "reason": "<b>Rude</b>"}

    page = moderator_client.post(CHANGELIST, data, follow=True).content.decode()

    assert "rejected with the reason “&lt;b&gt;Rude&lt;/b&gt;”." in page
    assert "<b>Rude</b>" not in page
