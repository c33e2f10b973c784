"""Comments › Blocks leads each block to its commenter's page, where a moderator lifts it (the
list itself only reads them); who may lift is as before."""

from django.utils import timezone

from comments.desk import block_sender
from comments.models import Block

BLOCKS = "/admin/comments/block/"
COMMENTER = "/admin/comments/comment/commenter/"


def _row(html, text):
    start = html.rindex("<tr", 0, html.index(text))
    return html[start : html.index("</tr>", start)]


def test_each_block_in_force_leads_to_the_commenter_page_where_it_is_lifted(
    moderator_client, moderator
):
    block = block_sender(kind="email", value="troll@example.com", period="7", by=moderator)
    ended = Block.objects.create(
        kind=Block.Kind.EMAIL, value="old@example.com", expires_at=timezone.now()
    )

    listing = moderator_client.get(BLOCKS).content.decode()

    lift = f'<a href="{COMMENTER}?email=troll%40example.com">Lift on their page</a>'
    assert lift in _row(listing, "troll@example.com")
    page = f'<a href="{COMMENTER}?email=old%40example.com">Their page</a>'
    assert page in _row(listing, "old@example.com")
    # The block's own page leads there too.
    own = moderator_client.get(f"{BLOCKS}{block.pk}/change/").content.decode()
    assert lift in own
    assert page in moderator_client.get(f"{BLOCKS}{ended.pk}/change/").content.decode()

    commenter = moderator_client.get(f"{COMMENTER}?email=troll%40example.com").content.decode()
    assert f'name="block" value="{block.pk}">' in commenter and "Lift the block" in commenter
    moderator_client.post(
        f"{COMMENTER}?email=troll%40example.com", {"action": "lift", "block": block.pk}
    )
    assert not Block.objects.active().exists()


def test_an_ipv6_senders_block_leads_to_a_page_that_lifts_it(moderator_client, moderator):
    block = block_sender(
        kind="ip", value="2001:db8:85a3::8a2e:370:7334", period="forever", by=moderator
    )
    assert block.value == "2001:db8:85a3::/64"

    listing = moderator_client.get(BLOCKS).content.decode()

    url = f"{COMMENTER}?ip=2001%3Adb8%3A85a3%3A%3A"
    assert f'<a href="{url}">Lift on their page</a>' in listing
    lifted = moderator_client.post(url, {"action": "lift", "block": block.pk}, follow=True)
    assert "Block of 2001:db8:85a3::/64 lifted." in lifted.content.decode()
    assert not Block.objects.active().exists()


def test_whoever_may_not_lift_is_not_told_to(client, django_user_model, moderator):
    from django.contrib.auth.models import Permission

    block_sender(kind="email", value="troll@example.com", period="7", by=moderator)
    reader = django_user_model.objects.create_user("auditor", password="x", is_staff=True)
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_block", "view_comment"])
    )
    client.force_login(reader)

    listing = client.get(BLOCKS).content.decode()

    assert f'<a href="{COMMENTER}?email=troll%40example.com">Their page</a>' in listing
    assert "Lift" not in listing
    page = client.get(f"{COMMENTER}?email=troll%40example.com").content.decode()
    assert "Lift the block" not in page  # as before: lifting is for moderators


def _found(client, term: str) -> list[str]:
    listing = client.get(BLOCKS, {"q": term})
    return [block.value for block in listing.context["cl"].result_list]


def test_an_ip_address_typed_in_the_search_finds_the_block_that_holds_it(
    moderator_client, moderator
):
    block_sender(kind="ip", value="2001:db8:1:2::5", period="7", by=moderator, reason="troll")
    block_sender(kind="ip", value="2001:db8:1:3::5", period="7", by=moderator, reason="troll")
    block_sender(kind="ip", value="203.0.113.5", period="7", by=moderator, reason="troll")
    # One made before blocks named an IPv6 sender's /64: it holds its one address.
    Block.objects.create(kind=Block.Kind.IP, value="2001:db8:1:2::9", reason="older")

    sender = ["2001:db8:1:2::/64", "2001:db8:1:2::9"]
    for typed in ("2001:db8:1:2::5", "2001:DB8:1:2::abcd", "2001:0db8:0001:0002:0::77"):
        assert sorted(_found(moderator_client, typed)) == sender, typed
    assert _found(moderator_client, "2001:0db8:0001:0002::/64") == ["2001:db8:1:2::/64"]
    assert _found(moderator_client, " 203.0.113.5 ") == ["203.0.113.5"]
    assert _found(moderator_client, "203.0.113.50") == []
    assert len(_found(moderator_client, "troll")) == 3  # words still find the reasons
