"""The moderation queue quotes the story's question for readers above a top-level comment, as
what it may be answering: only as such for a comment sent since the question was asked. One
sent before it was asked, or before it was changed, never read it: the card says the question
came since; one whose question was set before its time was kept says only what it asks now."""

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from tests.test_readers_question import QUESTION, _save

ANSWERS = "The story asks readers:"
SINCE = "Since this comment was sent, the story asks readers:"
NOW = "The story asks readers now:"
CHANGED = "Which car would you buy next, and why?"


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def _card(moderator_client, comment) -> str:
    page = moderator_client.get("/admin/comments/comment/").content.decode()
    start = page.index(f'id="queue-{comment.pk}"')
    return page[start : page.index("</article>", start)]


def _ask(editor_client, article, question):
    assert _save(editor_client, article, readers_question=question).status_code == 302
    article.refresh_from_db()


def test_a_comment_sent_before_the_question_was_asked_is_not_quoted_as_answering_it(
    moderator_client, editor_client, article, make_comment
):
    before = make_comment(article, body="Nice car.")
    _ask(editor_client, article, QUESTION)
    after = make_comment(article, body="I did, for the quiet.")

    earlier, later = _card(moderator_client, before), _card(moderator_client, after)

    assert SINCE in earlier and QUESTION in earlier
    assert ANSWERS not in earlier
    assert ANSWERS in later and QUESTION in later


def test_a_comment_sent_before_the_question_changed_is_told_it_changed_since(
    moderator_client, editor_client, article, make_comment
):
    _ask(editor_client, article, QUESTION)
    first = make_comment(article, body="I did, for the quiet.")
    _ask(editor_client, article, CHANGED)
    second = make_comment(article, body="The small one.")

    earlier, later = _card(moderator_client, first), _card(moderator_client, second)

    assert SINCE in earlier and CHANGED in earlier
    assert ANSWERS in later and CHANGED in later


def test_a_save_that_keeps_the_question_keeps_when_it_was_asked(
    moderator_client, editor_client, article, make_comment
):
    _ask(editor_client, article, QUESTION)
    answer = make_comment(article, body="I did, for the quiet.")
    asked = article.readers_question_set_at

    _ask(editor_client, article, QUESTION)  # the story saved again (a typo mended, say)

    assert Article.objects.get(pk=article.pk).readers_question_set_at == asked
    assert ANSWERS in _card(moderator_client, answer)


def test_a_question_asked_before_its_time_was_kept_is_said_to_be_today_s(
    moderator_client, article, make_comment
):
    answer = make_comment(article, body="I did, for the quiet.")
    # Set before articles 0026 kept when.
    Article.objects.filter(pk=article.pk).update(readers_question=QUESTION)

    card = _card(moderator_client, answer)

    assert NOW in card and QUESTION in card
    assert ANSWERS not in card


def test_a_question_taken_away_forgets_when_it_was_asked(editor_client, article):
    _ask(editor_client, article, QUESTION)
    assert article.readers_question_set_at <= timezone.now()

    _ask(editor_client, article, "")

    assert article.readers_question_set_at is None
