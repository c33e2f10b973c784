"""A question for readers: what a story asks its readers (Coral's message box, a newsroom's "Tell
us"), set by an editor on the story's form and shown above its comments to start the
conversation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from tests.test_article_edited_meanwhile import _change, _said, opened
from tests.test_article_publishing_dates import form_as_shown

QUESTION = "Have you driven an electric car? What made you choose it?"


@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _box(html: str) -> str:
    start = html.find('class="readers-question"')
    return html[start : html.index("</aside>", start)] if start >= 0 else ""


def _save(editor_client, article, **overrides):
    # The publication time as shown: comments close some days after it.
    return editor_client.post(_change(article), form_as_shown(article, **overrides))


def test_an_editor_s_question_shows_above_the_comments_without_moving_updated(
    editor_client, client, article, make_comment, fragments_on
):
    first = make_comment(article, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    before = client.get(article.get_absolute_url()).content.decode()  # kept by the caches
    assert _box(before) == ""
    updated_at = Article.objects.get(pk=article.pk).updated_at

    response = _save(editor_client, article, readers_question=QUESTION)

    assert response.status_code == 302
    html = client.get(article.get_absolute_url()).content.decode()
    box = _box(html)
    assert QUESTION in box
    assert "We’d like to hear from you" in box
    assert 'href="#comment-form"' in box  # where the answer is written
    # Above the conversation, under its count.
    assert html.index('id="comments-heading"') < html.index('class="readers-question"')
    assert html.index('class="readers-question"') < html.index(f'id="comment-{first.pk}"')
    # A question is not news: readers are not told the story was updated.
    assert Article.objects.get(pk=article.pk).updated_at == updated_at
    assert "Updated" not in html[: html.index('id="comments"')]


def test_the_question_is_shown_as_text(client, article):
    Article.objects.filter(pk=article.pk).update(readers_question='Is <b>this</b> "fair"?')

    box = _box(client.get(article.get_absolute_url()).content.decode())

    assert "Is &lt;b&gt;this&lt;/b&gt; &quot;fair&quot;?" in box
    assert "<b>" not in box


def test_no_question_no_box(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert 'class="readers-question"' not in html
    assert "We’d like to hear from you" not in html


def test_once_comments_close_the_question_stays_where_it_drew_answers(
    client, article, make_article, make_comment
):
    make_comment(article, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(
        readers_question=QUESTION, comments_enabled=False, approved_comment_count=1
    )
    unanswered = make_article(slug="unanswered", readers_question=QUESTION, comments_enabled=False)

    answered_box = _box(client.get(article.get_absolute_url()).content.decode())
    unanswered_html = client.get(unanswered.get_absolute_url()).content.decode()

    assert "We asked readers" in answered_box
    assert QUESTION in answered_box
    assert "#comment-form" not in answered_box  # no form to answer in
    assert QUESTION not in unanswered_html


def test_the_question_reaches_a_later_page_of_comments(client, article, make_comment, settings):
    settings.COMMENTS_PER_PAGE = 1
    for _ in range(2):
        make_comment(article, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(
        readers_question=QUESTION, approved_comment_count=2
    )

    html = client.get(f"{article.get_absolute_url()}?comments-page=2").content.decode()

    assert QUESTION in _box(html)


def test_pasted_line_breaks_become_spaces_and_a_long_question_is_refused_with_its_text_kept(
    editor_client, article
):
    pasted = "Have you driven\u2028an electric car?"  # a break pasted from InDesign
    assert _save(editor_client, article, readers_question=pasted).status_code == 302
    assert Article.objects.get(pk=article.pk).readers_question == "Have you driven an electric car?"

    too_long = "Why " + "really " * 40 + "?"
    response = _save(editor_client, article, readers_question=too_long)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value has at most 200 characters" in page
    assert too_long in page  # the editor's words kept in the form
    assert Article.objects.get(pk=article.pk).readers_question == "Have you driven an electric car?"


def test_the_question_costs_the_page_no_query(client, article, make_comment):
    make_comment(article, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    url = article.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    Article.objects.filter(pk=article.pk).update(readers_question=QUESTION)
    client.get(url)

    with CaptureQueriesContext(connection) as with_question:
        html = client.get(url).content.decode()

    assert QUESTION in html
    assert len(with_question) == len(without)


def test_a_question_a_colleague_set_meanwhile_is_kept(article, chief, sub):
    subs_form = opened(sub, article, body=article.body + "\n\nFixed: Lisbon, not Porto.")
    chief.post(_change(article), opened(chief, article, readers_question=QUESTION))

    response = sub.post(_change(article), subs_form, follow=True)

    article.refresh_from_db()
    assert article.readers_question == QUESTION
    assert article.body.endswith("Lisbon, not Porto.")
    assert "by Dana at" in (said := _said(response))
    assert "Question for readers was edited (kept)" in said


def test_moderators_read_the_question_beside_the_comments_that_answer_it(
    moderator_client, article, make_comment
):
    # Asked before these comments were sent (tests/test_moderation_question_quoted.py: after).
    asked = {"readers_question": QUESTION, "readers_question_set_at": timezone.now()}
    Article.objects.filter(pk=article.pk).update(**asked)
    answer = make_comment(article, body="I would, if it charged fast.")
    published = make_comment(article, status=Comment.Status.APPROVED, name="Ann")
    reply = make_comment(article, parent=published, body="Agreed with Ann.")

    page = moderator_client.get("/admin/comments/comment/").content.decode()

    def card(comment):
        start = page.index(f'id="queue-{comment.pk}"')
        return page[start : page.index("</article>", start)]

    assert "The story asks readers:" in card(answer)
    assert QUESTION in card(answer)
    # A reply answers the comment above it, which the card quotes instead.
    assert QUESTION not in card(reply)
    assert "In reply to" in card(reply)


def test_an_editor_s_preview_of_a_draft_shows_the_question_as_readers_will_read_it(
    editor_client, draft
):
    Article.objects.filter(pk=draft.pk).update(readers_question=QUESTION)

    page = editor_client.get(draft.get_absolute_url()).content.decode()

    assert "Preview: this article is a draft" in page
    box = _box(page)
    assert QUESTION in box
    assert "We’d like to hear from you" in box
    assert "#comment-form" not in box  # a preview has no form to answer in


def test_preview_changes_shows_the_question_as_the_form_has_it(editor_client, article):
    data = form_as_shown(article, readers_question=QUESTION)

    page = editor_client.post(f"/admin/articles/article/{article.pk}/preview/", data)

    assert "Preview of unsaved changes" in (html := page.content.decode())
    assert QUESTION in _box(html)
    assert Article.objects.get(pk=article.pk).readers_question == ""  # nothing saved


def test_without_javascript_a_page_drawn_to_reply_sends_the_answer_to_a_new_comment(
    client, article, make_comment
):
    answered = make_comment(article, status=Comment.Status.APPROVED, name="Ann")
    Article.objects.filter(pk=article.pk).update(
        readers_question=QUESTION, approved_comment_count=1
    )

    html = client.get(f"{article.get_absolute_url()}?reply-to={answered.pk}").content.decode()

    assert "Reply to <bdi>Ann</bdi>" in html  # the form under Ann's comment answers her
    assert f'<a href="{article.get_absolute_url()}#comment-form">Add your answer</a>' in _box(html)
