"""A reader whose browser keeps no cookies of ours: a form sent with the token a page gave it
but without the cookie that goes with it is told so, its text kept, rather than "press Send
once more", which went round the same loop at every press."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, ReplySubscription, Report
from comments.report_views import SEND_AGAIN
from tests.comment_fixtures import report_url


def _sent_twice_without_cookies(article, data) -> tuple[str, str]:
    """A comment sent from a shared page, then again with the token its answer gave, by a
    browser that keeps no cookies of ours: both pages."""
    browser = Client(enforce_csrf_checks=True)
    first = browser.post(reverse("comments:post", args=[article.pk]), data).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first)
    browser.cookies.clear()  # blocked: nothing the site set comes back
    again = browser.post(
        reverse("comments:post", args=[article.pk]), {**data, "csrfmiddlewaretoken": token[1]}
    )
    return first, again.content.decode()


def test_a_browser_that_blocks_cookies_is_told_so_rather_than_to_press_send_again(
    article, comment_form_data
):
    """The form sent back carries a token whose cookie this browser never returns: "press
    Send comment once more" sent it round the same loop at every press."""
    data = comment_form_data(article, body="Kept though my browser blocks cookies.")

    first, page = _sent_twice_without_cookies(article, data)

    assert "press “Send comment” once more" in first
    assert "once more" not in page
    assert "did not send back the cookie" in page
    assert "Kept though my browser blocks cookies." in page
    assert not Comment.objects.exists()


def test_a_browser_that_blocks_cookies_is_told_so_with_the_form_s_errors(
    article, comment_form_data
):
    data = comment_form_data(article, email="not-an-email", body="Kept, address mistyped.")

    _, page = _sent_twice_without_cookies(article, data)

    assert "did not send back the cookie" in page and "once more" not in page
    assert "Enter an e-mail address such as name@example.com." in page
    assert "Kept, address mistyped." in page
    assert not Comment.objects.exists()


def test_a_report_from_a_browser_that_blocks_cookies_is_told_so(client, approved_comment):
    no_cookies = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.8")
    data = {"reason": "other", "text": "It names my neighbour"}
    first = no_cookies.post(report_url(approved_comment), data).content.decode()
    token = first.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    no_cookies.cookies.clear()  # blocked: nothing the site set comes back

    again = no_cookies.post(report_url(approved_comment), {**data, "csrfmiddlewaretoken": token})

    html = again.content.decode()
    assert SEND_AGAIN not in html
    assert "did not send back the cookie" in html
    assert "It names my neighbour" in html
    assert not Report.objects.exists()


def test_the_status_pages_buttons_say_why_nothing_happened_in_such_a_browser(article, make_comment):
    """Delete, Edit and the other buttons of a commenter's pages answered "Go back, reload the
    page and send it again", which only goes round again: they say what is wrong, and the
    words of an edit come back to keep."""
    comment = make_comment(article, body="Before my edit")
    no_cookies = Client(enforce_csrf_checks=True)
    status_url = comment.status_url
    edit_page = no_cookies.get(f"{status_url}edit/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', edit_page)[1]
    no_cookies.cookies.clear()  # blocked: nothing the site set comes back

    edited = no_cookies.post(
        f"{status_url}edit/", {"body": "My careful new words", "csrfmiddlewaretoken": token}
    )
    deleted = no_cookies.post(f"{status_url}delete/", {"csrfmiddlewaretoken": token})

    for answer in (edited, deleted):
        assert answer.status_code == 403
        assert "did not send back the cookie" in answer.content.decode()
        assert "reload the page" not in answer.content.decode()
    assert "My careful new words" in edited.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Before my edit"


@pytest.mark.parametrize(
    ("button", "data", "not_done"),
    [
        ("edit/", {"body": "My careful new words"}, "Your comment was not changed."),
        ("delete/", {}, "Your comment was not deleted."),
        ("follow/", {}, "No mail about replies was asked for."),
        ("ask-again/", {}, "Nothing was mailed."),
        ("privacy/", {"action": "erase"}, "No link was mailed."),
    ],
)
def test_each_status_page_button_says_what_it_did_not_do_and_leads_back(
    article, make_comment, button, data, not_done
):
    """The answer said "Nothing was changed ... open the page again" with only the front page
    to go on to: the reader had to find their comment's private page again by Back."""
    comment = make_comment(article, body="Before my edit")
    status_url = comment.status_url  # signed with the time: another second, another address
    no_cookies = Client(enforce_csrf_checks=True)
    status_page = no_cookies.get(status_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', status_page)[1]
    no_cookies.cookies.clear()  # blocked: nothing the site set comes back

    answer = no_cookies.post(f"{status_url}{button}", {**data, "csrfmiddlewaretoken": token})

    page = answer.content.decode()
    assert answer.status_code == 403
    assert not_done in page and "did not send back the cookie" in page
    assert f'<a href="{status_url}">Back to your comment</a>' in page
    assert Comment.objects.filter(pk=comment.pk, body="Before my edit").exists()


def test_the_privacy_page_ask_leads_back_to_the_privacy_page(client, make_comment, article):
    make_comment(article, email="maria@example.com")
    no_cookies = Client(enforce_csrf_checks=True)
    form = no_cookies.get("/comments/privacy/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    no_cookies.cookies.clear()

    answer = no_cookies.post(
        "/comments/privacy/",
        {"email": "maria@example.com", "action": "export", "csrfmiddlewaretoken": token},
    ).content.decode()

    assert "No link was mailed." in answer
    assert '<a href="/comments/privacy/">Back to the privacy page</a>' in answer


def test_mail_about_replies_asked_again_where_none_can_come_says_why_without_cookies(
    article, make_comment
):
    """From the status page, "Stop mail about replies", then "Mail me when someone replies"
    once the comment was turned down: the reason went with a flash message, which a browser
    that keeps no cookies lost, landing on its page with nothing said."""
    comment = make_comment(article, status=Comment.Status.APPROVED)
    ReplySubscription.objects.create(comment=comment)
    no_cookies = Client()
    page = no_cookies.get(comment.status_url).content.decode()
    action = re.search(r'<form method="post" action="(/comments/unsubscribe/[^"]+)"', page)[1]
    status = re.search(r'<input type="hidden" name="status" value="([^"]+)">', page)[1]
    no_cookies.cookies.clear()
    no_cookies.post(action, {"status": status})
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.REJECTED)

    no_cookies.cookies.clear()  # blocked: nothing the site set comes back
    answer = no_cookies.post(action, {"status": status, "follow": "1"})

    html = answer.content.decode()
    assert answer.status_code == 200
    assert "No mail about replies comes while your comment is not published." in html
    # The status page drew its own token (signed then): the way back is the one it carried.
    assert f'<a href="/comments/status/{status}/">Back to your comment</a>' in html
    assert not ReplySubscription.objects.exists()
