"""A queue card's Undo: the decision a moderator just made is undone where they made it, the
comment waiting again and off the page if it had been published; one decided again meanwhile by
another moderator keeps their decision, and the moderator is told whose it is."""

from django.test import Client

from articles.models import Article
from comments.models import Comment
from comments.services import approve, reject, return_to_queue

CHANGELIST = "/admin/comments/comment/"
JSON = {"HTTP_ACCEPT": "application/json"}


def _decide(client, comment, action):
    return client.post(
        f"{CHANGELIST}{comment.pk}/{action}/", {f"seen-{comment.pk}": comment.revision}, **JSON
    )


def _undo(client, comment, decided):
    return client.post(
        f"{CHANGELIST}{comment.pk}/requeue/", {f"decided-{comment.pk}": decided}, **JSON
    )


def test_the_queue_offers_undo_on_its_cards_and_lists_its_key(
    moderator_client, article, make_comment
):
    comment = make_comment(article)

    page = moderator_client.get(CHANGELIST).content.decode()

    assert f'data-requeue-url="{CHANGELIST}{comment.pk}/requeue/"' in page
    assert "<kbd>u</kbd> undo" in page
    assert "<dt><kbd>u</kbd></dt><dd>Undo the last decision" in page


def test_an_approval_undone_from_its_card_leaves_the_page_and_waits_again(
    moderator_client, article, make_comment, purges, django_capture_on_commit_callbacks
):
    comment = make_comment(article, body="A comment approved by mistake.")
    assert _decide(moderator_client, comment, "approve").json()["outcome"] == "approved"
    assert comment.body in Client().get(article.get_absolute_url()).content.decode()
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answer = _undo(moderator_client, comment, "approved")

    assert (answer.status_code, answer.json()["outcome"]) == (200, "requeued")
    assert "back in the queue, undecided" in answer.json()["message"]
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (Comment.Status.PENDING, None)
    assert {f"article-{article.pk}", "list"} in purges
    assert comment.body not in Client().get(article.get_absolute_url()).content.decode()
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0


def test_undo_never_overwrites_a_decision_another_moderator_made_since(
    moderator_client, moderator, second_moderator, article, make_comment
):
    comment = make_comment(article, name="Ivo")
    _decide(moderator_client, comment, "approve")
    # Meanwhile: put back and rejected by a colleague.
    return_to_queue([comment], by=second_moderator)
    reject(comment=comment, by=second_moderator, reason="Off-topic")

    answer = _undo(moderator_client, comment, "approved")

    assert answer.status_code == 409
    message = answer.json()["message"]
    assert "decided again meanwhile: rejected by moderator2" in message
    assert "yours was not undone" in message
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (Comment.Status.REJECTED, second_moderator)
    assert comment.rejection_reason == "Off-topic"


def test_undo_of_a_comment_another_moderator_approved_again_leaves_their_approval(
    moderator_client, second_moderator, article, make_comment
):
    comment = make_comment(article)
    _decide(moderator_client, comment, "approve")
    return_to_queue([comment], by=second_moderator)
    approve(comment=comment, by=second_moderator)

    answer = _undo(moderator_client, comment, "approved")

    assert answer.status_code == 409
    assert "approved by moderator2" in answer.json()["message"]
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (Comment.Status.APPROVED, second_moderator)


def test_undo_of_a_comment_put_back_meanwhile_says_there_is_nothing_to_undo(
    moderator_client, second_moderator, article, make_comment
):
    comment = make_comment(article)
    _decide(moderator_client, comment, "spam")
    return_to_queue([comment], by=second_moderator)

    answer = _undo(moderator_client, comment, "spam")

    assert answer.status_code == 409
    assert "back in the queue already" in answer.json()["message"]
