"""An erase takes the address, and the names signed with it, out of what moderators wrote
about its owner anywhere: a note on an IP address's page, a block's reason and the reason another
commenter was told for a rejection that name the address whole, not only the notes and blocks
keyed by it. Someone else's address holding it, and a name written without the address (names
are not unique), are left alone."""

import pytest

from comments.desk import add_note, block_sender
from comments.models import Block, Comment, ModeratorNote
from comments.privacy import erase_comments
from comments.services import approve, reject, take_down

JANE = "jane.roe@example.org"
IP = "203.0.113.61"
COMMENTER = "/admin/comments/comment/commenter/"


@pytest.fixture
def jane(article, make_comment):
    return make_comment(article, name="Jane Roe", email=JANE, ip_address=IP)


def test_a_note_on_an_ip_naming_the_address_loses_it_and_her_name(
    moderator, moderator_client, jane
):
    add_note(by=moderator, text=f"Jane Roe ({JANE}) posts from here under other names", ip=IP)

    erase_comments(email=JANE)

    note = ModeratorNote.objects.get()
    assert JANE not in note.text.lower() and "jane roe" not in note.text.lower()
    assert (note.author, str(note.ip_address)) == (moderator, IP)  # who wrote one, and where
    page = moderator_client.get(COMMENTER, {"ip": IP}).content.decode()
    assert JANE not in page and "Jane Roe" not in page
    assert "erased at the request of the commenter it named" in page


@pytest.mark.parametrize("kind,value", [("ip", IP), ("email", "bob@example.net")])
def test_a_blocks_reason_naming_the_address_loses_it_and_the_block_holds(
    moderator, jane, kind, value
):
    reason = f"Jane Roe's sock puppets, '{JANE.upper()}'"
    block_sender(kind=kind, value=value, period="forever", by=moderator, reason=reason)

    erase_comments(email=JANE)

    block = Block.objects.get(kind=kind)
    assert JANE not in block.reason.lower() and "jane roe" not in block.reason.lower()
    assert block.is_active and block.value == value


def test_a_reason_given_to_another_commenter_naming_the_address_loses_it(
    client, moderator, article, make_comment, jane
):
    # What the other commenter reads on their comment's page: the moderator's reason.
    rejected = make_comment(article, name="Bob", email="bob@example.net")
    reject(comment=rejected, by=moderator, reason=f"You post as {JANE} too")
    taken = make_comment(article, name="Bob", email="bob@example.net")
    approve(comment=taken, by=moderator)
    take_down([taken], by=moderator, reason=f"Quotes <{JANE.upper()}> at length")

    erase_comments(email=JANE)

    for comment in (rejected, taken):
        comment.refresh_from_db()
        assert JANE not in comment.rejection_reason.lower()
        assert comment.rejection_reason == "[erased at the request of the commenter it named]"
        assert comment.status == Comment.Status.REJECTED
        assert JANE not in client.get(comment.status_url).content.decode().lower()


def test_what_names_an_address_holding_the_erased_one_stays(moderator, article, make_comment):
    make_comment(article, name="N Smith", email="nsmith@gmail.com")
    said = "N Smith's brother, johnsmith@gmail.com"
    add_note(by=moderator, text=said, ip=IP)
    block_sender(kind="ip", value=IP, period="7", by=moderator, reason=said)
    brother = make_comment(article, email="johnsmith@gmail.com")
    reject(comment=brother, by=moderator, reason=said)

    erase_comments(email="nsmith@gmail.com")

    assert ModeratorNote.objects.get().text == said
    assert Block.objects.get().reason == said
    assert Comment.objects.get(pk=brother.pk).rejection_reason == said


def test_a_name_written_without_the_address_stays(moderator, jane):
    # Another Jane Roe may comment here: without the address, nothing says it is this one.
    add_note(by=moderator, text="Jane Roe again, third account this week", ip=IP)

    erase_comments(email=JANE)

    assert ModeratorNote.objects.get().text == "Jane Roe again, third account this week"


def test_notes_on_the_address_itself_still_go(moderator, jane):
    add_note(by=moderator, text="Keeps posting the same link", email=JANE)

    erase_comments(email=JANE)

    assert not ModeratorNote.objects.exists()
