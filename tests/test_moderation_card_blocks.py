"""A card in the moderator's queue says when its sender is blocked right now (by e-mail or IP,
an erased address's hash and an IPv6 sender's /64 included), until when, with a link to the
commenter page where the block is lifted."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from comments.desk import block_sender, lift_block
from comments.models import Block, Report, erased_email

CHANGELIST = "/admin/comments/comment/"


def _card(html, comment):
    """The HTML of one comment's card in the queue."""
    start = html.index(f'id="queue-{comment.pk}"')
    return html[start : html.index("</article>", start)]


def _blocked(html, comment) -> str:
    card = _card(html, comment)
    if "Blocked:" not in card:
        return ""
    return card[card.index("Blocked:") : card.index("</strong>", card.index("Blocked:"))]


def _until(block) -> str:
    local = timezone.localtime(block.expires_at)
    return f'until <time datetime="{block.expires_at.isoformat(timespec="seconds")}">' + (
        f"{local.day} {local:%b %Y, %H:%M}</time>"
    )


@pytest.fixture
def reported(article, make_comment):
    """eve's published comment, reported by a reader."""

    def reported(**fields):
        fields = {"email": "eve@example.com", **fields}
        comment = make_comment(article, status="approved", **fields)
        Report.objects.create(comment=comment, reason="abuse", reporter=f"r{comment.pk}")
        return comment

    return reported


def test_a_reported_comments_card_says_its_senders_e_mail_is_blocked_and_until_when(
    moderator_client, moderator, reported
):
    comment = reported()
    other = reported(email="someone@example.com")
    block = block_sender(kind="email", value="Eve@Example.com", period="7", by=moderator)

    html = moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode()

    # Where the block can be lifted, and when it ends in the newsroom's time, as the card's.
    assert _blocked(html, comment) == (
        'Blocked: <a href="/admin/comments/comment/commenter/?email=eve%40example.com">'
        f"e-mail address</a> {_until(block)}"
    )
    assert 'class="commenter-block is-active">Blocked:' in _card(html, comment)
    assert _blocked(html, other) == ""


def test_a_card_knows_a_blocked_address_its_owner_had_erased(moderator_client, reported):
    # Erasing keeps a block's address as a keyed hash; the screen still knows eve by it.
    Block.objects.create(kind="email", value=erased_email("eve@example.com"))
    comment = reported()

    html = moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode()

    assert "e-mail address</a> for good" in _blocked(html, comment)


@pytest.mark.parametrize(
    ("sender", "blocked"),
    [
        ("198.51.100.7", "198.51.100.7"),
        # The screen holds an IPv6 sender's whole /64: another address of it is blocked too.
        ("2001:db8:1:2::5", "2001:db8:1:2:ffff::9"),
    ],
)
def test_a_reported_comments_card_says_its_senders_ip_is_blocked(
    moderator_client, moderator, reported, sender, blocked
):
    comment = reported(ip_address=sender)
    block_sender(kind="ip", value=blocked, period="forever", by=moderator)

    html = moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode()

    assert _blocked(html, comment) == (
        f'Blocked: <a href="/admin/comments/comment/commenter/?ip={sender.replace(":", "%3A")}">'
        "IP address</a> for good"
    )


@pytest.mark.parametrize("how", ["ended", "lifted"])
@pytest.mark.parametrize(("over", "in_force"), [("email", "ip"), ("ip", "email")])
def test_a_block_no_longer_in_force_is_not_on_the_card(
    moderator_client, moderator, reported, how, over, in_force
):
    comment = reported()
    address = {"email": comment.email, "ip": comment.ip_address}
    block = block_sender(kind=over, value=address[over], period="1", by=moderator)
    if how == "lifted":
        lift_block(block=block, by=moderator)
    else:
        Block.objects.filter(pk=block.pk).update(expires_at=timezone.now() - timedelta(1))
    block_sender(kind=in_force, value=address[in_force], period="forever", by=moderator)

    html = moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode()

    shown = {"email": "e-mail address", "ip": "IP address"}[in_force]
    assert strip_tags(_blocked(html, comment)) == f"Blocked: {shown} for good"


def test_a_pending_card_shows_both_blocks_of_its_sender(
    moderator_client, moderator, article, make_comment
):
    comment = make_comment(article, email="eve@example.com", ip_address="198.51.100.7")
    block = block_sender(kind="email", value="eve@example.com", period="30", by=moderator)
    block_sender(kind="ip", value="198.51.100.7", period="forever", by=moderator)

    html = moderator_client.get(CHANGELIST).content.decode()

    assert strip_tags(_blocked(html, comment)) == (
        f"Blocked: e-mail address {strip_tags(_until(block))} · IP address for good"
    )
