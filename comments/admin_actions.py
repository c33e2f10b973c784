"""The comment list's bulk actions (approve, reject, spam, take down the ticked comments),
mixed into CommentAdmin: each decides only what the page showed, with the reason given."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.core.exceptions import BadRequest, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe

from comments.admin_decisions import DECISIONS
from comments.admin_kept import KEPT_BAR, keep_the_page, kept_ticks
from comments.admin_meanwhile import NAMED, changed_meanwhile, decided_by_others
from comments.admin_posted import card_reasons, seen_revisions, shown_statuses
from comments.admin_queue import current_queue
from comments.admin_undo import with_undo
from comments.admin_words import tell_left_waiting, unseen_text
from comments.bulk_take_down import take_down_ticked
from comments.models import Comment
from comments.posted_ids import posted_ids, shown_ids, ticked_ids
from comments.services import Decision, decide
from newsportal.wording import counted, left_alone, were


class ModerationActionForm(ActionForm):
    # No max_length: the admin's action form refused a longer reason as "No action selected.",
    # the ticks and the words gone, and the box's maxlength cut a paste without a word. The
    # services refuse it with its length, and the page comes back as it was (_or_tell_why).
    reason = forms.CharField(label="Reason (sent with rejections)", required=False)


# What the action bar's reason goes with, named by the list: in the Reported queue and the
# Approved list the comments are up, and the reason is a take-down's.
TAKE_DOWN_REASON = "Reason (sent with take-downs)"
TAKE_DOWN_LISTS = {"reported", Comment.Status.APPROVED}


BAR_REASON_FOR_REJECT = (
    "Nothing was approved: a reason for rejecting is typed beside the action. Choose “Reject "
    "selected comments” to send it, or clear the reason to approve them."
)


class BulkActions:
    """Mixed into CommentAdmin (its `actions` name these)."""

    def changelist_view(self, request, extra_context=None):
        ticked = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if len(posted_ids(ticked)) != len(ticked):
            # A tick no row of the page could have posted (the admin's action reads it as an
            # id: a server error past what the database binds, or not a number).
            raise BadRequest("A ticked comment's id is not one.")
        if _no_action_chosen(request):
            # Go pressed (or Enter in the bar's reason) with comments ticked and no action
            # chosen: the admin says "No action selected." and the page comes back as it was.
            keep_the_page(request)
        bar = request.session.pop(KEPT_BAR, {}) if request.method == "GET" else {}
        response = super().changelist_view(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("action_form")
        if form is not None and request.GET.get("status") in TAKE_DOWN_LISTS:
            form.fields["reason"].label = TAKE_DOWN_REASON
        if form is not None and bar:
            form.initial = {**form.initial, **bar}  # drawn with the response, after this
        return response

    def get_changelist_instance(self, request):
        cl = super().get_changelist_instance(request)
        ticked = kept_ticks(request)
        for comment in cl.result_list:
            # A bulk action sent back undone: the comments ticked are ticked again.
            comment.ticked = str(comment.pk) in ticked
        return cl

    def action_checkbox(self, obj):
        """The stock list's box (the queue's cards draw their own), ticked again."""
        box = super().action_checkbox(obj)
        if getattr(obj, "ticked", False):
            return mark_safe(box.replace('type="checkbox"', 'type="checkbox" checked', 1))
        return box

    def _or_tell_why(self, request, service, comments, **kwargs):
        """Run a moderation service with the reason from the action bar; a reason it refuses
        (too long) comes back to the moderator as a message, with nothing changed."""
        try:
            return service(
                comments, by=request.user, reason=request.POST.get("reason", ""), **kwargs
            )
        except ValidationError as exc:
            self._told_why(request, exc)
            return None

    def _told_why(self, request, exc):
        """A reason refused: said, nothing changed, and the page comes back as it was left."""
        self.message_user(request, " ".join(exc.messages), messages.ERROR)
        keep_the_page(request)

    def _decide_selected(self, request, queryset, decision):
        status, done = DECISIONS[decision]
        if decision == "approve" and request.POST.get("reason", "").strip():
            # The bar's reason was typed for a rejection: "Approve selected" chosen beside it
            # (the first action in the list) would publish what the moderator meant to refuse.
            self.message_user(request, BAR_REASON_FOR_REJECT, messages.ERROR)
            keep_the_page(request)
            return
        # Only the words the page showed are decided ("Select all" reaches comments it never
        # showed, and a ticked comment may have been edited since): each row posts its revision.
        seen = seen_revisions(request.POST)
        # Ticked rows the list no longer holds (another moderator decided them, or their author
        # deleted them, since the page was drawn): the action never sees them, so count them.
        ticked = ticked_ids(request.POST)
        missing = ticked - set(queryset.filter(pk__in=ticked).values_list("pk", flat=True))
        # (Still waiting, a row only left the list's filter or search: not decided by anyone.)
        gone = len(missing) - Comment.objects.pending().filter(pk__in=missing).count()
        # A card's own reason goes with it (typed, or a preset chosen): the bar's is for the
        # rest. Given for a rejection, it never lets "Approve selected" publish the comment.
        try:
            own = card_reasons(request.POST, ticked) if decision != "spam" else {}
        except ValidationError as exc:  # a preset chosen on a card, deleted since
            self._told_why(request, exc)
            return
        groups = {None: queryset.exclude(pk__in=list(own))}  # the bar's reason
        if decision == "reject":
            for reason in set(own.values()):
                groups[reason] = queryset.filter(pk__in=[pk for pk in own if own[pk] == reason])
        elif own:
            self.message_user(
                request,
                f"{counted(len(own), 'comment')} with a reason for rejecting {were(len(own))} left "
                "waiting: press "
                "Reject on them, or clear the reason to approve them.",
                messages.WARNING,
            )

        shown = shown_ids(request.POST)

        def decide_each(_, *, by, reason):
            # All or nothing: a reason refused for one card leaves every card as it was.
            with transaction.atomic():
                return [
                    decide(
                        comments,
                        status=status,
                        by=by,
                        seen=seen,
                        reason=given or reason,
                        on_page=shown,
                    )
                    for given, comments in groups.items()
                ]

        started = timezone.now()
        results = self._or_tell_why(request, decide_each, queryset)
        if results is None:
            return
        result = Decision(*map(sum, zip(*results, strict=True)))
        result = result._replace(lost=result.lost + gone)
        if result.decided:
            bar = request.POST.get("reason", "").strip()
            said = f" with the reason “{bar}”" if bar and decision == "reject" else ""
            if own and decision == "reject":
                said += " (those given a reason on their card, with theirs)"
            # Undone as a card's decision is: back in the queue, while it stands.
            ours = Comment.objects.filter(
                pk__in=list(seen), status=status, moderated_by=request.user
            ).filter(moderated_at__gte=started)
            text = f"{counted(result.decided, 'comment')} {done}{said}."
            pks = list(ours.values_list("pk", flat=True))
            self.message_user(
                request, with_undo(request, text, pks, decided=status), messages.SUCCESS
            )
        if result.lost:
            others = decided_by_others(ticked, by=request.user, since=started)
            self.message_user(
                request,
                f"{counted(result.lost, 'comment')} had already been decided"
                + (f" ({others})" if others else "")
                + f", or deleted by {'its author' if result.lost == 1 else 'their authors'}, and "
                + f"{left_alone(result.lost)}; "
                "to decide one "
                "again, put it back in the queue first.",
                messages.WARNING,
            )
        tell_left_waiting(self, request, result)

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._decide_selected(request, queryset, "approve")

    @admin.action(
        description="Reject selected comments (with the reason)", permissions=["moderate"]
    )
    def reject_selected(self, request, queryset):
        self._decide_selected(request, queryset, "reject")

    @admin.action(description="Mark selected comments as spam", permissions=["moderate"])
    def spam_selected(self, request, queryset):
        self._decide_selected(request, queryset, "spam")

    @admin.action(
        description="Take down selected published comments (with the reason)",
        permissions=["moderate"],
    )
    def take_down_selected(self, request, queryset):
        # Only the comments ticked on the page, at the revision it showed: "Select all" reaches
        # comments never read, and a ticked one edited since says words never read. One posted
        # without its revision was never shown (as `decide` takes it). The revisions are
        # checked by the service under its row locks: an edit landing now is never taken down.
        seen = seen_revisions(request.POST)
        ticked = ticked_ids(request.POST)
        listed = set(queryset.filter(pk__in=ticked).values_list("pk", flat=True))
        read = [pk for pk in listed if pk in seen]
        unseen = queryset.exclude(pk__in=read).count()
        # Where each stood on the page (its row says; a page drawn before rows said it, its
        # list, else as the list reads it now). One that has left the list since (hidden by
        # readers' reports, dismissed, decided by another) is read too, as it was shown: the
        # service says what became of it, and takes down what the moderator saw published.
        shown = shown_statuses(request, sorted(pk for pk in ticked if pk in seen))
        unsaid = [pk for pk in read if not shown[pk]]
        now = dict(Comment.objects.filter(pk__in=unsaid).values_list("pk", "status"))
        shown = {pk: was or now.get(pk, "") for pk, was in shown.items() if was or pk in now}
        # In the Reported queue, one whose reports another moderator answered meanwhile (their
        # Dismiss) is left as they decided, as a card's Take down leaves it.
        reported = current_queue(request) == "reported"

        started = timezone.now()
        on_page = shown_ids(request.POST)
        taken = self._or_tell_why(
            request, take_down_ticked, shown, seen=seen, reported=reported, on_page=on_page
        )
        if taken is None:
            return
        pks = []
        if taken.down:
            # Undone as a Reported card's take-down is: the ticked comments, with the replies
            # that came down with them.
            mine = Comment.objects.filter(
                pk__in=list(shown), taken_down_by=request.user, taken_down_at__gte=started
            )
            rows = list(mine.values_list("pk", "moderated_at", "taken_down_at"))
            pks = [pk for pk, _, _ in rows]
            # Told apart: "3 comments taken down" for one ticked read as two more taken by
            # mistake. (A hidden comment's replies were off the page already: it was rejected
            # as it came down. One put back up meanwhile came down with its replies.)
            up = [pk for pk, decided, down in rows if decided != down]
            replies = Comment.objects.filter(
                parent_id__in=up, taken_down_by=request.user, taken_down_at__gte=started
            ).count()
            said = f"{counted(len(pks), 'comment')} taken down"
            if replies:
                to = "it" if len(pks) == 1 else "them"
                said += f", with {counted(replies, 'published reply', 'published replies')} to {to}"
            if pks:
                self.message_user(request, with_undo(request, f"{said}.", pks), messages.SUCCESS)
            # A comment its author deleted stays as a placeholder, its replies under it: they
            # came down, it did not ("0 comments taken down." said nothing of them).
            # Undone as the others are: those replies up again under it.
            under, replies = _under_placeholders(
                set(shown) - set(pks), by=request.user, since=started
            )
            if replies:
                self.message_user(request, with_undo(request, under, replies), messages.SUCCESS)
        for comment in taken.hidden_since:
            self.message_user(request, HIDDEN_SINCE.format(name=comment.name), messages.INFO)
        if taken.not_published:
            told = taken.down or taken.changed or taken.edited or taken.gone
            text = not_published_text(taken.not_published) if told else NONE_PUBLISHED
            self.message_user(request, text, messages.WARNING)
        if taken.edited:
            self.message_user(request, edited_since_text(len(taken.edited)), messages.WARNING)
        # Ticked rows the list no longer holds (taken down or put back meanwhile, deleted by
        # their author, since the page was drawn), and those whose reports were answered.
        gone = ticked - listed - set(pks) - set(taken.edited)
        gone |= {*taken.answered, *taken.gone}
        if not reported:
            # Named below, with what was done to each and by whom: told once. (The Reported
            # queue says too that they left it.)
            gone -= {comment.pk for comment in taken.changed}
        if gone:
            self.message_user(request, left_the_list_text(len(gone)), messages.WARNING)
        for comment in taken.changed[:NAMED]:
            self.message_user(
                request, changed_meanwhile(comment, by=request.user), messages.WARNING
            )
        if len(taken.changed) > NAMED:
            more = len(taken.changed) - NAMED
            text = (
                f"{counted(more, 'more comment')} changed by others meanwhile {left_alone(more)}."
            )
            self.message_user(request, text, messages.WARNING)
        if unseen:
            self.message_user(request, unseen_text(unseen), messages.WARNING)


def _under_placeholders(pks, *, by, since) -> tuple[str, list[int]]:
    """What came down under the ticked comments their authors had deleted (placeholders, their
    names gone, kept for their published replies): "2 published replies to a comment its
    author deleted taken down.", and those replies."""
    replies = Comment.objects.filter(
        parent_id__in=pks,
        parent__withdrawn_at__isnull=False,
        taken_down_by=by,
        taken_down_at__gte=since,
    )
    rows = list(replies.values_list("pk", "parent_id"))
    if not rows:
        return "", []
    n, parents = len(rows), len({parent for _, parent in rows})
    whose = "a comment its author" if parents == 1 else "comments their authors"
    text = f"{counted(n, 'published reply', 'published replies')} to {whose} deleted taken down."
    return text, [pk for pk, _ in rows]


HIDDEN_SINCE = (
    "The comment by {name} was hidden by readers’ reports after your page showed it published: "
    "taken down all the same, its reports upheld."
)
NONE_PUBLISHED = "None of those comments was published."


def not_published_text(n):
    return f"{counted(n, 'comment')} ticked {were(n)} not published and {left_alone(n)}."


def left_the_list_text(n):
    it = "it" if n == 1 else "them"
    return (
        f"{counted(n, 'comment')} ticked had left this list since the page showed {it} "
        "(decided, taken down, put back in the queue or its reports answered by another "
        f"moderator meanwhile, or deleted by {'its' if n == 1 else 'their'} author) and "
        f"{left_alone(n)}."
    )


def edited_since_text(n):
    it = "it" if n == 1 else "them"
    return (
        f"{counted(n, 'comment')} edited by {'its' if n == 1 else 'their'} author since you read "
        f"{it} {left_alone(n)}: read {it} again."
    )


def _no_action_chosen(request) -> bool:
    post = request.POST
    return (
        request.method == "POST"
        and "index" in post
        and not post.get("action")
        and bool(post.getlist(ACTION_CHECKBOX_NAME))
    )
