"""The bulk actions each list offers, and the lists' own: the Reported queue's "Dismiss reports
on selected" (each ticked comment's reports closed as its card's Dismiss closes them, at the
revision the page showed) beside "Take down selected", and the Spam list's "Not spam: approve
selected"; mixed into CommentAdmin."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from comments.admin_actions import edited_since_text
from comments.admin_kept import keep_the_page
from comments.admin_meanwhile import NAMED, decided_by_others, reports_decided_meanwhile
from comments.admin_posted import seen_revisions
from comments.admin_status import StatusFilter
from comments.admin_undo import with_dismissal_undo, with_undo
from comments.admin_words import tell_left_waiting, unseen_text
from comments.desk import EditedMeanwhile, dismiss_reports
from comments.dismiss_undo import dismissed_token
from comments.emptied import EMPTIED, emptied_text
from comments.models import Comment
from comments.not_spam import approve_spam
from comments.posted_ids import ticked_ids
from newsportal.wording import counted, left_alone, were

# What each list offers besides Django's delete ("All": every action but these lists' own). A
# decision on a comment decided already found it so ("put it back in the queue first") and did
# nothing, as a return to the queue of one still in it did. The queue keeps the take-down: a
# comment hidden by its reports waits there.
LIST_ACTIONS = {
    Comment.Status.PENDING: [
        "approve_selected",
        "reject_selected",
        "spam_selected",
        "take_down_selected",
    ],
    Comment.Status.APPROVED: ["take_down_selected", "requeue_selected"],
    Comment.Status.REJECTED: ["requeue_selected"],
    Comment.Status.SPAM: ["not_spam_selected", "requeue_selected"],
    # Up, or hidden by their reports.
    "reported": ["take_down_selected", "dismiss_reports_selected"],
}
OWN_ACTIONS = {"dismiss_reports_selected", "not_spam_selected"}

BAR_REASON_FOR_TAKE_DOWN = (
    "Nothing was dismissed: a reason for taking down is typed beside the action. Choose “Take "
    "down selected published comments” to send it, or clear the reason to dismiss the reports."
)


class ListActions:
    """Mixed into CommentAdmin before BulkActions."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        listed = request.GET.get(StatusFilter.parameter_name) or StatusFilter.default
        offered = LIST_ACTIONS.get(listed)
        if offered is None:
            return {name: a for name, a in actions.items() if name not in OWN_ACTIONS}
        return {name: a for name, a in actions.items() if name in [*offered, "delete_selected"]}

    @admin.action(
        description="Dismiss reports on selected comments (they stay up)",
        permissions=["moderate"],
    )
    def dismiss_reports_selected(self, request, queryset):
        if request.POST.get("reason", "").strip():
            # Typed for a take-down (the bar says so in this queue): never dismissed instead.
            self.message_user(request, BAR_REASON_FOR_TAKE_DOWN, messages.ERROR)
            keep_the_page(request)
            return
        # Only the comments ticked on the page, at the revision it showed ("Select all" reaches
        # comments never read; one edited since says words never read), as a card's Dismiss.
        seen = seen_revisions(request.POST)
        ticked = ticked_ids(request.POST)
        read = sorted(pk for pk in ticked if pk in seen)
        unseen = queryset.exclude(pk__in=read).count()
        # One that left the queue since (its reports answered by another) is read too: said.
        comments = Comment.objects.filter(pk__in=read).only("pk", "name", "revision")
        dismissed, answered, edited = [], [], 0
        started = timezone.now()
        with transaction.atomic():  # as every bulk action: a failure midway leaves them all
            # Every Dismiss's rows at once, in pk order, as "Take down selected" takes them: one
            # at a time, each comment's thread locked in turn, could cross another's order.
            parents = Comment.objects.filter(pk__in=read).values("parent_id")
            threads = Q(pk__in=read) | Q(parent_id__in=read) | Q(pk__in=parents)
            Comment.objects.filter(threads).lock_rows()
            # Their stories' count rows too, in pk order: each hidden comment comes back up
            # through its own decision, which would lock its story in the comments' order and
            # cross a bulk approval across the same stories.
            Comment.objects.filter(pk__in=read).lock_stories()
            for comment in comments.order_by("pk"):
                try:
                    closed = dismiss_reports(comment=comment, by=request.user, seen=seen)
                except EditedMeanwhile:
                    edited += 1
                    continue
                (dismissed if closed else answered).append(comment)
        if dismissed:
            # Undone as a card's Dismiss is: the reports open again, hidden comments hidden.
            token = dismissed_token([c.pk for c in dismissed], by=request.user, since=started)
            text = with_dismissal_undo(request, _dismissed_text(dismissed), token)
            self.message_user(request, text, messages.SUCCESS)
        said = reports_decided_meanwhile([c.pk for c in answered], by=request.user)
        for comment in answered[:NAMED]:
            text = f"The comment by {comment.name}: {said[str(comment.pk)]}"
            self.message_user(request, f"{text} That decision stands.", messages.WARNING)
        if len(answered) > NAMED:
            more = len(answered) - NAMED
            text = f"{counted(more, 'more comment')} whose reports others answered meanwhile"
            text += f" {left_alone(more)}."
            self.message_user(request, text, messages.WARNING)
        if edited:
            self.message_user(request, edited_since_text(edited), messages.WARNING)
        gone = len(read) - len(dismissed) - len(answered) - edited
        if gone:
            text = f"{counted(gone, 'comment')} {were(gone)} deleted meanwhile: nothing to dismiss."
            self.message_user(request, text, messages.WARNING)
        if unseen:
            self.message_user(request, unseen_text(unseen), messages.WARNING)

    @admin.action(description="Not spam: approve selected comments", permissions=["moderate"])
    def not_spam_selected(self, request, queryset):
        # Only the comments ticked on the page, at the revision it showed, as any decision
        # ("Select all" reaches comments never read). One decided again since has left the
        # list: read too, and said.
        seen = seen_revisions(request.POST)
        ticked = ticked_ids(request.POST)
        read = sorted(pk for pk in ticked if pk in seen)
        unseen = queryset.exclude(pk__in=read).count()
        # Emptied by the prune: never published again (return_to_queue refuses it too).
        emptied = set(Comment.objects.filter(EMPTIED, pk__in=read).values_list("pk", flat=True))
        if emptied:
            read = [pk for pk in read if pk not in emptied]
            self.message_user(request, emptied_text(len(emptied)), messages.ERROR)
        started = timezone.now()
        result, as_spam = approve_spam(read, by=request.user, seen=seen)
        result = result._replace(unseen=unseen)
        if result.decided:
            ours = Comment.objects.filter(
                pk__in=read, moderated_by=request.user, moderated_at__gte=started
            ).filter(status=Comment.Status.APPROVED)
            text = f"{counted(result.decided, 'comment')} approved: not spam after all."
            pks = list(ours.values_list("pk", flat=True))
            text = with_undo(request, text, pks, decided=Comment.Status.APPROVED, as_spam=as_spam)
            self.message_user(request, text, messages.SUCCESS)
        if result.lost:
            others = decided_by_others(ticked, by=request.user, since=started)
            text = (
                f"{counted(result.lost, 'comment')} {were(result.lost)} no longer spam, decided "
                "again or deleted meanwhile" + (f" ({others})" if others else "")
            )
            self.message_user(request, f"{text}, and {left_alone(result.lost)}.", messages.WARNING)
        tell_left_waiting(self, request, result)


def _dismissed_text(comments) -> str:
    """ "Reports on 3 comments dismissed: they are up." One hidden by its reports is up again;
    one its author edited since it was hidden waits in the queue for its new words."""
    rows = Comment.objects.filter(pk__in=[c.pk for c in comments]).values("status")
    statuses = {row["status"]: row["n"] for row in rows.annotate(n=Count("pk")).order_by()}
    up, n = statuses.get(Comment.Status.APPROVED, 0), len(comments)
    if up == n:
        where = "it is up" if n == 1 else "they are up"
    elif not up:
        where = "it waits in the queue" if n == 1 else "they wait in the queue"
    else:
        where = f"{up} up, {n - up} waiting in the queue"
    return f"Reports on {counted(n, 'comment')} dismissed: {where}."
