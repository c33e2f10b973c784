"""A rolling deploy: a page drawn by one release posts a form to another that does not know its
address (status/<token>/ask-again/ came in a later release than the one still answering). The
reader is told what happened, with their words and the way back, not a bare "Page not found"."""

import re

from django.test import Client

from articles.models import Article
from comments.models import Comment


def _browser_on_status_page(comment, status_url=None):
    browser = Client(enforce_csrf_checks=True, HTTP_HOST="testserver")
    page = browser.get(status_url or comment.status_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    return browser, token


def test_a_button_of_another_release_is_told_what_happened_with_its_words_kept(
    article, make_comment
):
    comment = make_comment(article, body="As first written")
    status_url = comment.status_url  # signed with the time: read once
    browser, token = _browser_on_status_page(comment, status_url)

    answer = browser.post(
        f"{status_url}a-button-of-a-newer-release/",
        {"body": "My careful new words", "csrfmiddlewaretoken": token},
        # All a browser sends from a token page (Referrer-Policy: strict-origin).
        HTTP_REFERER="http://testserver/",
    )

    page = answer.content.decode()
    assert answer.status_code == 404
    assert "the site was being updated" in page
    assert "press the button again" in page
    assert "My careful new words" in page
    assert ">Your comment (not sent)</label>" in page
    assert f'<a href="{status_url}">Back to your comment</a>' in page
    assert "no-store" in answer["Cache-Control"]
    assert Comment.objects.get().body == "As first written"


def test_a_report_posted_to_an_unknown_address_keeps_its_words(article, make_comment):
    comment = make_comment(article)
    browser, token = _browser_on_status_page(comment)

    answer = browser.post(
        "/comments/reports-of-a-newer-release/1/",
        {"reason": "other", "text": "It names my neighbour", "csrfmiddlewaretoken": token},
        HTTP_REFERER="https://elsewhere.example/",
    )

    page = answer.content.decode()
    assert "It names my neighbour" in page
    assert ">Your report (not sent)</label>" in page
    assert "Your comment" not in page
    assert "elsewhere.example" not in page  # the way back leads only to our own pages


def test_another_site_posting_there_is_refused_and_shown_nothing_back(article, make_comment):
    answer = Client(enforce_csrf_checks=True).post(
        "/comments/a-button-of-a-newer-release/",
        {"body": "Planted words"},
        HTTP_ORIGIN="https://evil.example",
    )

    assert answer.status_code == 403
    assert "Planted words" not in answer.content.decode()


def test_an_unknown_address_opened_is_still_the_site_s_404(client, db):
    for url in ["/comments/nothing-here/", "/comments/post/abc/"]:
        answer = client.get(url)
        assert answer.status_code == 404
        assert "the site was being updated" not in answer.content.decode()


def test_an_article_s_comment_form_posted_to_an_unknown_address_leads_back_to_the_article(
    article, make_comment
):
    browser, token = _browser_on_status_page(make_comment(article))

    answer = browser.post(
        f"/comments/post/{article.pk}/a-newer-step/",
        {"body": "Words for the article", "csrfmiddlewaretoken": token},
        HTTP_REFERER="http://testserver/",
    )

    link = f'<a href="{article.get_absolute_url()}#comment-form">Back to the article</a>'
    assert link in answer.content.decode()


def test_a_form_of_an_article_whose_comments_closed_leads_back_to_its_comments(
    article, make_comment
):
    browser, token = _browser_on_status_page(make_comment(article))
    Article.objects.filter(pk=article.pk).update(comments_enabled=False)

    answer = browser.post(
        f"/comments/post/{article.pk}/a-newer-step/",
        {"body": "Words for the article", "csrfmiddlewaretoken": token},
    )

    link = f'<a href="{article.get_absolute_url()}#comments">Back to the article</a>'
    assert link in answer.content.decode()


def test_the_privacy_page_s_button_of_another_release_leads_back_to_the_privacy_page(
    article, make_comment
):
    browser, token = _browser_on_status_page(make_comment(article))

    answer = browser.post(
        "/comments/privacy/a-newer/button/",
        {"email": "reader@example.com", "csrfmiddlewaretoken": token},
        HTTP_REFERER="http://testserver/",
    )

    assert '<a href="/comments/privacy/">Back to the privacy page</a>' in answer.content.decode()


def test_an_unknown_address_without_its_slash_is_not_found_for_every_method(client, db):
    for method in ("get", "head", "post"):
        answer = getattr(client, method)("/comments/nothing-here")
        assert answer.status_code == 404, method
        assert "Location" not in answer, method


def test_a_post_to_an_unknown_address_without_its_slash_is_answered_under_debug(
    client, db, settings
):
    settings.DEBUG = True  # APPEND_SLASH raised RuntimeError for a POST it would redirect

    answer = client.post("/comments/nothing-here", {"body": "My words"})

    assert answer.status_code == 404


def test_a_known_page_without_its_slash_still_finds_it(client, db):
    answer = client.get("/comments/privacy")

    assert answer.status_code == 301
    assert answer["Location"] == "/comments/privacy/"


def test_other_methods_at_an_unknown_address_are_not_found_not_called_forgeries(db):
    browser = Client(enforce_csrf_checks=True)
    for method in ("put", "delete", "patch", "options"):
        answer = getattr(browser, method)("/comments/a-button-of-a-newer-release/")
        assert answer.status_code == 404, method
