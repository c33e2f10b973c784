"""The commenter's page: reached from any comment whatever its address holds, and acting only
on that commenter."""

import re
from datetime import timedelta
from html import unescape

from django.contrib.admin.models import ADDITION, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.desk import block_sender
from comments.models import Block, Comment, ModeratorNote
from comments.privacy import erase_comments

CHANGELIST = "/admin/comments/comment/"
COMMENTER = f"{CHANGELIST}commenter/"
BLOCKS = "/admin/comments/block/"


def test_a_comments_page_links_to_a_plus_address_commenter_that_opens(
    moderator_client, article, make_comment
):
    comment = make_comment(article, email="a+b@example.com", body="Plus-addressed words.")

    page = moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()

    assert f'href="{COMMENTER}?email=a%2Bb%40example.com"' in page
    response = moderator_client.get(f"{COMMENTER}?email=a%2Bb%40example.com")
    assert response.status_code == 200
    assert "Plus-addressed words." in response.content.decode()


def test_lift_on_a_commenters_page_lifts_no_block_of_someone_else(db, moderator_client):
    mine = Block.objects.create(kind=Block.Kind.EMAIL, value="maria@example.com")
    theirs = Block.objects.create(kind=Block.Kind.EMAIL, value="troll@example.com")
    their_ip = Block.objects.create(kind=Block.Kind.IP, value="203.0.113.9")

    for block in (theirs, their_ip):
        response = moderator_client.post(
            f"{COMMENTER}?email=maria%40example.com",
            {"action": "lift", "block": block.pk},
            follow=True,
        )
        assert "That block was over already." in response.content.decode()

    for block in (mine, theirs, their_ip):
        block.refresh_from_db()
    assert (mine.is_active, theirs.is_active, their_ip.is_active) == (True, True, True)


def test_lift_ignores_a_block_id_that_is_not_a_number(db, moderator_client):
    Block.objects.create(kind=Block.Kind.EMAIL, value="maria@example.com")

    response = moderator_client.post(
        f"{COMMENTER}?email=maria%40example.com", {"action": "lift", "block": "1 OR 1=1"}
    )

    assert response.status_code == 302
    assert Block.objects.active().count() == 1


def test_the_commenter_page_shows_everything_from_one_address(
    moderator_client, article, make_comment
):
    make_comment(article, email="maria@example.com", body="Her first", status="approved")
    make_comment(article, email="maria@example.com", body="Her second")
    make_comment(article, email="other@example.com", body="Someone else")

    html = moderator_client.get(COMMENTER, {"email": "maria@example.com"}).content.decode()

    assert "Her first" in html
    assert "Her second" in html
    assert "Someone else" not in html
    assert "<strong>1</strong> approved" in html
    assert "<strong>1</strong> pending" in html


def test_a_comment_opened_from_a_commenters_page_leads_on_to_their_next_one(
    moderator_client, article, make_comment
):
    now = timezone.now()
    senders = [("maria@example.com", 3), ("other@example.com", 2), ("maria@example.com", 1)]
    first, _other, last = (
        make_comment(article, email=email, created_at=now - timedelta(hours=hours))
        for email, hours in senders
    )
    html = moderator_client.get(COMMENTER, {"email": "maria@example.com"}).content.decode()
    link = re.search(rf'href="({CHANGELIST}{first.pk}/change/[^"]*)"', html)[1]

    page = moderator_client.get(unescape(link)).content.decode()
    filters = re.search(r'name="_changelist_filters" value="([^"]*)"', page)[1]
    response = moderator_client.post(
        f"{CHANGELIST}{first.pk}/approve/",
        {"_next_pending": "1", "_changelist_filters": unescape(filters)},
    )

    # Maria's next, not the other sender's comment that came in between.
    assert response["Location"].startswith(f"{CHANGELIST}{last.pk}/change/")


def test_the_queue_links_each_comment_to_its_commenter_and_record(
    moderator_client, article, make_comment
):
    make_comment(article, email="maria@example.com", status="spam")
    make_comment(article, email="maria@example.com", ip_address="192.0.2.5")

    html = moderator_client.get(CHANGELIST).content.decode()

    assert f'href="{COMMENTER}?email=maria%40example.com"' in html
    assert f'href="{COMMENTER}?ip=192.0.2.5"' in html
    assert "0 approved · 0 rejected · 1 spam · 1 pending" in html


