"""What a moderator types never writes back in clear an address its owner erased (the erase took
it out of notes and reasons): a note corrected, a new note or a block's reason, pressed on a page
drawn before the erase, is refused, their words given back with the address left out, and they
are told it was an erase, not another moderator. An address whose erase left its keyed hash (a
block) is refused on any page; one a comment holds again, or another commenter's, is not."""

import html
import re

import pytest

from comments.desk import add_note, block_sender
from comments.models import Block, ModeratorNote
from comments.privacy import erase_comments

JANE = "jane.roe@example.org"
IP = "203.0.113.61"
PAGE = f"/admin/comments/comment/commenter/?ip={IP}"
ERASED_HERE = "erased at its owner&#x27;s request"


@pytest.fixture
def jane(article, make_comment):
    return make_comment(article, name="Jane Roe", email=JANE, ip_address=IP)


def _form(page: str, button: str) -> dict:
    """The hidden fields of the page's form with this button, as a browser posts them."""
    form = next(f for f in re.findall(r"<form.*?</form>", page, re.S) if button in f)
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))


def _box(page: str, box_id: str) -> str:
    return html.unescape(re.search(rf'id="{box_id}"[^>]*>([^<]*)<', page).group(1))


def test_a_correction_from_before_the_erase_gets_the_words_back_without_the_address(
    moderator_client, moderator, jane
):
    note = add_note(by=moderator, text=f"Sock puppets of {JANE}", ip=IP)
    drawn = _form(moderator_client.get(PAGE).content.decode(), 'value="edit_note"')
    erase_comments(email=JANE)
    fixed = f"Sock puppets of {JANE} (three names)"

    refused = moderator_client.post(
        PAGE, {**drawn, "action": "edit_note", "text": fixed}, follow=True
    ).content.decode()

    assert ERASED_HERE in refused and "another moderator" not in refused
    assert JANE not in refused
    kept = _box(refused, f"id_note_{note.pk}")
    assert kept == "Sock puppets of [erased address] (three names)"
    note.refresh_from_db()
    assert JANE not in note.text
    # Saved again as the box gives it back: saved, without her. Typed again: refused again.
    again = _form(refused, 'value="edit_note"')
    moderator_client.post(PAGE, {**again, "action": "edit_note", "text": kept})
    assert ModeratorNote.objects.get().text == kept
    again = _form(moderator_client.get(PAGE).content.decode(), 'value="edit_note"')
    moderator_client.post(PAGE, {**again, "action": "edit_note", "text": fixed})
    assert ModeratorNote.objects.get().text == kept


def test_a_correction_that_no_longer_names_her_is_told_the_erase_changed_the_note(
    moderator_client, moderator, jane
):
    add_note(by=moderator, text=f"Sock puppets of {JANE}", ip=IP)
    drawn = _form(moderator_client.get(PAGE).content.decode(), 'value="edit_note"')
    erase_comments(email=JANE)

    page = moderator_client.post(
        PAGE, {**drawn, "action": "edit_note", "text": "Sock puppets, three names"}, follow=True
    ).content.decode()

    assert "erased meanwhile, at the request of the commenter it named" in page
    assert "another moderator" not in page
    assert ModeratorNote.objects.get().text != "Sock puppets, three names"


@pytest.mark.parametrize("action", ["note", "block"])
def test_a_note_or_block_reason_typed_on_a_page_from_before_the_erase_is_refused(
    moderator_client, jane, action
):
    drawn = _form(moderator_client.get(PAGE).content.decode(), f'value="{action}"')
    erase_comments(email=JANE)
    typed = f"Same person as '{JANE}'"
    words = {"text": typed} if action == "note" else {"reason": typed, "period": "7"}

    page = moderator_client.post(
        PAGE, {**drawn, "action": action, **words}, follow=True
    ).content.decode()

    assert ERASED_HERE in page and JANE not in page
    box = "id_note" if action == "note" else "id_block_reason"
    assert "[erased address]" in (_box(page, box) if action == "note" else page)
    assert not ModeratorNote.objects.exists() and not Block.objects.exists()


def test_a_note_on_her_own_address_from_before_the_erase_is_refused(moderator_client, jane):
    page = f"/admin/comments/comment/commenter/?email={JANE}"
    drawn = _form(moderator_client.get(page).content.decode(), 'value="note"')
    erase_comments(email=JANE)

    moderator_client.post(page, {**drawn, "action": "note", "text": "Posts the same link"})

    assert not ModeratorNote.objects.exists()


def test_an_address_whose_erase_kept_its_block_is_refused_on_any_page(
    moderator_client, moderator, jane
):
    block_sender(kind="email", value=JANE, period="forever", by=moderator)
    erase_comments(email=JANE)
    drawn = _form(moderator_client.get(PAGE).content.decode(), 'value="note"')

    moderator_client.post(PAGE, {**drawn, "action": "note", "text": f"Was {JANE}"})

    assert not ModeratorNote.objects.exists()


def test_an_address_written_again_or_another_commenters_is_kept(
    moderator_client, moderator, article, make_comment, jane
):
    block_sender(kind="email", value=JANE, period="forever", by=moderator)
    make_comment(article, email="bob@example.net", ip_address=IP)
    drawn = _form(moderator_client.get(PAGE).content.decode(), 'value="note"')
    erase_comments(email=JANE)
    # Another commenter's address, on a page drawn before her erase: theirs to keep.
    said = "Same person as bob@example.net"
    moderator_client.post(PAGE, {**drawn, "action": "note", "text": said})
    # She comments again with the address: a note may name it again.
    make_comment(article, email=JANE, ip_address=IP)
    moderator_client.post(PAGE, {"action": "note", "text": f"Back as {JANE}"})

    assert sorted(ModeratorNote.objects.values_list("text", flat=True)) == [
        f"Back as {JANE}",
        said,
    ]
