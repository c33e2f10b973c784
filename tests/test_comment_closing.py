"""Comments close (the article's switch, the policy, their age): no form, nothing stored, and a
reader who was writing gets their text back."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import save_article, unpublish_articles
from comments.models import Comment, ModerationPolicy


def _post(client, article, data, **extra):
    return client.post(reverse("comments:post", args=[article.pk]), data, **extra)


def _as_sent_from_a_shared_page(browser, article, form, with_javascript):
    if with_javascript:  # comments.js asked for this reader's tokens
        form.update(browser.get(reverse("comments:form-token", args=[article.pk])).json())
    else:
        form.update(csrfmiddlewaretoken="", started="")  # as the shared page has them


def _sent_later(browser, article, form, *, status):
    """The reader presses Send a little later; the answer, kept by no cache, as HTML."""
    with mock.patch("comments.tokens.time.time", return_value=time.time() + 10):
        response = _post(browser, article, form)
    assert response.status_code == status
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


@pytest.mark.parametrize("with_javascript", [True, False])
@pytest.mark.parametrize("closed_by", ["the newsroom", "age"])
def test_comments_closing_while_a_reader_writes_keep_their_text_for_them(
    make_article, comment_form_data, settings, with_javascript, closed_by
):
    settings.FRAGMENT_CACHE_SECONDS = 300  # the comment section kept, as in production
    article = make_article()
    browser = Client(enforce_csrf_checks=True)
    assert 'id="comment-form"' in browser.get(article.get_absolute_url()).content.decode()
    form = comment_form_data(article, body="Closing <b>too</b> soon & without warning.")
    _as_sent_from_a_shared_page(browser, article, form, with_javascript)
    # The newsroom closes comments (a write) or the policy's days run out (no write at all)
    # while the reader writes.
    if closed_by == "age":
        days = ModerationPolicy.current().effective_close_after_days
        Article.objects.filter(pk=article.pk).update(
            published_at=timezone.now() - timedelta(days=days, minutes=1)
        )
    else:
        article.comments_enabled = False
        save_article(article=article)

    html = _sent_later(browser, article, form, status=403)
    assert "Comments are closed on this article." in html
    assert "Your comment was not sent" in html
    assert "Closing &lt;b&gt;too&lt;/b&gt; soon &amp; without warning." in html
    assert 'name="body"' not in html  # no form to send it with
    assert not Comment.objects.exists()


def test_a_comment_refused_because_comments_closed_says_error_in_the_page_title(
    make_article, comment_form_data
):
    """The article page again, its title unchanged, read to a screen reader as if all were
    well; "Error: " opens it, as on a comment form sent back with errors."""
    article = make_article()
    browser = Client(enforce_csrf_checks=True)
    form = comment_form_data(article, body="Just too late")
    _as_sent_from_a_shared_page(browser, article, form, with_javascript=True)
    article.comments_enabled = False
    save_article(article=article)

    html = _sent_later(browser, article, form, status=403)

    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title == f"Error: {article.title} · Newsportal"


@pytest.mark.parametrize("with_javascript", [True, False])
def test_an_article_taken_down_while_a_reader_writes_gives_their_text_back(
    make_article, comment_form_data, with_javascript
):
    article = make_article()
    browser = Client(enforce_csrf_checks=True)
    form = comment_form_data(article, body="Taken <b>down</b> & gone.")
    _as_sent_from_a_shared_page(browser, article, form, with_javascript)
    unpublish_articles(queryset=Article.objects.filter(pk=article.pk))

    html = _sent_later(browser, article, form, status=404)
    assert "This article is no longer on the site" in html
    assert "your comment was not sent" in html
    assert "Taken &lt;b&gt;down&lt;/b&gt; &amp; gone." in html
    assert not Comment.objects.exists()
    # Sent by another site (which cannot know the token), it is refused as a forgery, with
    # nothing shown back.
    forged = {**form, "csrfmiddlewaretoken": ""}
    forged = _post(browser, article, forged, HTTP_SEC_FETCH_SITE="cross-site")
    assert forged.status_code == 403 and "Taken" not in forged.content.decode()


@pytest.mark.parametrize("fragments_kept", [True, False])
def test_comments_closing_by_age_leave_shared_pages_at_that_moment(
    make_article, make_comment, settings, fragments_kept
):
    # Kept (as in production with Redis) or not (make run): the page tells caches either way.
    settings.FRAGMENT_CACHE_SECONDS = 300 if fragments_kept else 0
    settings.EDGE_CACHE_SECONDS = 300
    days = ModerationPolicy.current().effective_close_after_days
    now = timezone.now()
    closing = make_article(published_at=now - timedelta(days=days, seconds=-120))
    lasting = make_article(published_at=now - timedelta(days=days - 1))
    make_comment(closing, status="approved", body="Answer me before it closes.")
    reader = Client()

    before = reader.get(closing.get_absolute_url())
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(seconds=121)):
        after = reader.get(closing.get_absolute_url())

    assert 'id="comment-form"' in before.content.decode()
    assert 'class="reply-link"' in before.content.decode()
    # Shared caches keep it until comments close, and serve it no staler.
    cache_control = before["Cache-Control"]
    assert 110 <= int(re.search(r"s-maxage=(\d+)", cache_control)[1]) <= 120
    assert "stale-while-revalidate=0" in cache_control
    # Django's own fragments, kept up to 300 s, do not carry the form past it either.
    assert 'id="comment-form"' not in after.content.decode()
    assert 'class="reply-link"' not in after.content.decode()
    assert "Answer me before it closes." in after.content.decode()
    assert "Comments are closed on this article." in after.content.decode()
    assert "s-maxage=300" in after["Cache-Control"]
    assert "s-maxage=300" in reader.get(lasting.get_absolute_url())["Cache-Control"]


def test_an_article_with_comments_switched_off_says_comments_are_closed_and_has_no_form(
    reader, make_article, comment_form_data
):
    closed = make_article(comments_enabled=False)

    page = reader.get(closed.get_absolute_url())
    response = _post(reader, closed, comment_form_data(closed))

    assert "Comments are closed on this article." in page.content.decode()
    assert 'id="comment-form"' not in page.content.decode()
    assert response.status_code == 403
    assert "Comments are closed on this article." in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_close_by_themselves_days_after_publication(
    reader, make_article, comment_form_data, settings
):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = make_article(published_at=timezone.now() - timedelta(days=31))
    recent = make_article(published_at=timezone.now() - timedelta(days=29))

    assert _post(reader, old, comment_form_data(old)).status_code == 403
    assert _post(reader, recent, comment_form_data(recent)).status_code == 302


def test_staff_can_change_when_comments_close_without_a_deploy(
    reader, make_article, comment_form_data, settings
):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = make_article(published_at=timezone.now() - timedelta(days=31))
    ModerationPolicy.objects.create(close_after_days=0)  # 0: never close

    assert _post(reader, old, comment_form_data(old)).status_code == 302


def _byline(page) -> str:
    return re.search(r'<div class="byline">.*?</div>', page.content.decode(), re.S)[0]


@pytest.mark.parametrize("closed_by", ["the newsroom", "age"])
def test_a_closed_article_without_comments_says_nothing_of_comments_in_its_byline(
    reader, make_article, make_comment, closed_by
):
    # As the lists' cards and the lead say nothing of 0: "0 comments" invited to a closed box.
    if closed_by == "age":
        days = ModerationPolicy.current().effective_close_after_days
        closed = make_article(published_at=timezone.now() - timedelta(days=days + 1))
    else:
        closed = make_article(comments_enabled=False)
    commented = make_article(comments_enabled=False)
    make_comment(commented, status="approved")
    Article.objects.filter(pk=commented.pk).update(approved_comment_count=1)

    assert "comment" not in _byline(reader.get(closed.get_absolute_url()))
    assert "1 comment" in _byline(reader.get(commented.get_absolute_url()))