def test_a_moderator_rejects_all_pending_comments_of_one_commenter(
    moderator_client, moderator, article, make_comment
):
    theirs = [make_comment(article, email="troll@example.com") for _ in range(3)]
    other = make_comment(article, email="fine@example.com")

    moderator_client.post(
        f"{COMMENTER}?email=troll@example.com",
        {
            "action": "reject_all",
            "reason": "Trolling",
            # The page sends back the waiting comments it showed (each at the revision shown);
            # a forged or stale page naming another sender's comment decides only theirs.
            **{f"seen-{c.pk}": c.revision for c in [*theirs, other]},
        },
    )

    assert {c.status for c in Comment.objects.filter(pk__in=[c.pk for c in theirs])} == {
        Comment.Status.REJECTED
    }
    assert Comment.objects.get(pk=other.pk).status == Comment.Status.PENDING
    assert LogEntry.objects.filter(user=moderator, change_message="Rejected: Trolling").count() == 3


def test_enter_in_the_reason_box_publishes_none_of_a_commenters_comments(
    moderator_client, article, make_comment
):
    theirs = [make_comment(article, email="troll@example.com") for _ in range(3)]

    # Enter in the box presses the form's first button, "Approve all".
    response = moderator_client.post(
        f"{COMMENTER}?email=troll@example.com",
        {
            "action": "approve_all",
            "reason": "Trolling, sorry",
            **{f"seen-{c.pk}": c.revision for c in theirs},
        },
    )

    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 3
    page = response.content.decode()
    assert "You typed a reason for rejecting, so nothing was approved" in page
    assert 'value="Trolling, sorry"' in page  # kept, to press "Reject all" with


def test_a_block_with_an_expiry_sends_the_next_comments_to_spam(
    moderator_client, moderator, article, submit
):
    moderator_client.post(
        f"{COMMENTER}?ip=203.0.113.9", {"action": "block", "period": "7", "reason": "Spam run"}
    )

    block = Block.objects.get()
    assert block.kind == Block.Kind.IP
    assert block.value == "203.0.113.9"
    assert timedelta(days=6, hours=23) < block.expires_at - timezone.now() <= timedelta(days=7)
    comment = submit(article, ip="203.0.113.9")
    assert comment.status == Comment.Status.SPAM
    assert "IP address blocked by a moderator" in comment.held_because
    entry = LogEntry.objects.get(user=moderator)
    assert entry.action_flag == ADDITION
    assert entry.change_message == "Blocked 203.0.113.9 for a week: Spam run"


def test_an_expired_block_lets_comments_through(moderator, article, submit):
    Block.objects.create(
        kind=Block.Kind.EMAIL,
        value="maria@example.com",
        expires_at=timezone.now() - timedelta(minutes=1),
    )

    assert submit(article, email="maria@example.com").status == Comment.Status.PENDING


def test_a_block_for_good_never_expires(moderator_client, article, submit):
    moderator_client.post(
        f"{COMMENTER}?email=Maria@Example.com", {"action": "block", "period": "forever"}
    )

    assert Block.objects.get().expires_at is None
    assert submit(article, email="maria@example.com").status == Comment.Status.SPAM


def test_moderators_leave_notes_on_a_commenter(moderator_client, moderator, article, make_comment):
    make_comment(article, email="maria@example.com")

    moderator_client.post(
        f"{COMMENTER}?email=maria@example.com", {"action": "note", "text": "Warned once."}
    )

    note = ModeratorNote.objects.get()
    assert (note.email, note.author, note.text) == ("maria@example.com", moderator, "Warned once.")
    assert (
        "Warned once."
        in moderator_client.get(COMMENTER, {"email": "maria@example.com"}).content.decode()
    )
    assert "1 moderator note" in moderator_client.get(CHANGELIST).content.decode()


def test_an_empty_note_is_refused_with_a_message(db, moderator_client):
    response = moderator_client.post(
        f"{COMMENTER}?email=maria@example.com", {"action": "note", "text": " "}, follow=True
    )

    assert "Write the note in its box before pressing “Add note”." in response.content.decode()
    assert not ModeratorNote.objects.exists()


def test_an_editor_may_look_at_a_commenter_but_not_act(editor_client, article, make_comment):
    make_comment(article, email="maria@example.com")

    page = editor_client.get(COMMENTER, {"email": "maria@example.com"})
    act = editor_client.post(
        f"{COMMENTER}?email=maria@example.com", {"action": "block", "period": "forever"}
    )

    assert page.status_code == 200
    assert b'value="block"' not in page.content
    assert act.status_code == 403
    assert not Block.objects.exists()
    assert editor_client.get(COMMENTER, {"email": "not an address"}).status_code == 404


def test_staff_without_comment_permissions_cannot_open_a_commenter(db, stranger_client):
    assert stranger_client.get(COMMENTER, {"email": "maria@example.com"}).status_code == 403


