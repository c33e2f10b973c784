"""The boxes a reader types words into take the direction of what they type (dir="auto"), as
the comments they write are shown: a reader writing Arabic or Hebrew in a box that stays
left-to-right sees punctuation and numbers jump to the wrong end of their sentence. The
e-mail box stays left-to-right: an address is."""

import re

from django.urls import reverse

from comments.tokens import status_token


def _tag(page: str, name: str) -> str:
    found = re.search(rf'<(?:input|textarea)[^>]*\bname="{name}"[^>]*>', page)
    assert found, f"no field {name!r}"
    return found.group()


def test_the_comment_forms_name_and_comment_boxes_follow_what_is_typed(reader, article):
    page = reader.get(article.get_absolute_url()).content.decode()

    assert 'dir="auto"' in _tag(page, "name")
    assert 'dir="auto"' in _tag(page, "body")
    assert "dir=" not in _tag(page, "email")


def test_the_edit_box_follows_what_is_typed(reader, article, make_comment):
    comment = make_comment(article, body="مقال رائع! 3 أسباب للتفاؤل.")

    page = reader.get(reverse("comments:edit", args=[status_token(comment)])).content.decode()

    assert 'dir="auto"' in _tag(page, "body")


def test_the_words_saved_from_another_tab_are_shown_in_their_direction(
    reader, article, make_comment
):
    comment = make_comment(article, body="مقال رائع!")
    edit = reverse("comments:edit", args=[status_token(comment)])
    reader.post(edit, {"revision": "0", "body": "مقال رائع جدا!"})

    page = reader.post(edit, {"revision": "0", "body": "كلمات أخرى"}).content.decode()

    saved = re.search(r'<textarea[^>]*id="comment-saved-words"[^>]*>', page)
    assert saved and 'dir="auto"' in saved.group()
