"""What a moderator's page posts with a decision, read for the views that decide: the words each
row showed (its revision) and where it stood (its status), the reasons given on cards or in the
action bar, the boxes Enter was pressed in, and whether the queue's script asks for JSON."""

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html

from comments.admin_kept import given
from comments.admin_status import StatusFilter
from comments.models import Comment, RejectionReason
from comments.posted_ids import PLACEHOLDER, posted_id

NO_REVISION = -1  # what no row's revision is


def seen_revisions(post) -> dict[int, int]:
    """The comments a page showed, each at the revision shown: `seen-<pk>` = revision."""
    seen = {}
    for name, value in post.items():
        pk = posted_id(name.removeprefix("seen-"))
        if name.startswith("seen-") and pk is not None and value.isdecimal():
            # A revision past any row's names words the moderator never read: it matches none.
            seen[pk] = posted_id(value) if posted_id(value) is not None else NO_REVISION
    return seen


def as_shown(comment: Comment) -> str:
    """A table row's hidden fields: the revision of the words it shows, its status (where it
    stood: a bulk action acts on it only as it was shown, and says what changed meanwhile) and
    the moment of the decision it shows ("Back to the queue" undoes that decision, never one
    made again since, to the same status, by another). The queue's cards write theirs in
    templates/admin/comments/queue.html."""
    fields = format_html(
        '<input type="hidden" name="seen-{0}" value="{1}">'
        '<input type="hidden" name="status-{0}" value="{2}">'
        '<input type="hidden" name="decided-at-{0}" value="{3}">',
        comment.pk,
        comment.revision,
        comment.status,
        decision_moment(comment),
    )
    if comment.withdrawn_at:  # deleted before the page was drawn: shown_ids
        fields += format_html(
            '<input type="hidden" name="{}" value="1">', PLACEHOLDER + str(comment.pk)
        )
    return fields


def decision_moment(comment: Comment) -> str:
    """When the decision a page shows was made (its take-down, else its decision; "" for none),
    written to the microsecond: posted back as `decided-at-<pk>`."""
    moment = comment.taken_down_at or comment.moderated_at
    return moment.isoformat() if moment else ""


def posted_decision_moments(post, pks) -> dict:
    """{comment id: the moment of the decision its page showed (None: undecided)} for those
    whose page posted one (`decided-at-<pk>`); a page drawn before rows posted it says none."""
    moments = {}
    for pk in pks:
        posted = post.get(f"decided-at-{pk}")
        if posted is None:
            continue
        try:
            moment = parse_datetime(posted) if posted else None
        except ValueError:
            continue
        if posted and (moment is None or moment.tzinfo is None):
            continue
        moments[pk] = moment
    return moments


def shown_statuses(request, pks) -> dict[int, str]:
    """{comment id: the status the page showed it in}: its row's `status-<pk>`, else that of
    the list it was on (a page drawn before rows posted it); "" where neither says (the All
    list's, the Reported queue's)."""
    listed = request.GET.get(StatusFilter.parameter_name) or StatusFilter.default
    listed = listed if listed in Comment.Status.values else ""
    return {pk: posted_status(request.POST, pk) or listed for pk in pks}


def posted_status(post, pk) -> str:
    """The status a page showed this comment in (`status-<pk>`), or "" if it posted none."""
    posted = post.get(f"status-{pk}", "")
    return posted if posted in Comment.Status.values else ""


PRESET_GONE = (
    "The preset reason chosen was deleted meanwhile: nothing was done. Choose another, or type "
    "your own words."
)


class PresetGone(ValidationError):
    """PRESET_GONE, with the preset's id (`preset`): the queue's script takes it off the card."""

    def __init__(self, preset: int):
        super().__init__(PRESET_GONE)
        self.preset = preset


def card_reasons(post, pks, *, bar: bool = False) -> dict[int, str]:
    """{comment id: reason} of the comments given one (typed, else a preset chosen). A preset
    deleted since the page drew it (an administrator tidying the list) is refused: the
    comment would go with no reason at all, where its moderator chose one."""
    presets = dict(RejectionReason.objects.values_list("pk", "text"))
    reasons = {}
    for pk in pks:
        typed, preset = given(post, pk, bar=bar)
        if not typed and preset and int(preset) not in presets:
            raise PresetGone(int(preset))
        reason = typed or (presets[int(preset)] if preset else "")
        if reason:
            reasons[pk] = reason
    return reasons


def reasons_typed(request) -> dict[str, str]:
    """Without JavaScript, Enter in a card's reason box submits the list's form through its
    first button, the actions bar's "Go", with no action chosen: the moderator meant that
    card's Reject, with the words they typed. {comment id: words} of the boxes with words."""
    post = request.POST
    if request.method != "POST" or post.get("action") or "index" not in post:
        return {}
    return {
        pk: value.strip()
        for name, value in post.items()
        if (pk := name.removeprefix("reason-")) != name
        and posted_id(pk) is not None
        and value.strip()
    }


def wants_json(request) -> bool:
    # The queue's scripts (static/js/moderation*.js) ask for JSON; a plain form post does not.
    return "application/json" in request.headers.get("Accept", "")
