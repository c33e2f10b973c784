"""A moderator's note on a commenter can be corrected or deleted, on the commenter's page, by
those who moderate (a note written on the wrong address, a typo, a note no longer true); the
admin's log says who did it. Before, a note could only be added: a wrong one stayed for good."""

import re

from django.contrib.admin.models import DELETION, LogEntry
from django.test import Client

from comments.desk import add_note
from comments.models import ModeratorNote

COMMENTER = "/admin/comments/comment/commenter/"
PAGE = f"{COMMENTER}?ip=203.0.113.61"


def _shown(client, note) -> str:
    """What the page's form for this note carries of the note as it showed it."""
    page = client.get(PAGE).content.decode()
    form = page[page.index(f'name="note" value="{note.pk}"') :]
    return re.search(r'name="shown" value="([^"]*)"', form).group(1)


def test_a_moderator_corrects_a_note(moderator_client, moderator):
    note = add_note(by=moderator, text="Posts as three people.", ip="203.0.113.61")
    shown = _shown(moderator_client, note)

    response = moderator_client.post(
        PAGE,
        {"action": "edit_note", "note": note.pk, "shown": shown, "text": "Posts as two people."},
        follow=True,
    )

    note.refresh_from_db()
    assert note.text == "Posts as two people."
    page = response.content.decode()
    assert "Note saved." in page and "Posts as two people." in page
    entry = LogEntry.objects.filter(action_flag=2).get()
    assert (entry.user, entry.change_message) == (moderator, "Edited")


def test_a_moderator_deletes_a_note(moderator_client, moderator):
    note = add_note(by=moderator, text="Wrong address, sorry.", ip="203.0.113.61")

    response = moderator_client.post(
        PAGE, {"action": "delete_note", "note": note.pk, "shown": _shown(moderator_client, note)}
    )

    assert response.status_code == 302
    assert not ModeratorNote.objects.exists()
    entry = LogEntry.objects.get(action_flag=DELETION)
    assert entry.user == moderator and entry.object_repr.startswith("Note on 203.0.113.61")


def test_someone_who_may_only_read_comments_can_neither_edit_nor_delete(editor_client, moderator):
    note = add_note(by=moderator, text="Posts as three people.", ip="203.0.113.61")

    page = editor_client.get(PAGE).content.decode()
    edit = editor_client.post(PAGE, {"action": "edit_note", "note": note.pk, "text": "x"})
    delete = editor_client.post(PAGE, {"action": "delete_note", "note": note.pk})

    assert "Posts as three people." in page and "Delete the note" not in page
    assert (edit.status_code, delete.status_code) == (403, 403)
    assert ModeratorNote.objects.get().text == "Posts as three people."


def test_a_forged_post_without_the_token_deletes_nothing(moderator):
    note = add_note(by=moderator, text="Posts as three people.", ip="203.0.113.61")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)

    response = browser.post(PAGE, {"action": "delete_note", "note": note.pk})

    assert response.status_code == 403
    assert ModeratorNote.objects.exists()


def test_only_a_note_on_this_page_is_deleted_from_it(moderator_client, moderator):
    elsewhere = add_note(by=moderator, text="Someone else entirely.", email="bob@example.net")

    moderator_client.post(PAGE, {"action": "delete_note", "note": elsewhere.pk})

    assert ModeratorNote.objects.filter(pk=elsewhere.pk).exists()


def test_a_note_corrected_meanwhile_is_not_overwritten_and_the_words_are_kept(
    moderator_client, moderator
):
    note = add_note(by=moderator, text="Posts as three people.", ip="203.0.113.61")
    shown = _shown(moderator_client, note)
    ModeratorNote.objects.filter(pk=note.pk).update(text="Posts as four people, see the log.")

    response = moderator_client.post(
        PAGE, {"action": "edit_note", "note": note.pk, "shown": shown, "text": "Two people."}
    )

    assert ModeratorNote.objects.get().text == "Posts as four people, see the log."
    page = response.content.decode()
    assert "changed by another moderator meanwhile" in page
    assert ">Two people.</textarea>" in page  # back in its box, to save again once read


def test_a_note_emptied_is_refused_and_deleting_is_offered(moderator_client, moderator):
    note = add_note(by=moderator, text="Posts as three people.", ip="203.0.113.61")

    response = moderator_client.post(
        PAGE,
        {"action": "edit_note", "note": note.pk, "shown": _shown(moderator_client, note)}
        | {"text": "  "},
    )

    assert ModeratorNote.objects.get().text == "Posts as three people."
    assert "press “Delete the note”" in response.content.decode()
