"""The IP addresses kept besides comments' go on the same schedule: `prune_comments` deletes IP
blocks that ended COMMENTS_KEEP_IP_DAYS ago (the admin's log keeps what was done, without the
address), moderators' notes on an IP address as old, and django-axes' records of staff sign-ins
as old. E-mail blocks go COMMENTS_KEEP_REJECTED_DAYS after they ended, as the rejected comments
that were their reason do."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.desk import add_note, block_sender, lift_block
from comments.models import Block, ModeratorNote
from tests.comment_fixtures import PASSWORD
from tests.test_commenter_privacy import _rows_holding

IP = "198.51.100.7"


def _days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def _prune() -> str:
    said = StringIO()
    call_command("prune_comments", stdout=said)
    return said.getvalue()


@pytest.fixture(autouse=True)
def _keep_ips_30_days(settings):
    settings.COMMENTS_KEEP_IP_DAYS = 30


def test_an_ip_block_that_ended_long_ago_goes_and_its_log_keeps_what_was_done_without_the_ip(
    moderator,
):
    first = block_sender(kind="ip", value=IP, period="1", by=moderator, reason="Floods the page")
    second = block_sender(kind="ip", value=IP, period="7", by=moderator)  # replaces the first
    lift_block(block=second, by=moderator)
    Block.objects.filter(pk__in=[first.pk, second.pk]).update(expires_at=_days_ago(31))
    lately = block_sender(kind="ip", value="198.51.100.8", period="1", by=moderator)
    lift_block(block=lately, by=moderator)
    for_good = block_sender(kind="ip", value="198.51.100.9", period="forever", by=moderator)
    Block.objects.filter(pk=for_good.pk).update(created_at=_days_ago(400))
    by_email = block_sender(kind="email", value="spam@example.com", period="1", by=moderator)
    Block.objects.filter(pk=by_email.pk).update(expires_at=_days_ago(31))  # not an IP address

    assert "deleted 2 IP block(s) ended" in _prune()

    assert sorted(Block.objects.values_list("value", flat=True)) == [
        "198.51.100.8",
        "198.51.100.9",
        "spam@example.com",
    ]
    assert _rows_holding(IP) == []
    about_them = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Block),
        object_id__in=[str(first.pk), str(second.pk)],
    )
    assert sorted(about_them.values_list("user__username", "change_message")) == [
        ("moderator", "Blocked [IP address cleared] for a day: Floods the page"),
        ("moderator", "Blocked [IP address cleared] for a week"),
        ("moderator", "Lifted the block of [IP address cleared]"),
        ("moderator", "Replaced by a block for a week"),
    ]
    assert set(about_them.values_list("object_repr", flat=True)) == {
        "IP address block [IP address cleared]"
    }
    assert "Lifted the block of 198.51.100.8" in LogEntry.objects.values_list(
        "change_message", flat=True
    )


def test_an_email_block_that_ended_months_ago_goes_and_its_log_keeps_what_was_done(
    moderator, settings
):
    settings.COMMENTS_KEEP_REJECTED_DAYS = 90
    old = block_sender(kind="email", value="pills@example.com", period="1", by=moderator)
    lift_block(block=old, by=moderator)
    Block.objects.filter(pk=old.pk).update(expires_at=_days_ago(91))
    lately = block_sender(kind="email", value="lately@example.com", period="7", by=moderator)
    Block.objects.filter(pk=lately.pk).update(expires_at=_days_ago(89))
    for_good = block_sender(
        kind="email", value="always@example.com", period="forever", by=moderator
    )
    Block.objects.filter(pk=for_good.pk).update(created_at=_days_ago(400))

    assert "deleted 1 e-mail block(s) ended over 90 days ago" in _prune()

    assert sorted(Block.objects.values_list("value", flat=True)) == [
        "always@example.com",
        "lately@example.com",
    ]
    assert _rows_holding("pills@example.com") == []
    about_it = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Block), object_id=str(old.pk)
    )
    assert sorted(about_it.values_list("user__username", "change_message")) == [
        ("moderator", "Blocked [e-mail address cleared] for a day"),
        ("moderator", "Lifted the block of [e-mail address cleared]"),
    ]
    assert set(about_it.values_list("object_repr", flat=True)) == {
        "E-mail address block [e-mail address cleared]"
    }


def test_a_note_on_an_ip_address_goes_as_old_and_one_also_on_an_email_address_keeps_its_words(
    moderator,
):
    old = add_note(by=moderator, text="Same person as the spammer", ip=IP)
    fresh = add_note(by=moderator, text="Watch this one", ip="198.51.100.8")
    both = ModeratorNote.objects.create(
        author=moderator, text="Writes from work", email="maria@example.com", ip_address=IP
    )
    ModeratorNote.objects.filter(pk__in=[old.pk, both.pk]).update(created_at=_days_ago(31))

    assert "and 2 moderator note(s)" in _prune()

    assert sorted(ModeratorNote.objects.values_list("pk", "email", "ip_address", "text")) == [
        (fresh.pk, "", "198.51.100.8", "Watch this one"),
        (both.pk, "maria@example.com", None, "Writes from work"),
    ]
    assert _rows_holding(IP) == []  # "Note on 198.51.100.7" in the admin's log, too
    assert LogEntry.objects.filter(object_repr__startswith="Note on an IP address").count() == 1


def test_staff_sign_ins_are_kept_as_long_as_the_ip_addresses_of_comments(superuser):
    def sign_in():
        Client().post("/admin/login/", {"username": "boss", "password": PASSWORD})
        return AccessLog.objects.latest("pk")

    old = sign_in()
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=_days_ago(31))
    fresh = sign_in()

    assert "and 1 staff sign-in record(s)" in _prune()

    assert list(AccessLog.objects.values_list("pk", flat=True)) == [fresh.pk]


def _old_ip_rows(moderator, count: int) -> None:
    for n in range(count):
        block = block_sender(kind="ip", value=f"198.51.100.{n}", period="1", by=moderator)
        lift_block(block=block, by=moderator)
        add_note(by=moderator, text="Seen before", ip=f"198.51.100.{n}")
    Block.objects.update(expires_at=_days_ago(31))
    ModeratorNote.objects.update(created_at=_days_ago(31))


def test_pruning_many_old_rows_takes_as_many_queries_as_pruning_one(moderator):
    def queries_to_prune(count: int) -> int:
        _old_ip_rows(moderator, count)
        with CaptureQueriesContext(connection) as queries:
            _prune()
        assert not Block.objects.exists() and not ModeratorNote.objects.exists()
        return len(queries)

    assert queries_to_prune(1) == queries_to_prune(6)


def test_the_privacy_page_as_shipped_says_how_long_a_blocked_address_is_kept(client, db):
    page = client.get("/comments/privacy/").content.decode()

    assert "IP addresses are cleared after a few weeks" in page
    assert "blocked from commenting, a few weeks after the block ends" in page


@pytest.mark.django_db
def test_the_nightly_prune_writes_nothing_when_nothing_failed(caplog, capsys):
    # Cron mails whatever a job writes: the README's `prune_comments -v0` must stay silent.
    signed_in = AccessLog.objects.create(ip_address=IP, user_agent="Firefox", username="editor")
    AccessLog.objects.filter(pk=signed_in.pk).update(attempt_time=_days_ago(40))

    with caplog.at_level("INFO"):
        call_command("prune_comments", verbosity=0)

    assert not AccessLog.objects.exists()  # the work was done...
    assert [record.getMessage() for record in caplog.records] == []  # ...without a word
    assert capsys.readouterr() == ("", "")
