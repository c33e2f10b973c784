"""A question for readers on a story whose comments are closed shows only where it drew answers
("We asked readers"): set on one with none, readers never see it, and the editor who saved it
was told nothing."""

import pytest

from articles.models import Article
from comments.models import Comment
from tests.test_article_edited_meanwhile import _change, _said
from tests.test_article_publishing_dates import form_as_shown
from tests.test_readers_question import QUESTION, _box

UNSEEN = "Readers will not see the question for readers"


def _saved(editor_client, article, **changes):
    """The story saved with these changes, and the page the editor lands on (the list)."""
    return editor_client.post(_change(article), form_as_shown(article, **changes), follow=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_a_question_set_on_a_story_with_comments_closed_and_none_is_said_unseen(
    editor_client, client, article
):
    said = _said(_saved(editor_client, article, readers_question=QUESTION, comments_enabled=""))

    assert (
        f"{UNSEEN}: comments on “{article.title}” are closed and it has no comments. "
        "Tick “Comments allowed” to ask it." in said
    )
    assert QUESTION not in client.get(article.get_absolute_url()).content.decode()


def test_closing_comments_under_a_question_with_no_answers_is_said_too(editor_client, article):
    Article.objects.filter(pk=article.pk).update(readers_question=QUESTION)
    article.refresh_from_db()

    response = _saved(editor_client, article, comments_enabled="")

    assert UNSEEN in _said(response)


def test_a_question_that_drew_answers_or_with_comments_open_is_not_said_unseen(
    editor_client, client, article, make_comment
):
    opened = _saved(editor_client, article, readers_question=QUESTION)
    assert opened.status_code == 200 and UNSEEN not in _said(opened)

    make_comment(article, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    article.refresh_from_db()
    closed = _saved(editor_client, article, comments_enabled="")

    assert UNSEEN not in _said(closed)
    assert "We asked readers" in _box(client.get(article.get_absolute_url()).content.decode())


def test_the_question_s_help_says_when_readers_see_it(editor_client, article):
    page = editor_client.get(_change(article)).content.decode()

    assert (
        "Once comments close (“Comments allowed” unticked, or the moderation policy’s days "
        "after publication run out), readers see it only on a story with comments." in page
    )
