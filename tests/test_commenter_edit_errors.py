"""The edit page sent back with errors opens with them in an alert (role="alert", read out as
the page loads, without JavaScript too), focusable for the page's script to move focus there,
each problem linking to its field, and "Error:" in the title; the form's own errors are not
said a second time in a plain box."""

import re

from django.urls import reverse

from articles.models import Article
from comments.commenter_services import EMPTY_EDIT
from comments.tokens import status_token

NOT_SAVED = "Not saved: you changed this comment in another tab or window"


def _alert(page: str) -> str:
    found = re.search(r'<div[^>]*role="alert"[^>]*>(.*?)</div>', page, re.S)
    assert found, "no alert"
    assert 'tabindex="-1"' in found.group()
    return found.group(1)


def _title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


def test_an_empty_box_is_an_alert_that_links_to_the_box(reader, article, make_comment):
    comment = make_comment(article, body="First words")
    edit = reverse("comments:edit", args=[status_token(comment)])

    page = reader.post(edit, {"revision": "0", "body": "  "}).content.decode()

    alert = _alert(page)
    assert EMPTY_EDIT in alert
    assert 'href="#id_body"' in alert
    assert _title(page).startswith("Error: ")


def test_an_edit_refused_as_comments_closed_is_an_alert_said_once(reader, article, make_comment):
    comment = make_comment(article, body="First words")
    edit = reverse("comments:edit", args=[status_token(comment)])
    Article.objects.filter(pk=article.pk).update(comments_enabled=False)

    page = reader.post(edit, {"revision": "0", "body": "Late words"}).content.decode()

    assert "This comment can no longer be edited." in _alert(page)
    assert page.count("This comment can no longer be edited.") == 1
    assert _title(page).startswith("Error: ")


def test_words_saved_from_another_tab_meanwhile_are_an_alert(reader, article, make_comment):
    comment = make_comment(article, body="First words")
    edit = reverse("comments:edit", args=[status_token(comment)])
    reader.post(edit, {"revision": "0", "body": "Words from tab B"})

    page = reader.post(edit, {"revision": "0", "body": "Words from tab A"}).content.decode()

    assert NOT_SAVED in _alert(page)
    assert page.count(NOT_SAVED) == 1
    assert _title(page).startswith("Error: ")
