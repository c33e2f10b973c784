"""Once comments close on an article (its switch, or the policy's days), a comment written there
takes no new words, even one still waiting for review: its author is told why, keeps what they
typed, and may still delete it. An edit sent after the comment was deleted gives its words back
too."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import commenter_views
from comments.models import Comment, CommentVersion, ModerationPolicy
from comments.privacy import delete_own_comment
from comments.tokens import status_token


def _close(article, by):
    if by == "age":
        days = ModerationPolicy.current().effective_close_after_days
        published = timezone.now() - timedelta(days=days, minutes=1)
        Article.objects.filter(pk=article.pk).update(published_at=published)
    else:
        Article.objects.filter(pk=article.pk).update(comments_enabled=False)


@pytest.mark.parametrize("closed_by", ["the newsroom", "age"])
def test_a_waiting_comment_cannot_be_edited_once_comments_close(
    reader, article, make_comment, closed_by
):
    comment = make_comment(article, body="Waiting words")
    token = status_token(comment)
    _close(article, closed_by)

    status_page = reader.get(comment.status_url).content.decode()
    opened = reader.get(reverse("comments:edit", args=[token]))
    posted = reader.post(reverse("comments:edit", args=[token]), {"body": "Late <b>words</b>"})

    assert ">Edit</a>" not in status_page
    assert "Comments are closed on this article, so it can no longer be edited." in status_page
    assert opened.status_code == 403
    assert "<p>Comments are closed on this article. You can still delete it.</p>" in (
        opened.content.decode()
    )
    assert posted.status_code == 403
    page = posted.content.decode()
    refused = "This comment can no longer be edited. Comments are closed on this article."
    assert f"{refused} You can still delete it." in page
    assert "Late &lt;b&gt;words&lt;/b&gt;" in page  # what they typed, to keep
    assert "Save changes" not in page
    delete = reverse("comments:delete", args=[token])
    assert f'href="{delete}"' in page
    comment.refresh_from_db()
    assert comment.body == "Waiting words"
    assert not comment.versions.exists()

    reader.post(delete)

    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_the_status_page_asks_for_the_moderation_policy_once(
    reader, article, make_comment, settings
):
    settings.FRAGMENT_CACHE_SECONDS = 0  # no shared cache: every read of the policy is a query
    comment = make_comment(article)

    with CaptureQueriesContext(connection) as ctx:
        assert reader.get(comment.status_url).status_code == 200

    policy_reads = [q for q in ctx.captured_queries if "moderationpolicy" in q["sql"]]
    assert len(policy_reads) == 1, [q["sql"] for q in policy_reads]


@pytest.mark.parametrize("with_reply", [True, False])
def test_an_edit_sent_after_its_comment_was_deleted_gives_the_words_back(
    reader, article, make_comment, with_reply
):
    """Deleted from another tab (or by whoever else has the link) while the edit was typed:
    emptied under a placeholder where a reply hangs on it, gone otherwise."""
    comment = make_comment(article, body="First words")
    if with_reply:
        make_comment(article, parent=comment, status=Comment.Status.APPROVED, body="A reply")
    edit = reverse("comments:edit", args=[status_token(comment)])
    reader.post(reverse("comments:delete", args=[status_token(comment)]))

    posted = reader.post(edit, {"body": "Second <b>thoughts</b>, long typed"})

    assert posted.status_code == 404
    assert "no-store" in posted["Cache-Control"]
    page = posted.content.decode()
    assert "Not saved: this comment was withdrawn" in page
    assert "Your edit was not saved: while you wrote, the comment was deleted" in page
    assert "Second &lt;b&gt;thoughts&lt;/b&gt;, long typed</textarea>" in page
    assert Comment.objects.filter(body__contains="Second").count() == 0
    # Where the placeholder still names its story, the way to post the words anew.
    back = f'<a href="{article.get_absolute_url()}#comment-form">Back to the article</a>'
    assert (back in page) is with_reply


@pytest.mark.parametrize("closed_by", ["the newsroom", "age"])
def test_the_way_back_from_an_edit_of_a_withdrawn_comment_leads_to_what_its_article_shows(
    reader, article, make_comment, closed_by
):
    """Comments closed meanwhile: the article has no form to land on, only its comments."""
    comment = make_comment(article, body="First words")
    make_comment(article, parent=comment, status=Comment.Status.APPROVED, body="A reply")
    edit = reverse("comments:edit", args=[status_token(comment)])
    reader.post(reverse("comments:delete", args=[status_token(comment)]))
    _close(article, closed_by)

    page = reader.post(edit, {"body": "Second thoughts"}).content.decode()

    assert "#comment-form" not in page
    assert f'<a href="{article.get_absolute_url()}#comments">Back to the article</a>' in page
    assert "Comments are closed" in reader.get(article.get_absolute_url()).content.decode()


def test_an_edit_sent_to_a_forged_link_is_told_the_link_no_longer_works(reader, article):
    posted = reader.post("/comments/status/12345/edit/", {"body": "Words"})

    assert posted.status_code == 404
    assert "This link no longer works" in posted.content.decode()


@pytest.mark.parametrize("with_reply", [True, False])
def test_an_edit_saved_while_its_comment_is_deleted_gives_the_words_back(
    reader, article, make_comment, monkeypatch, with_reply
):
    """Delete pressed in another tab while this edit was on its way, between the edit's first
    read of the comment and its save: the save found the row gone (a server error) or emptied
    under its placeholder (the edit form again, as if it could still be saved)."""
    comment = make_comment(article, body="First words")
    if with_reply:
        make_comment(article, parent=comment, status=Comment.Status.APPROVED, body="A reply")
    read = commenter_views.comment_from_token
    # Before the patch: the first reverse() imports the URLconf, and with it every module that
    # imports comment_from_token by name (comments.views), which would keep the patched one.
    edit = reverse("comments:edit", args=[status_token(comment)])

    def deleted_meanwhile(token):
        found = read(token)
        delete_own_comment(comment=found)
        return found

    monkeypatch.setattr(commenter_views, "comment_from_token", deleted_meanwhile)

    posted = reader.post(edit, {"body": "Second thoughts"})

    assert posted.status_code == 404
    page = posted.content.decode()
    assert "Not saved: this comment was withdrawn" in page
    assert "Second thoughts</textarea>" in page
    assert not Comment.objects.filter(body__contains="thoughts").exists()
    assert not CommentVersion.objects.exists()
