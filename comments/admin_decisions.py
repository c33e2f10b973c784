"""The comment admin's one-click views: a decision (approve, reject, spam) or a report's
outcome (take down, dismiss) posted from a queue card or a comment's page, answered in JSON to
the queue's scripts (moderation.js, and moderation-undo.js for Undo) and with a message and a
redirect to a plain form post. "Back to the queue" is comments.admin_requeue's; what the page
posted is read by comments.admin_posted."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from comments.admin_kept import KEPT_REASONS, given, keep_the_page, to_keep
from comments.admin_meanwhile import lost_text, reports_answered
from comments.admin_posted import (
    PresetGone,
    card_reasons,
    reasons_typed,
    seen_revisions,
    wants_json,
)
from comments.admin_queue import current_queue, highlight, policy_words
from comments.admin_undo import with_undo
from comments.admin_words import sentence, waiting_text
from comments.decision_words import decision_words
from comments.desk import (
    EditedMeanwhile,
    dismiss_reports,
    hidden_by_reports,
    take_down_reported,
)
from comments.emptied import ONLY_REJECTED_TEXT, answers_emptied_take_down
from comments.erased_named import NamesErased
from comments.models import Comment, Report
from comments.posted_ids import shown_ids
from comments.services import decide
from comments.versions import word_diff

DECISIONS = {
    "approve": (Comment.Status.APPROVED, "approved"),
    "reject": (Comment.Status.REJECTED, "rejected"),
    "spam": (Comment.Status.SPAM, "marked as spam"),
}

ONE_CLICK = [("approve", "Approve"), ("reject", "Reject"), ("spam", "Spam")]
TYPED_FOR_REJECT = (
    "You gave a reason for rejecting this comment, so it was not approved: press Reject to "
    "reject it with that reason, or clear the reason to approve it."
)
TYPED_FOR_TAKE_DOWN = (
    "Nothing was taken down: press Take down to send the reason you typed, or Dismiss to keep "
    "the comment up."
)
TYPED_ON_SEVERAL = (
    "You typed reasons on {} comments and pressed Enter: nothing was decided, and your words "
    "are kept. Press Reject on the comment you mean, or tick them and choose “Reject selected "
    "comments”: each goes with its own reason."
)


def decision_links(pk, names) -> list[tuple[str, str]]:
    return [(reverse(f"admin:comments_comment_{name}", args=[pk]), label) for name, label in names]


class DecisionViews:
    """Mixed into CommentAdmin (which routes the URLs to these views)."""

    def changelist_view(self, request, extra_context=None):
        typed = reasons_typed(request)
        if len(typed) > 1:
            # Enter in one of several cards' boxes, without JavaScript: which one is unknown.
            keep_the_page(request)
            self.message_user(request, TYPED_ON_SEVERAL.format(len(typed)), messages.WARNING)
            return HttpResponseRedirect(request.get_full_path())
        if request.method == "GET":
            # The words of the cards that Enter left undecided, back in their boxes.
            request.kept_reasons = request.session.pop(KEPT_REASONS, {})
        typed_in = next(iter(typed), None)
        if typed_in and self.has_moderate_permission(request):
            waiting = Comment.objects.pending().filter(pk=typed_in).first()
            reported = Report.objects.open().filter(comment_id=typed_in).exists()
            if (waiting and not hidden_by_reports(waiting)) or not reported:
                # The card's Reject (decided or deleted since the page was drawn: it says so).
                return self.decide_view(request, typed_in, "reject")
            # A reported card's box holds a take-down's reason: Enter there decides nothing (as
            # with JavaScript), and its words wait in the box for Take down.
            keep_the_page(request)
            self.message_user(request, TYPED_FOR_TAKE_DOWN, messages.WARNING)
            return HttpResponseRedirect(request.get_full_path())
        # The page's title says which list it is (the stock one: "Select comment to view").
        titles = {"pending": "Comments waiting for review", "reported": "Reported comments"}
        title = titles.get(current_queue(request), "Comments")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def _decidable(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            return _deleted_meanwhile(request)
        return comment

    def decide_view(self, request, object_id, decision):
        comment = self._decidable(request, object_id)
        if not isinstance(comment, Comment):
            return comment
        status, _ = DECISIONS[decision]
        typed, preset = given(request.POST, comment.pk, bar=True)
        if status == Comment.Status.APPROVED and (typed or preset):
            # A reason typed or chosen for a rejection never publishes the comment (Enter in
            # the reason box of a comment's page presses its first button, Approve; a
            # moderator may press Approve or `a` with words left in a card's box). It waits in
            # its boxes (kept in the moderator's session over the redirect) for Reject.
            if not wants_json(request):
                request.session[KEPT_REASONS] = {
                    str(comment.pk): to_keep(request.POST, comment.pk, bar=True)
                }
            return self._answer(
                request, comment, None, TYPED_FOR_REJECT, messages.ERROR, waits=True
            )
        seen = seen_revisions(request.POST)
        try:
            reason = self._reason(request, comment.pk) if status == Comment.Status.REJECTED else ""
            result = decide(
                [comment],
                status=status,
                by=request.user,
                reason=reason,
                seen=seen or None,
                on_page=shown_ids(request.POST),
            )
        except ValidationError as exc:
            return self._refused(request, comment, exc)
        if result.edited:
            return self._edited(request, comment)
        if result.decided:
            words = decision_words(status, reason)
            text = sentence(f"Comment by {comment.name}: {words}")
            if not wants_json(request):  # its page led on to the next: Undo goes with it
                text = with_undo(request, text, [comment.pk], decided=status)
            return self._answer(request, comment, status, text, messages.SUCCESS)
        if result.waiting:
            text = ONLY_REJECTED_TEXT if answers_emptied_take_down(comment) else waiting_text(1)
            return self._answer(request, comment, None, text, messages.WARNING, waits=True)
        return self._answer(request, comment, None, lost_text(comment), messages.WARNING)

    def _edited(self, request, comment):
        """Its author changed the words after the moderator read them: nothing decided. The
        script gets the new words to show in the card; a form post goes back to read them."""
        if not Comment.objects.filter(pk=comment.pk).exists():
            return _deleted_meanwhile(request)  # a row gone fails the words' check too
        text = f"The comment by {comment.name} was edited since you read it: read it again."
        if wants_json(request):
            comment.refresh_from_db(fields=["body", "revision", "held_because"])
            earlier = comment.versions.last()  # the text before the last edit
            edit = word_diff(earlier.body, comment.body, context=4) if earlier else ""
            return JsonResponse(
                {
                    "outcome": None,
                    "edited": True,
                    "message": text,
                    "body": comment.body,
                    # As the card draws them: links and the policy's words marked, and what
                    # the last edit changed.
                    "body_html": highlight(comment.body, policy_words()),
                    "edit_html": edit,
                    "revision": comment.revision,
                    # Why the new words are held (links, words): the card's list is of the old.
                    "held_because": comment.held_because,
                },
                status=409,
            )
        self.message_user(request, text, messages.WARNING)
        return HttpResponseRedirect(reverse("admin:comments_comment_change", args=[comment.pk]))

    def report_view(self, request, object_id, action):
        comment = self._decidable(request, object_id)
        if not isinstance(comment, Comment):
            return comment
        # Dismissing puts a hidden comment back up: never with words its author changed after
        # the moderator read them (nor is it taken down for words they never saw).
        seen = seen_revisions(request.POST).get(comment.pk)
        if seen is not None and seen != comment.revision:
            return self._edited(request, comment)
        if action == "dismiss":
            try:
                shown = None if seen is None else {comment.pk: seen}
                closed = dismiss_reports(comment=comment, by=request.user, seen=shown)
            except EditedMeanwhile:
                return self._edited(request, comment)
            comment.refresh_from_db(fields=["status"])
            # Edited by its author since, it waits for a decision on its new words.
            up = comment.status == Comment.Status.APPROVED
            where = "it stays up" if up else "it waits in the queue"
            reports = "1 report" if closed == 1 else f"{closed} reports"
            text = f"{reports} on the comment by {comment.name} dismissed: {where}."
            if not closed:
                text = reports_answered(comment)
            return self._answer(request, comment, "dismissed" if closed else None, text)
        try:
            # Checked again under its row lock: an edit landing now is not taken down unread.
            down = take_down_reported(
                comment=comment,
                by=request.user,
                reason=self._reason(request, comment.pk),
                seen=None if seen is None else {comment.pk: seen},
                on_page=shown_ids(request.POST),
            )
        except ValidationError as exc:
            return self._refused(request, comment, exc)
        except EditedMeanwhile:
            return self._edited(request, comment)
        text = f"Comment by {comment.name} taken down."
        if down and not wants_json(request):  # the queue's script offers its own Undo
            text = with_undo(request, text, [comment.pk])
        if down is None:
            text = reports_answered(comment)
        elif not down:
            text = f"The comment by {comment.name} was not published any more; reports closed."
        # Reported replies came down with it, their reports upheld: their cards close too.
        extra = {"with_it": _taken_down_with(comment, by=request.user)} if down else {}
        return self._answer(request, comment, "taken-down" if down else None, text, extra=extra)

    def _refused(self, request, comment, exc):
        """A reason refused (too long: pasted, or typed past the box's limit by a script;
        naming an erased address): nothing decided, and the words wait in their box for the
        moderator to shorten, kept in their session over the redirect as a reason typed for a
        rejection is (to_keep leaves an erased address out)."""
        if not wants_json(request):  # the queue's script keeps its card's words itself
            kept = {}
            if "action" in request.POST:
                # A card's button posts the whole list: its ticks and other cards' words too.
                keep_the_page(request)
                kept = request.session[KEPT_REASONS]
            pk = str(comment.pk)
            kept[pk] = {**kept.get(pk, {}), **to_keep(request.POST, comment.pk, bar=True)}
            request.session[KEPT_REASONS] = kept
        # Without the address, the card's box gets them back from the answer (moderation.js);
        # a preset deleted meanwhile leaves the card's choices (moderation-meanwhile.js).
        extra = {"reason": exc.kept} if isinstance(exc, NamesErased) else None
        if isinstance(exc, PresetGone):
            extra = {"preset_gone": exc.preset}
        text = " ".join(exc.messages)
        # Still to decide: the card opens again, its words in their box, to press again.
        return self._answer(request, comment, None, text, messages.ERROR, waits=True, extra=extra)

    def _reason(self, request, pk) -> str:
        """The reason given for this comment (its own box in the queue, or the action bar's),
        else the preset chosen for it."""
        return card_reasons(request.POST, [pk], bar=True).get(pk, "")

    def _answer(
        self, request, comment, outcome, text, level=messages.SUCCESS, waits=False, extra=None
    ):
        """JSON to the queue's script (`waits`: the card opens again, still to decide; `extra`:
        more for it); a plain form post gets the message and goes back, or, from a comment's
        page, on to the next."""
        if wants_json(request):
            answer = {"outcome": outcome, "message": text} | ({"waiting": True} if waits else {})
            answer |= extra or {}
            return JsonResponse(answer, status=200 if outcome else 409)
        self.message_user(request, text, level)
        if outcome and "_next_pending" in request.POST:
            filters = request.POST.get("_changelist_filters", "")
            nxt = self._next_waiting(request, comment, filters)
            kept = f"?{urlencode({'_changelist_filters': filters})}" if filters else ""
            if nxt:
                change = reverse("admin:comments_comment_change", args=[nxt])
                return HttpResponseRedirect(change + kept)
            listing = reverse("admin:comments_comment_changelist")
            return HttpResponseRedirect(f"{listing}?{filters}" if filters else listing)
        return HttpResponseRedirect(self._back(request))

    def _back(self, request):
        referer = request.headers.get("referer", "")
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return referer
        return reverse("admin:comments_comment_changelist")


def _taken_down_with(comment: Comment, *, by) -> list[int]:
    """The replies whose open reports this moderator's take-down of the comment upheld."""
    when = Comment.objects.filter(pk=comment.pk).values_list("taken_down_at", flat=True)
    upheld = Report.objects.filter(
        resolved_by=by, outcome=Report.Outcome.TAKEN_DOWN, resolved_at__in=when
    )
    return sorted(set(upheld.filter(comment__parent=comment).values_list("comment_id", flat=True)))


def _deleted_meanwhile(request):
    # Deleted (by its author, an erase, another moderator) since the page was drawn: told so.
    text = "That comment no longer exists: it was deleted meanwhile."
    if wants_json(request):
        return JsonResponse({"outcome": None, "message": text}, status=410)
    messages.warning(request, text)
    return HttpResponseRedirect(reverse("admin:comments_comment_changelist"))
