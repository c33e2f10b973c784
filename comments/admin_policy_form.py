"""The moderation policy's page, which knows what it was drawn with (comments.policy_services):
what another staffer saved since, or an erase hashed, is kept where this staffer left it as it
was, and a field both changed is refused, never saved over the other unread. Without it, a page
left open put every list back as it showed them: a blocked word added meanwhile gone, a word
taken out back in, an erased commenter's address back in clear."""

import json

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.text import capfirst

from articles.admin_forms import OpenedAsField
from articles.meanwhile import (
    fingerprint,
    opened_state,
    posted_rows,
    read_opened,
    renumbered,
    ticked_for_deletion,
)
from comments.erased_words import PRESET_NAMES_ERASED, presets_left_out
from comments.models import ERASED_PREFIX, ModerationPolicy, RejectionReason
from comments.policy_services import (
    GUARDED,
    REASON_FIELDS,
    REASONS,
    policy_edits_since,
    policy_values,
    reason_row,
)
from comments.screening import published_with

CHANGED_SINCE = "Changed by someone else since you opened this page"
# A new blocked word found in at least this many of the recent published comments, and in at
# least one in COMMON_SHARE of them, is too common to block (clean_blocked_words).
COMMON_MIN = 5
COMMON_SHARE = 10


class PolicyForm(forms.ModelForm):
    """ModerationPolicyAdmin's form. A post without opened_as (a script) saves as posted."""

    opened_as = OpenedAsField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened, self.kept, self.clashed, self.meanwhile = None, [], [], ""
        if not self.is_bound:
            self.fields["opened_as"].initial = opened_state(policy_values(self.instance))

    def clean_blocked_words(self):
        """A line new in this save that most comments would hold is refused: each new comment
        with it would go straight to spam, where no moderator looks (as a network too wide is,
        ModerationPolicy.clean). One saved before stays, so it never stops a later save.
        A list left as the page showed it holds no line of this save's, though another staffer
        took one out since: _post_clean keeps their list, so it is not judged (judged against
        the list as stored, a word they took out was refused as new, failing this staffer's
        unrelated change)."""
        value = self.cleaned_data["blocked_words"]
        opened = read_opened(self.data.get("opened_as"))
        if opened is not None and opened["seen"].get("blocked_words") == fingerprint(value):
            return value
        known = set(ModerationPolicy.lines(self.instance.blocked_words))
        new = [line for line in ModerationPolicy.lines(value) if line not in known]
        unseen = "every new comment with it would go straight to spam, unseen by moderators"
        for line in new:
            if len(line) == 1:
                raise ValidationError(f"“{line}” is a single character: {unseen}. Block a word.")
        found, looked = published_with(new) if new else ({}, 0)
        for line in new:
            if found[line] >= COMMON_MIN and found[line] * COMMON_SHARE >= looked:
                raise ValidationError(
                    f"“{line}” is in {found[line]} of the last {looked} published comments: "
                    f"{unseen}. Put it under moderation words to hold such comments for a look, "
                    "or block a longer phrase."
                )
        return value

    def _post_clean(self):
        super()._post_clean()
        self.opened = read_opened(self.data.get("opened_as"))
        if self.opened is None:
            return
        mine = {name: getattr(self.instance, name) for name in GUARDED if name in self.fields}
        self.kept, self.clashed = policy_edits_since(seen=self.opened["seen"], mine=mine)
        for name in self.kept:
            setattr(self.instance, name, mine[name])
        if not (self.kept or self.clashed):
            return
        self.meanwhile = said_meanwhile(self.opened, self.kept, self.clashed)
        for name in self.clashed:
            now = shown(getattr(ModerationPolicy.objects.get(pk=1), name))
            self.add_error(
                name,
                f"{CHANGED_SINCE}: it now reads “{now}”. Your version, below, was not saved: "
                "save again to put it in place of theirs.",
            )
        if self.clashed:
            self.add_error(None, f"Not saved: {self.meanwhile}")

    def shown_again(self, formsets) -> None:
        """Back with errors, the page shows what others changed where this staffer left it as
        it was (saved again, it would undo theirs), and counts as drawn now for what it shows
        as it is now: saved again, this staffer's changes replace theirs, knowingly. A field
        refused for itself (a line that is no address) keeps what it was drawn with, so that a
        change made meanwhile there is still caught once it is fixed."""
        if self.opened is None:
            return
        now = policy_values(ModerationPolicy.objects.filter(pk=1).first() or ModerationPolicy())
        data = self.data.copy()
        for name in self.kept:
            if isinstance(self.fields[name].widget, forms.CheckboxInput):
                data.setlist(name, ["on"] if now[name] else [])
            else:
                data[name] = "" if now[name] is None else str(now[name])
        told = {*self.kept, *self.clashed}
        if any(getattr(formset, "told", False) for formset in formsets):
            told.add(REASONS)
        state, seen = json.loads(opened_state(now)), self.opened["seen"]
        state["seen"] = {
            name: as_now if name in told or name not in seen else seen[name]
            for name, as_now in state["seen"].items()
        }
        data["opened_as"] = json.dumps(state)
        self.data = data


