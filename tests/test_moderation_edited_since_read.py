"""A moderator decides on the words they read: an author's edit made after the queue (or the
comment's page, or the commenter's page) was loaded is never approved unseen."""

import json

import pytest

from articles.models import Article
from comments.commenter_services import edit_comment
from comments.models import Comment
from comments.services import decide

CHANGELIST = "/admin/comments/comment/"
COMMENTER = f"{CHANGELIST}commenter/"
ORIGINAL = "A fair point about the council budget."
EDITED = "Buy cheap watches at example.com!"


@pytest.fixture
def waiting(article, make_comment):
    return make_comment(article, body=ORIGINAL)


def seen_on(html: str, comment) -> int:
    """The revision the page handed the moderator for this comment."""
    marker = f'name="seen-{comment.pk}" value="'
    assert marker in html, f"no seen-{comment.pk} field"
    return int(html.split(marker, 1)[1].split('"', 1)[0])


def test_every_edit_moves_the_comments_revision(waiting):
    edit_comment(comment=waiting, body="One.")
    edit_comment(comment=waiting, body="Two.")

    waiting.refresh_from_db()
    assert (waiting.body, waiting.revision) == ("Two.", 2)


def test_a_comment_edited_after_the_queue_loaded_is_not_approved_and_the_script_gets_the_new_text(
    moderator_client, waiting
):
    seen = seen_on(moderator_client.get(CHANGELIST).content.decode(), waiting)
    edit_comment(comment=waiting, body=EDITED)

    response = moderator_client.post(
        f"{CHANGELIST}{waiting.pk}/approve/",
        {f"seen-{waiting.pk}": seen},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 409
    answer = json.loads(response.content)
    assert "edited since you read it" in answer["message"]
    assert (answer["body"], answer["revision"]) == (EDITED, 1)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.moderated_by) == (Comment.Status.PENDING, None)


def test_the_new_revision_the_script_got_approves_the_new_text(moderator_client, waiting):
    edit_comment(comment=waiting, body=EDITED)

    response = moderator_client.post(
        f"{CHANGELIST}{waiting.pk}/approve/",
        {f"seen-{waiting.pk}": 1},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 200
    waiting.refresh_from_db()
    assert (waiting.status, waiting.body) == (Comment.Status.APPROVED, EDITED)


def test_without_javascript_the_moderator_is_sent_back_to_read_the_edit(moderator_client, waiting):
    page = moderator_client.get(f"{CHANGELIST}{waiting.pk}/change/").content.decode()
    seen = seen_on(page, waiting)
    edit_comment(comment=waiting, body=EDITED)

    response = moderator_client.post(
        f"{CHANGELIST}{waiting.pk}/reject/",
        {f"seen-{waiting.pk}": seen, "reason": "Off-topic", "_next_pending": "1"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"{CHANGELIST}{waiting.pk}/change/"
    html = response.content.decode()
    assert "was edited since you read it" in html
    assert EDITED in html
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.PENDING


def test_approve_selected_leaves_a_comment_edited_since_the_page_loaded(
    moderator_client, article, waiting, make_comment
):
    other = make_comment(article, body="Unchanged words.")
    html = moderator_client.get(CHANGELIST).content.decode()
    seen = {f"seen-{c.pk}": seen_on(html, c) for c in (waiting, other)}
    edit_comment(comment=waiting, body=EDITED)

    response = moderator_client.post(
        CHANGELIST,
        {"action": "approve_selected", "_selected_action": [waiting.pk, other.pk], **seen},
        follow=True,
    )

    assert "1 comment approved" in response.content.decode()
    assert (
        "1 comment edited by its author since you read it: left waiting."
        in response.content.decode()
    )
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {waiting.pk: Comment.Status.PENDING, other.pk: Comment.Status.APPROVED}
    assert Article.objects.get(pk=article.pk).approved_comment_count == 1


def test_approve_all_on_the_commenter_page_decides_only_what_the_page_showed(
    moderator_client, article, make_comment
):
    shown = make_comment(article, email="maria@example.com", body="Shown, unchanged.")
    edited = make_comment(article, email="maria@example.com", body=ORIGINAL)
    url = f"{COMMENTER}?email=maria%40example.com"
    html = moderator_client.get(url).content.decode()
    seen = {f"seen-{c.pk}": seen_on(html, c) for c in (shown, edited)}
    edit_comment(comment=edited, body=EDITED)
    arrived = make_comment(article, email="maria@example.com", body="Sent after the page.")

    response = moderator_client.post(url, {"action": "approve_all", **seen}, follow=True)

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {
        shown.pk: Comment.Status.APPROVED,
        edited.pk: Comment.Status.PENDING,
        arrived.pk: Comment.Status.PENDING,
    }
    assert "1 pending comment from maria@example.com: approved." in response.content.decode()
    assert (
        "1 comment edited by its author since you read it: left waiting."
        in response.content.decode()
    )


def test_approve_all_posted_without_the_page_decides_nothing(
    moderator_client, article, make_comment
):
    comment = make_comment(article, email="maria@example.com")

    moderator_client.post(f"{COMMENTER}?email=maria%40example.com", {"action": "approve_all"})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_the_commenter_page_shows_a_waiting_comment_whole(moderator_client, article, make_comment):
    long_text = "word " * 150 + "the end."
    make_comment(article, email="maria@example.com", body=long_text)

    html = moderator_client.get(f"{COMMENTER}?email=maria%40example.com").content.decode()

    assert "the end." in html


def test_the_service_refuses_a_decision_on_an_earlier_revision(article, make_comment, moderator):
    comment = make_comment(article, body=ORIGINAL)

    edit_comment(comment=comment, body=EDITED)
    result = decide([comment], status=Comment.Status.APPROVED, by=moderator, seen={comment.pk: 0})

    assert (result.decided, result.edited, result.lost) == (0, 1, 0)
    comment.refresh_from_db()
    assert (comment.status, comment.revision) == (Comment.Status.PENDING, 1)


def test_select_all_from_a_page_with_no_waiting_comment_decides_none_unseen(
    moderator_client, article, make_comment
):
    published = make_comment(article, status=Comment.Status.APPROVED, body="Already up.")
    make_comment(article, body="Never shown to this moderator.")
    html = moderator_client.get(f"{CHANGELIST}?status=approved").content.decode()
    assert "Never shown" not in html

    response = moderator_client.post(
        f"{CHANGELIST}?status=all",
        {"action": "spam_selected", "select_across": "1", "_selected_action": [published.pk]},
        follow=True,
    )

    assert "1 comment not shown to you" in response.content.decode()
    assert "edited by their author" not in response.content.decode()  # nobody edited it
    assert not Comment.objects.filter(status=Comment.Status.SPAM).exists()
