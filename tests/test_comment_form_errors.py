"""A comment form sent back with errors says so before anything else, without JavaScript too:
the page's title begins "Error: " (the first thing a screen reader reads of a page) and the form
opens with a summary, an alert, of every problem, each linking to its field. With JavaScript
the summary takes focus (tests/browser/test_commenting.py)."""

import re
import time
from unittest import mock

from django.test import Client
from django.urls import reverse

from comments.forms import TOO_FAST, TOO_OLD
from comments.models import Comment

TITLE = "Xiaomi will mass-produce its car · Newsportal"


def _post(client, article, data):
    return client.post(reverse("comments:post", args=[article.pk]), data).content.decode()


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _summary(html: str) -> tuple[str, list[str], list[str]]:
    """The summary's opening tag, its problems as read (tags dropped) and where its links go."""
    match = re.search(r'(<div [^>]*id="comment-form-errors"[^>]*>)(.*?)</div>', html, re.S)
    assert match, "no error summary in the page"
    items = re.findall(r"<li>(.*?)</li>", match.group(2), re.S)
    return (
        match.group(1),
        [re.sub(r"<[^>]+>", "", item).strip() for item in items],
        re.findall(r'href="(#[^"]+)"', match.group(2)),
    )


def test_only_a_form_sent_back_with_errors_puts_error_in_the_page_title(
    reader, article, comment_form_data
):
    shared = reader.get(article.get_absolute_url()).content.decode()
    # Sent from the shared page without JavaScript: back to press once more, nothing wrong.
    send_again = _post(Client(enforce_csrf_checks=True), article, comment_form_data(article))
    refused = _post(reader, article, comment_form_data(article, email="not-an-email"))

    assert [_title(page) for page in (shared, send_again, refused)] == [
        TITLE,
        TITLE,
        f"Error: {TITLE}",
    ]
    assert 'id="comment-form-errors"' not in shared + send_again


def test_the_form_opens_with_a_summary_of_its_errors_linking_to_each_field(
    reader, article, comment_form_data
):
    data = comment_form_data(article, name="K", email="not-an-email", body="")

    html = _post(reader, article, data)

    opening, problems, links = _summary(html)
    assert problems == [
        "E-mail: Enter an e-mail address such as name@example.com.",
        "Comment: This field is required.",
    ]
    assert links == ["#id_email", "#id_body"]
    # Read out as the page loads, and focusable for comments.js (not by Tab).
    assert 'role="alert"' in opening and 'tabindex="-1"' in opening
    # At the top of the form the browser lands on (#comment-form), under its heading.
    form = html.split('id="comment-form"', 1)[1]
    assert (
        form.index("comment-form-heading")
        < form.index("comment-form-errors")
        < form.index('id="id_name"')
    )


def test_a_problem_with_the_whole_form_or_a_hidden_field_is_said_once_in_the_summary(
    reader, article, comment_form_data
):
    # Sent at once ("That was quick!"), answering a comment that is not there.
    data = comment_form_data(article, seconds_ago=0, parent="999999")

    html = _post(reader, article, data)

    _, problems, links = _summary(html)
    assert problems == [TOO_FAST, "You can only reply to a published comment."]
    assert links == []
    assert html.count(TOO_FAST) == 1
    assert html.count("You can only reply to a published comment.") == 1


def _hidden(html: str, name: str) -> str:
    """What the browser sends back of a hidden field (a field without a value sends none)."""
    tag = re.search(rf'<input type="hidden" name="{name}"[^>]*>', html).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


def test_a_reply_whose_comment_left_the_page_comes_back_to_send_as_a_new_comment(
    reader, article, approved_comment, moderator, comment_form_data
):
    from comments.models import Comment
    from comments.services import take_down

    data = comment_form_data(article, parent=approved_comment.pk, body="I answer the Early Bird")
    take_down(Comment.objects.filter(pk=approved_comment.pk), by=moderator, reason="Abuse")

    html = _post(reader, article, data)

    _, problems, _ = _summary(html)
    assert problems == ["You can only reply to a published comment."]
    assert "no longer on the page" in html
    # Sent again as the page now holds it (the same words), it goes as a comment of its own:
    # before, the form kept answering the gone comment, and every send failed the same way.
    again = {**data, "parent": _hidden(html, "parent"), "started": _hidden(html, "started")}
    _post(reader, article, again)
    sent = Comment.objects.get(body="I answer the Early Bird")
    assert sent.parent is None


def test_the_other_reader_forms_sent_back_with_errors_say_error_in_their_title_too(
    reader, article, approved_comment, make_comment
):
    """The edit form of a status page, the report page and the privacy page's form: the same
    first words as the comment form, so a screen reader says at once that nothing was done."""
    from comments.tokens import status_token

    mine = make_comment(article)
    forms = {
        reverse("comments:edit", args=[status_token(mine)]): {"body": ""},
        reverse("comments:report", args=[approved_comment.pk]): {"reason": ""},
        reverse("comments:privacy"): {"email": "not an address", "action": "export"},
    }

    for url, data in forms.items():
        shown = _title(reader.get(url).content.decode())
        sent_back = _title(reader.post(url, data).content.decode())
        assert not shown.startswith("Error: ")
        assert sent_back == f"Error: {shown}", url