class ReasonFormSet(BaseInlineFormSet):
    """The preset rejection reasons, guarded as one whole: changed by someone else since the
    page was drawn and left as they were by this staffer, the rows posted back are taken as
    the reasons are now (posted as they were, they would put the old words back); changed by
    both, the save is refused, this staffer's rows shown to save again."""

    def __init__(self, data=None, *args, **kwargs):
        self.told = self.clashed = self.named_erased = False
        if data is not None:
            prefix = kwargs.get("prefix") or self.get_default_prefix()
            data, self.named_erased = presets_left_out(self._merged(data, prefix), prefix)
        super().__init__(data, *args, **kwargs)

    def _merged(self, data, prefix: str):
        opened = read_opened(data.get("opened_as"))
        posted = _posted_reasons(data, prefix)
        if opened is None or posted is None:
            return data  # posted without them (a script): saved as posted
        mine = {REASONS: posted}
        kept, clashed = policy_edits_since(seen=opened["seen"], mine=mine)
        self.told, self.clashed = bool(kept or clashed), bool(clashed)
        return _reasons_now(data, prefix) if kept else data

    def clean(self):
        super().clean()
        if self.named_erased:
            raise ValidationError(PRESET_NAMES_ERASED)
        if self.clashed:
            raise ValidationError(
                f"{CHANGED_SINCE}: the preset rejection reasons were changed, and yours were not "
                f"saved. They are now: {'; '.join(_listed())}. Save again to put yours in their "
                "place."
            )


def _listed() -> list[str]:
    return [f"{r.order}. {r.label}: {r.text}" for r in RejectionReason.objects.filter(policy_id=1)]


def _last(row: dict, name: str) -> str:
    return (row.get(name) or [""])[-1]


def _posted_reasons(data, prefix: str) -> tuple | None:
    """The saved reasons' rows as posted (reason_rows), those ticked for deletion left out.
    None: posted without the inline."""
    initial = str(data.get(f"{prefix}-INITIAL_FORMS", ""))
    if not initial.isdecimal():
        return None
    rows = posted_rows(data, prefix)[: int(initial)]
    fields = ("id", *REASON_FIELDS)
    kept = (row for row in rows if not ticked_for_deletion(row))
    return tuple(sorted(reason_row(*(_last(row, name) for name in fields)) for row in kept))


def _reasons_now(data, prefix: str):
    """`data` with the saved reasons' rows replaced by the reasons as they are now, in the
    inline's order; the new rows posted after them."""
    now = [
        {"id": [str(r.pk)], "policy": ["1"], **{f: [str(getattr(r, f))] for f in REASON_FIELDS}}
        for r in RejectionReason.objects.filter(policy_id=1)
    ]
    rows = now + posted_rows(data, prefix)[int(data[f"{prefix}-INITIAL_FORMS"]) :]
    return renumbered(data, prefix, rows, saved=len(now))


def shown(value) -> str:
    """A field's value as the page's messages say it: a list on one line, an erased address
    as what it is."""
    if isinstance(value, bool):
        return "ticked" if value else "unticked"
    if value is None or value == "":
        return "empty" if value == "" else "the site default"
    if isinstance(value, str):
        lines = [line.strip() for line in value.splitlines() if line.strip()]
        erased = "(an address erased at its owner’s request)"
        return ", ".join(erased if line.startswith(ERASED_PREFIX) else line for line in lines)
    return str(value)


def said_meanwhile(opened: dict, kept: list[str], clashed: list[str]) -> str:
    # Everyone who saved it since, each at their last save; an erase leaves no entry.
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ModerationPolicy),
        object_id="1",
        action_time__gt=opened["at"],
    ).select_related("user")
    last_saves = {entry.user: entry.action_time for entry in entries.order_by("action_time")}
    by = " and ".join(
        f"{user.get_full_name() or user.get_username()} at {timezone.localtime(at):%H:%M}"
        for user, at in last_saves.items()
    )
    what = ", ".join(
        _label(name) + (" (kept)" if name in kept else " (marked below)")
        for name in [*kept, *clashed]
    )
    by = f" by {by}" if by else ""
    return f"The moderation policy was changed since you opened this page{by}: {what}."


def _label(name: str) -> str:
    if name == REASONS:
        return "Preset rejection reasons"
    return capfirst(ModerationPolicy._meta.get_field(name).verbose_name)
