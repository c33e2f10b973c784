"""Write path for the moderation policy: it is on every article page (the comment form, closing
by age), so a save purges the site (newsportal.caching).

Its page in the admin is often open a while (a list of words is thought over), while another
staffer saves it or a commenter's erase turns their address in its block list into a keyed
hash: what the page was drawn with is guarded field by field, as a story's form is
(articles.meanwhile): a field only others changed keeps theirs, one both changed is refused
(comments.admin_policy_form)."""

from django.db import transaction

from articles.meanwhile import merge
from comments.models import ERASED_PREFIX, ModerationPolicy, RejectionReason, erased_emails
from newsportal.caching import SITE, purge
from newsportal.text import as_a_form_posts

# Every field of the policy's row its page writes.
GUARDED = (
    "link_limit",
    "moderation_words",
    "blocked_words",
    "blocked_emails",
    "blocked_ips",
    "auto_approve_returning",
    "publish_clean_edits",
    "close_after_days",
    "hide_after_reports",
)
# The preset rejection reasons, the page's inline, guarded as one whole.
REASONS = "rejection_reasons"
REASON_FIELDS = ("order", "label", "text")


def update_policy(*, policy: ModerationPolicy) -> ModerationPolicy:
    """Save the moderation policy. Closing comments by age changes every article page's form,
    so every shared page is dropped. An address its owner erased stays a keyed hash: a list
    written before the erase (a page left open, a script) cannot put it back in clear."""
    with transaction.atomic():
        stored = locked_policy()
        policy.blocked_emails = _erased_kept_erased(policy.blocked_emails, stored.blocked_emails)
        # Its one row (locked_policy wrote it first if need be) is the row save() writes: no
        # other one for "already exists" to mean.
        policy.full_clean(validate_unique=False)
        policy.save()
    purge(SITE)
    return policy


def policy_edits_since(*, seen: dict, mine: dict) -> tuple[list[str], list[str]]:
    """For the policy's page, before it saves: of what it writes (`mine`, by name: GUARDED, and
    REASONS as reason_rows), what others changed since it was drawn (`seen`, fingerprints as
    articles.meanwhile.opened_state makes them), now theirs in `mine` (kept), and what both
    changed (clashed). The row stays locked to the end of the transaction, so the save that
    follows (update_policy, the reasons' inline) finds the same."""
    stored = policy_values(locked_policy(), reasons=REASONS in mine)
    return merge(mine, stored, seen)


def locked_policy() -> ModerationPolicy:
    """The policy's row, locked to the end of the transaction; written with its defaults first
    when staff never saved it, so that a first save by two staffers at once has a row to wait
    on (neither has one to overwrite)."""
    rows = ModerationPolicy.objects.select_for_update().filter(pk=1)
    policy = rows.first()
    if policy is None:
        ModerationPolicy.objects.bulk_create([ModerationPolicy(pk=1)], ignore_conflicts=True)
        policy = rows.get()
    return policy


def policy_values(policy: ModerationPolicy, *, reasons: bool = True) -> dict:
    """What the policy's page shows and writes, by name, as stored."""
    values = {name: getattr(policy, name) for name in GUARDED}
    if reasons:
        values[REASONS] = reason_rows(RejectionReason.objects.filter(policy_id=1))
    return values


def reason_rows(reasons) -> tuple:
    """The preset reasons as their rows show them, a browser posting them back: id, then fields."""
    return tuple(sorted(reason_row(r.pk, *(getattr(r, f) for f in REASON_FIELDS)) for r in reasons))


def reason_row(*values) -> tuple[str, ...]:
    return tuple(as_a_form_posts("" if value is None else str(value)) for value in values)


def _erased_kept_erased(lines: str, stored: str) -> str:
    hashed = {
        line.strip() for line in stored.splitlines() if line.strip().startswith(ERASED_PREFIX)
    }
    if not hashed:
        return lines

    def kept(line: str) -> str:
        address = line.strip().lower()
        if not address or address.startswith(("@", ERASED_PREFIX)):
            return line
        return next((h for h in erased_emails(address) if h in hashed), line)

    return "\n".join(kept(line) for line in lines.splitlines())
