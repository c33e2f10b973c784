# Written by hand: keys the inbox of an address too long for the column in punycode by a hash of
# the whole, where 0020 (and the code with it) cut it, so that two inboxes could share a key.

import hashlib
import re

from django.db import migrations
from django.db.models.functions import Length
from django.utils.encoding import punycode

GMAIL_DOMAINS = ("gmail.com", "googlemail.com")
FASTMAIL_DOMAINS = ("fastmail.com", "fastmail.fm")


def mailbox_of(email):
    """comments.models.commenter.mailbox_of as it stood when this migration was written: a
    migration must not change with the app's code."""
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    if len(local) > 1 and local.startswith('"') and local.endswith('"'):
        local = re.sub(r"\\(.)", r"\1", local[1:-1])
    try:
        domain = punycode(domain).lower()
    except UnicodeError:
        domain = domain.lower()
    local = local.lower()
    local = local.split("+", 1)[0] or local
    if domain in GMAIL_DOMAINS:
        local, domain = local.replace(".", "") or local, GMAIL_DOMAINS[0]
    user, _, provider = domain.partition(".")
    if provider in FASTMAIL_DOMAINS and user:
        local, domain = user, provider
    mailbox = f"{local}@{domain}"
    if len(mailbox) <= 254:
        return mailbox
    return "sha256:" + hashlib.sha256(mailbox.encode()).hexdigest()


def key_long_mailboxes(apps, schema_editor):
    """Only a key the full 254 characters long can have been cut; an erased row (no @) keeps
    its own."""
    CommenterAddress = apps.get_model("comments", "CommenterAddress")
    rows = (
        CommenterAddress.objects.alias(length=Length("mailbox"))
        .filter(length=254, email__contains="@")
        .only("pk", "email", "mailbox")
    )
    changed = []
    for address in rows.order_by("pk").iterator(chunk_size=2000):
        mailbox = mailbox_of(address.email)
        if mailbox != address.mailbox:
            address.mailbox = mailbox
            changed.append(address)
    CommenterAddress.objects.bulk_update(changed, ["mailbox"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0020_commenter_address_mailbox_spellings"),
    ]

    operations = [
        migrations.RunPython(key_long_mailboxes, migrations.RunPython.noop, elidable=True),
    ]
