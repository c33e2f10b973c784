"""Editors' picks in the admin: a moderator picks a published comment from its own page, in the
words the page showed, and finds the picks again in the comment list."""

import pytest

from comments.models import Comment

PAGE = "/admin/comments/comment/{}/change/"


@pytest.fixture
def published(article, make_comment):
    return make_comment(article, status=Comment.Status.APPROVED, body="A telling answer.")


def test_a_moderator_picks_a_published_comment_from_its_page(
    moderator_client, published, reader, article
):
    page = moderator_client.get(PAGE.format(published.pk)).content.decode()
    assert "Pick as an editors’ pick" in page

    answer = moderator_client.post(
        f"/admin/comments/comment/{published.pk}/pick/",
        {f"seen-{published.pk}": "0"},
        follow=True,
    )

    assert answer.redirect_chain[-1][0] == PAGE.format(published.pk)
    text = answer.content.decode()
    assert "is an editors&#x27; pick: it shows above the comments." in text
    assert "Remove from the editors’ picks" in text
    assert Comment.objects.picks().get() == published
    assert 'class="comment-picks"' in reader.get(article.get_absolute_url()).content.decode()


def test_words_edited_after_the_page_was_drawn_are_not_picked(moderator_client, published):
    Comment.objects.filter(pk=published.pk).update(revision=1, body="New words, unread.")

    answer = moderator_client.post(
        f"/admin/comments/comment/{published.pk}/pick/",
        {f"seen-{published.pk}": "0"},
        follow=True,
    )

    assert "edited it after this page was drawn" in answer.content.decode()
    assert not Comment.objects.picks().exists()


def test_a_pick_without_the_words_read_is_refused(moderator_client, published):
    answer = moderator_client.post(f"/admin/comments/comment/{published.pk}/pick/", follow=True)

    assert "edited it after this page was drawn" in answer.content.decode()
    assert not Comment.objects.picks().exists()


def test_a_moderator_takes_a_pick_off(moderator_client, moderator, published):
    from comments.picks import pick

    pick(comment=published, by=moderator, revision=0)

    answer = moderator_client.post(f"/admin/comments/comment/{published.pk}/unpick/", follow=True)

    assert "is no longer a pick" in answer.content.decode()
    assert not Comment.objects.picks().exists()


@pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
def test_no_pick_is_offered_for_a_comment_not_on_the_page(
    moderator_client, article, make_comment, status
):
    comment = make_comment(article, status=status)

    assert "editors’ pick" not in moderator_client.get(PAGE.format(comment.pk)).content.decode()


def test_only_moderators_pick(editor_client, published):
    assert (
        "Pick as an editors’ pick"
        not in editor_client.get(PAGE.format(published.pk)).content.decode()
    )

    answer = editor_client.post(
        f"/admin/comments/comment/{published.pk}/pick/", {f"seen-{published.pk}": "0"}
    )

    assert answer.status_code == 403
    assert not Comment.objects.picks().exists()


def test_picking_takes_a_post(moderator_client, published):
    answer = moderator_client.get(f"/admin/comments/comment/{published.pk}/pick/")

    assert answer.status_code == 405
    assert not Comment.objects.picks().exists()


def test_the_comment_list_finds_the_picks(moderator_client, moderator, article, make_comment):
    from comments.picks import pick

    chosen, _other = (
        make_comment(article, status=Comment.Status.APPROVED, body=f"Listed comment {n}.")
        for n in ("chosen", "other")
    )
    pick(comment=chosen, by=moderator, revision=0)

    listed = moderator_client.get("/admin/comments/comment/?status=approved&pick=yes")

    assert "Listed comment chosen." in listed.content.decode()
    assert "Listed comment other." not in listed.content.decode()


def test_a_reply_s_page_does_not_call_it_shown_while_its_comment_is_off_the_page(
    moderator_client, moderator, article, make_comment
):
    from comments.picks import pick

    parent = make_comment(article, status=Comment.Status.APPROVED)
    reply = make_comment(article, parent=parent, status=Comment.Status.APPROVED)
    pick(comment=reply, by=moderator, revision=0)
    assert (
        "Shown above the comments" in moderator_client.get(PAGE.format(reply.pk)).content.decode()
    )

    Comment.objects.filter(pk=parent.pk).update(status=Comment.Status.PENDING)

    assert (
        "Shown above the comments"
        not in moderator_client.get(PAGE.format(reply.pk)).content.decode()
    )