def test_a_moderator_lifts_a_block_early(moderator_client, moderator, article, submit):
    block = Block.objects.create(kind=Block.Kind.EMAIL, value="maria@example.com")

    moderator_client.post(
        f"{COMMENTER}?email=maria@example.com", {"action": "lift", "block": block.pk}
    )

    block.refresh_from_db()
    assert not block.is_active
    assert submit(article, email="maria@example.com").status == Comment.Status.PENDING
    entry = LogEntry.objects.get(user=moderator)
    assert entry.change_message == "Lifted the block of maria@example.com"
    # "Recent actions" names the block as it now is, not as a block.
    assert entry.object_repr.startswith("E-mail address maria@example.com: block ended ")
    # Moderators may follow it there, and read every block back.
    assert moderator_client.get(f"/admin/comments/block/{block.pk}/change/").status_code == 200
    assert "maria@example.com" in moderator_client.get("/admin/comments/block/").content.decode()


def test_a_new_block_replaces_the_senders_earlier_one(moderator_client, article, submit):
    for period in ("forever", "1"):
        moderator_client.post(
            f"{COMMENTER}?email=maria@example.com", {"action": "block", "period": period}
        )

    active = Block.objects.active()
    assert active.count() == 1 and active.get().expires_at is not None  # for a day, not for good
    # The Blocks list says which one holds: one row in force, the replaced one not.
    listing = moderator_client.get("/admin/comments/block/").content.decode()
    assert listing.count('alt="True"') == 1 and listing.count('alt="False"') == 1
    # Lifting the block lifts the sender's block: nothing else holds them back.
    moderator_client.post(
        f"{COMMENTER}?email=maria@example.com", {"action": "lift", "block": active.get().pk}
    )
    assert submit(article, email="maria@example.com").status == Comment.Status.PENDING


def test_an_editor_cannot_read_the_blocks(editor_client):
    assert editor_client.get("/admin/comments/block/").status_code == 403


def test_the_blocks_list_words_an_erased_address_as_the_commenter_page_does(
    moderator_client, moderator, article, make_comment
):
    make_comment(article, email="maria@example.com")
    block_sender(kind="email", value="maria@example.com", period="forever", by=moderator)
    Block.objects.create(kind=Block.Kind.EMAIL, value="troll@example.com")
    erase_comments(email="maria@example.com")
    erased = Block.objects.get(value__startswith="erased:")
    erased_link = f"/admin/comments/block/{erased.pk}/change/"

    listing = moderator_client.get(BLOCKS).content.decode()
    assert "(erased at its owner&#x27;s request)" in listing
    assert "troll@example.com" in listing
    assert erased.value not in listing
    assert erased.value not in moderator_client.get(erased_link).content.decode()
    # Typed again in full, the address finds its block; no other address does.
    found = moderator_client.get(BLOCKS, {"q": " Maria@Example.com "}).content.decode()
    assert erased_link in found and "troll@example.com" not in found
    other = moderator_client.get(BLOCKS, {"q": "ann@example.com"}).content.decode()
    assert erased_link not in other
    lift = {"action": "lift", "block": erased.pk}
    lifted = moderator_client.post(f"{COMMENTER}?email=maria%40example.com", lift, follow=True)
    assert "Block of (erased at its owner&#x27;s request) lifted." in lifted.content.decode()


def test_the_blocks_list_costs_the_same_queries_for_2_or_40_blocks(moderator_client, moderator):
    def add(n):
        start = Block.objects.count()
        for i in range(start, start + n):
            Block.objects.create(
                kind=Block.Kind.EMAIL, value=f"b{i}@example.com", created_by=moderator
            )

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            listing = moderator_client.get(BLOCKS).content.decode()
        # Each block says who set it.
        setters = listing.count('<td class="field-created_by nowrap">moderator</td>')
        assert setters == Block.objects.count()
        return len(ctx.captured_queries)

    add(2)
    queries()  # warm: the moderator's user row is cached from the first request on
    few = queries()
    add(38)

    assert queries() == few


def test_a_reason_refused_as_too_long_comes_back_in_its_box(moderator_client, article, submit):
    waiting = submit(article)
    # Past the box's own limit (a paste the browser let through, a script): the server's.
    reason = "Repeated personal attacks on other readers. " * 7

    page = moderator_client.post(
        f"{COMMENTER}?email=maria@example.com",
        {"action": "reject_all", "reason": reason, f"seen-{waiting.pk}": waiting.revision},
        follow=True,
    ).content.decode()

    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.PENDING
    assert "Keep the reason to 300 characters" in page
    assert 'value="Repeated personal attacks on other readers. Repeated' in page