def test_without_javascript_a_reply_whose_comment_left_the_page_is_told_so_at_once(
    article, approved_comment, moderator, comment_form_data, settings
):
    """From a shared page without JavaScript the first press only fetches a token ("press Send
    comment once more"): the form came back still answering the gone comment, under "Add a
    comment on ...", and only the next press said it could not go as a reply."""
    from comments.models import Comment
    from comments.services import take_down

    settings.COMMENTS_MIN_FORM_SECONDS = 0  # pressed again at once
    browser = Client(enforce_csrf_checks=True)
    data = comment_form_data(article, parent=approved_comment.pk, body="A late answer")
    take_down(Comment.objects.filter(pk=approved_comment.pk), by=moderator, reason="Abuse")

    html = _post(browser, article, {**data, "csrfmiddlewaretoken": "", "started": ""})

    assert "no longer on the page" in html
    again = {
        **data,
        "parent": _hidden(html, "parent"),
        "started": _hidden(html, "started"),
        "csrfmiddlewaretoken": _hidden(html, "csrfmiddlewaretoken"),
    }
    _post(browser, article, again)
    assert Comment.objects.get(body="A late answer").parent is None


def _first_press(article, data):
    """A shared page's form sent without JavaScript: no token and no start time, as the page
    has them; Django's CSRF check refuses it (comments.csrf_views.csrf_failure answers)."""
    browser = Client(enforce_csrf_checks=True)
    fields = {**data, "csrfmiddlewaretoken": "", "started": ""}
    return browser, fields, browser.post(reverse("comments:post", args=[article.pk]), fields)


def _field_error(html: str, field: str) -> str:
    """The error crispy draws under a field, tags dropped ("" without one)."""
    match = re.search(rf'<[^>]+id="error_1_id_{field}"[^>]*>(.*?)</', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def test_without_javascript_an_empty_form_says_what_is_missing_at_the_first_press(
    article, comment_form_data, mailoutbox
):
    """The first press only fetched a token: the form came back with "press Send comment once
    more: your text is kept" (when nothing was typed), and what was missing was said only at
    the second press."""
    _, _, response = _first_press(article, comment_form_data(article, name="", email="", body=""))

    html = response.content.decode()
    assert response.status_code == 200
    assert _title(html) == f"Error: {TITLE}"
    _, problems, links = _summary(html)
    assert problems == [
        "Name: This field is required.",
        "E-mail: This field is required.",
        "Comment: This field is required.",
    ]
    assert links == ["#id_name", "#id_email", "#id_body"]
    assert _field_error(html, "body") == "This field is required."
    # No start time proves nothing here, and a new one comes with the page: not "too old".
    assert "once more" not in html and TOO_OLD not in html and TOO_FAST not in html
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert not Comment.objects.exists() and mailoutbox == []


def test_without_javascript_a_wrong_form_shows_its_errors_then_goes_at_the_next_press(
    article, comment_form_data, mailoutbox
):
    long = "Too long by one. " + "x" * 2984  # 3,001 characters
    data = comment_form_data(article, email="maria@example", body=long, notify="on")
    browser, fields, response = _first_press(article, data)

    html = response.content.decode()
    _, problems, _ = _summary(html)
    assert problems == [
        "E-mail: Enter an e-mail address such as name@example.com.",
        "Comment: You have 1 character too many: it can be 3,000 characters at most.",
    ]
    assert _field_error(html, "email") == "Enter an e-mail address such as name@example.com."
    assert f">\n{long}</textarea>" in html  # the text kept whole, to shorten
    assert 'value="Maria Lopez"' in html and 'value="maria@example"' in html
    assert "once more" not in html and TOO_OLD not in html
    assert not Comment.objects.exists() and mailoutbox == []

    # Put right, one press sends it: the page carried a token and a start time.
    fixed = {
        **fields,
        "email": "maria@example.com",
        "body": long[:3000],
        "csrfmiddlewaretoken": _hidden(html, "csrfmiddlewaretoken"),
        "started": _hidden(html, "started"),
    }
    with mock.patch("comments.tokens.time.time", return_value=time.time() + 10):
        sent = browser.post(reverse("comments:post", args=[article.pk]), fixed)
    assert sent.status_code == 302
    comment = Comment.objects.get()
    assert (comment.email, comment.body, comment.notify_on_decision) == (
        "maria@example.com",
        long[:3000],
        True,
    )


def test_without_javascript_a_right_form_is_only_asked_to_be_sent_once_more(
    article, comment_form_data, mailoutbox
):
    browser, fields, response = _first_press(article, comment_form_data(article, body="All good."))

    html = response.content.decode()
    assert "please press “Send comment” once more: your text is kept." in html
    assert 'id="comment-form-errors"' not in html and _title(html) == TITLE
    assert TOO_OLD not in html and TOO_FAST not in html
    assert ">\nAll good.</textarea>" in html
    assert not Comment.objects.exists() and mailoutbox == []

    again = {
        **fields,
        "csrfmiddlewaretoken": _hidden(html, "csrfmiddlewaretoken"),
        "started": _hidden(html, "started"),
    }
    with mock.patch("comments.tokens.time.time", return_value=time.time() + 10):
        sent = browser.post(reverse("comments:post", args=[article.pk]), again)
    assert sent.status_code == 302
    assert Comment.objects.get().body == "All good."


def test_without_javascript_a_signed_in_reader_s_errors_leave_out_what_their_account_fills_in(
    article, comment_form_data, django_user_model
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(
        django_user_model.objects.create_user(
            "maria", "maria@example.com", "pw", first_name="Maria", last_name="Lopez"
        )
    )
    data = comment_form_data(article, name="", email="", body="", started="")

    html = browser.post(reverse("comments:post", args=[article.pk]), data).content.decode()

    assert _summary(html)[1] == ["Comment: This field is required."]
    assert re.search(r'<input type="text" name="name" value="Maria Lopez"', html)
    assert re.search(r'<input type="email" name="email" value="maria@example.com"', html)
    assert not Comment.objects.exists()
