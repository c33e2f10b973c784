"""Addresses held before the mailbox limit came (migration 0019) count their inbox too: a
confirmation mailed to one spelling just before the upgrade holds back the others."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.encoding import punycode

from tests.test_commenter_mailbox_limit import post_from_each_ip, sent_to


@pytest.fixture(autouse=True)
def _no_flood_interval(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


# Its rows restored after it (serialized_rollback), as the tests that commit after it expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_addresses_held_before_the_upgrade_count_their_inbox_too(article, comment_form_data):
    before = [("comments", "0018_privacy_mail_sent_at")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        # Mailed a confirmation a moment ago, by the code before the upgrade.
        held = executor.loader.project_state(before).apps.get_model("comments", "CommenterAddress")
        held.objects.create(email="v.ictim+1@gmail.com", confirmation_sent_at=timezone.now())
    finally:
        call_command("migrate", verbosity=0)  # the upgrade, as the deploy runs it

    post_from_each_ip(article, comment_form_data, ["victim@gmail.com"], notify="on")

    assert sent_to() == []


# Its rows restored after it (serialized_rollback), as the tests that commit after it expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_addresses_held_before_the_upgrade_count_their_new_spellings_too(
    article, comment_form_data
):
    before = [("comments", "0019_commenter_address_mailbox")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        # Mailed a confirmation a moment ago, by the code before the upgrade.
        held = executor.loader.project_state(before).apps.get_model("comments", "CommenterAddress")
        held.objects.create(
            email='"victim"@example.org',
            mailbox='"victim"@example.org',
            confirmation_sent_at=timezone.now(),
        )
    finally:
        call_command("migrate", verbosity=0)  # the upgrade, as the deploy runs it

    post_from_each_ip(article, comment_form_data, ["victim@example.org"], notify="on")

    assert sent_to() == []


# Its rows restored after it (serialized_rollback), as the tests that commit after it expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_long_unicode_inbox_keyed_by_its_start_before_the_upgrade_keeps_its_stop(
    article, comment_form_data
):
    domain = ".".join(["bücherwürmerübung"] * 10)
    before = [("comments", "0020_commenter_address_mailbox_spellings")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        # Stopped by its owner under the release that cut the key at 254 characters.
        held = executor.loader.project_state(before).apps.get_model("comments", "CommenterAddress")
        cut = f"reader@{punycode(domain)}.de"[:254]
        held.objects.create(
            email=f"reader@{domain}.de", mailbox=cut, mail_stopped_at=timezone.now()
        )
    finally:
        call_command("migrate", verbosity=0)  # the upgrade, as the deploy runs it

    # Another spelling of her inbox, and another inbox the cut key had taken for hers.
    addresses = [f"Reader+1@{domain}.de", f"reader@{domain}.com"]
    post_from_each_ip(article, comment_form_data, addresses, notify="on")

    assert sent_to() == [f"reader@{domain}.com"]
