"""Comments › Blocks: every block in force can be lifted by a moderator, from the list, whether
its commenter's page can be opened or not (an address erased at its owner's request is kept
only as a keyed hash), and a block of an IPv6 /64 leads to the whole /64's comments."""

from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


COMMENTER = "/admin/comments/comment/commenter/"


def test_an_ipv6_blocks_commenter_page_shows_the_whole_64_it_covers(
    moderator_client, moderator, article, make_comment
):
    # One subscriber's addresses change within their /64 (privacy addresses): the block holds
    # them all, and the page it leads to read one address, the network's first, which none used.
    for n, ip in enumerate(["2001:db8:1:2::5", "2001:db8:1:2:aaaa::9"]):
        make_comment(article, ip_address=ip, body=f"From the household {n}", status="spam")
    make_comment(article, ip_address="2001:db8:1:2::5", body="Waiting from the household")
    make_comment(article, ip_address="2001:db8:1:3::5", body="From next door")
    block_sender(kind="ip", value="2001:db8:1:2::5", period="7", by=moderator)
    listing = moderator_client.get(BLOCKS).content.decode()
    url = f"{COMMENTER}?ip=2001%3Adb8%3A1%3A2%3A%3A"
    assert f'<a href="{url}">Lift on their page</a>' in listing

    page = moderator_client.get(url).content.decode()

    assert "From the household 0" in page and "From the household 1" in page
    assert "Waiting from the household" in page
    assert "From next door" not in page
    assert "<strong>2</strong> spam" in page and "<strong>1</strong> pending" in page
    assert "2001:db8:1:2::/64" in page
    assert "2001:db8:1:2:aaaa::9" in page  # which address each comment came from


def test_a_card_leads_to_its_ipv6_senders_64_and_rejects_all_of_it(
    moderator_client, moderator, article, make_comment
):
    theirs = [make_comment(article, ip_address=ip) for ip in ["2001:db8:1:2::5", "2001:db8:1:2::6"]]
    next_door = make_comment(article, ip_address="2001:db8:1:3::5")
    url = f"{COMMENTER}?ip=2001:db8:1:2::5"
    page = moderator_client.get(url).content.decode()
    assert "Reject all 2 waiting" in page

    moderator_client.post(
        url,
        {
            "action": "reject_all",
            "reason": "Flooding",
            **{f"seen-{c.pk}": c.revision for c in [*theirs, next_door]},
        },
    )

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in theirs] == [Comment.Status.REJECTED] * 2
    assert statuses[next_door.pk] == Comment.Status.PENDING


def test_a_note_on_an_ipv6_sender_is_read_on_the_page_of_any_address_of_their_64(
    moderator_client, db
):
    moderator_client.post(
        f"{COMMENTER}?ip=2001:db8:1:2::5", {"action": "note", "text": "Same household as X."}
    )

    household = moderator_client.get(COMMENTER, {"ip": "2001:db8:1:2::77"}).content.decode()
    next_door = moderator_client.get(COMMENTER, {"ip": "2001:db8:1:3::5"}).content.decode()

    assert "Same household as X." in household
    assert "Same household as X." not in next_door


def test_a_cards_record_counts_its_ipv6_senders_whole_64_as_its_link_opens(
    moderator_client, article, make_comment
):
    # "This IP: 0 spam" on a card whose household's other addresses sent spam led to approving.
    for ip in ["2001:db8:1:2::5", "2001:db8:1:2:bbbb::1"]:
        make_comment(article, ip_address=ip, status="spam")
    make_comment(article, ip_address="2001:db8:1:3::5", status="spam")  # next door
    make_comment(article, ip_address="2001:db8:1:2::6")
    make_comment(article, ip_address="192.0.2.4")

    html = moderator_client.get("/admin/comments/comment/").content.decode()

    household = f'<a href="{COMMENTER}?ip=2001%3Adb8%3A1%3A2%3A%3A6">This IPv6 /64</a>'
    assert f"{household}: 0 approved · 0 rejected · 2 spam · 1 pending" in html
    v4 = f'<a href="{COMMENTER}?ip=192.0.2.4">This IP</a>'
    assert f"{v4}: 0 approved · 0 rejected · 0 spam · 1 pending" in html


def test_the_queue_costs_the_same_for_2_or_20_ipv6_senders(moderator_client, article, make_comment):
    def queue_from(count):
        start = Comment.objects.count()
        for n in range(start, start + count):
            make_comment(article, ip_address=f"2001:db8:{n}:1::{n + 1:x}")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert moderator_client.get("/admin/comments/comment/").status_code == 200
        return len(ctx.captured_queries)

    queue_from(2)
    queries()  # warm: the session and permissions
    few = queries()
    queue_from(18)

    assert queries() == few


def test_the_blocks_in_force_are_listed_apart_from_those_over(moderator_client, moderator):
    # Each new block of a sender replaces their last one, which stays listed, over.
    for period in ("1", "7", "30"):
        block_sender(kind="email", value="troll@example.com", period=period, by=moderator)

    in_force = moderator_client.get(BLOCKS, {"in_force": "yes"}).content.decode()
    over = moderator_client.get(BLOCKS, {"in_force": "no"}).content.decode()

    assert "<h1>Blocks</h1>" in in_force
    assert in_force.count('alt="True"') == 1 and 'alt="False"' not in in_force
    assert over.count('alt="False"') == 2 and 'alt="True"' not in over


def test_lifting_a_block_replaced_since_names_the_newer_block_that_holds(
    moderator_client, moderator, second_moderator
):
    old = block_sender(kind="email", value="troll@example.com", period="1", by=moderator)
    newer = block_sender(
        kind="email", value="troll@example.com", period="forever", by=second_moderator
    )
    commenter = "/admin/comments/comment/commenter/?email=troll%40example.com"

    for told in (
        moderator_client.post(f"{BLOCKS}{old.pk}/lift/", follow=True),
        moderator_client.post(commenter, {"action": "lift", "block": old.pk}, follow=True),
    ):
        page = told.content.decode()
        assert "That block was over already." not in page
        assert (
            "That block was replaced by a newer one, which holds: E-mail address "
            "troll@example.com blocked for good, set by moderator2." in page
        )
        assert f'<a href="{BLOCKS}{newer.pk}/change/">Lift that one</a>' in page
    newer.refresh_from_db()
    assert newer.is_active
