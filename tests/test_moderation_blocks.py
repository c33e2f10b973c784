"""Comments › Blocks: every block in force can be lifted by a moderator, from the list, whether
its commenter's page can be opened or not (an address erased at its owner's request is kept
only as a keyed hash), and a block of an IPv6 /64 leads to the whole /64's comments."""

from django.contrib.admin.models import LogEntry

from comments.desk import block_sender
from comments.models import Block, Comment
from comments.privacy import erase_comments

BLOCKS = "/admin/comments/block/"


def _erased_block(moderator, article, make_comment):
    make_comment(article, email="maria@example.com")
    block_sender(kind="email", value="maria@example.com", period="forever", by=moderator)
    erase_comments(email="maria@example.com")
    return Block.objects.get(value__startswith="erased:")


def test_a_moderator_lifts_the_block_of_an_erased_address_from_the_blocks_list(
    moderator_client, moderator, article, make_comment, submit
):
    block = _erased_block(moderator, article, make_comment)
    page = f"{BLOCKS}{block.pk}/change/"

    listing = moderator_client.get(BLOCKS).content.decode()
    assert f'<a href="{page}">Lift on its page</a>' in listing
    shown = moderator_client.get(page).content.decode()
    assert f'formaction="{BLOCKS}{block.pk}/lift/"' in shown
    assert "Lift on its page" not in shown  # not a link to itself
    lifted = moderator_client.post(f"{BLOCKS}{block.pk}/lift/", follow=True)

    assert "Block of (erased at its owner&#x27;s request) lifted." in lifted.content.decode()
    block.refresh_from_db()
    assert not block.is_active
    assert submit(article, email="maria@example.com").status == Comment.Status.PENDING
    assert LogEntry.objects.filter(change_message__startswith="Lifted the block").count() == 1
    # Over, it offers nothing more to lift, on the list or on its page.
    assert "Lift on its page" not in moderator_client.get(BLOCKS).content.decode()
    assert "/lift/" not in moderator_client.get(page).content.decode()


def test_a_block_lifted_twice_says_it_was_over_already(moderator_client, second_moderator):
    block = Block.objects.create(kind=Block.Kind.EMAIL, value="troll@example.com")
    moderator_client.post(f"{BLOCKS}{block.pk}/lift/")

    again = moderator_client.post(f"{BLOCKS}{block.pk}/lift/", follow=True)

    assert "That block was over already." in again.content.decode()
    assert LogEntry.objects.filter(change_message__startswith="Lifted the block").count() == 1


def test_only_moderators_lift_a_block_and_only_by_a_post(
    moderator_client, editor_client, superuser_client
):
    block = Block.objects.create(kind=Block.Kind.EMAIL, value="troll@example.com")
    lift = f"{BLOCKS}{block.pk}/lift/"

    assert editor_client.post(lift).status_code == 403
    assert moderator_client.get(lift).status_code == 405
    block.refresh_from_db()
    assert block.is_active
    assert superuser_client.post(lift).status_code == 302
    block.refresh_from_db()
    assert not block.is_active
