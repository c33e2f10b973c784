"""Write paths for comments: a reader submits, a moderator decides."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from articles.models import Article
from comments.audit import record
from comments.batching import batches
from comments.closing import comments_open
from comments.decision_words import decision_message
from comments.emptied import EMPTIED
from comments.mail import drop_queued
from comments.models import NOT_REPLIABLE, Comment, ModerationPolicy, Report
from comments.moderator_mail import notify_moderators_on_commit
from comments.notifications import note_mail_wishes, notify_commenters, notify_subscribers
from comments.querysets import PUBLISHABLE_UNDER
from comments.report_answers import (
    REPLY_TAKEN_DOWN,
    REPLY_UNDER_DELETED,
    answer_reports,
    came_down_with_parent,
    take_down_replies,
)
from comments.screening import screen
from comments.typed_reasons import clean_reason
from newsportal.caching import LISTS, article_key, purge

DECIDABLE = {Comment.Status.APPROVED, Comment.Status.REJECTED, Comment.Status.SPAM}
# Why a published comment went back to the queue (comments.desk: readers' reports hid it).
HIDDEN_BY_REPORTS = "hidden after {n} reader reports"
HIDDEN_BY_REPORTS_START = HIDDEN_BY_REPORTS.split("{")[0]
# Why an auto-approved reply waits: what it answers left the page as it was sent.
ANSWERED_GONE = "the comment it answers left the page as it was sent"


def submit_comment(
    *,
    article: Article,
    parent: Comment | None = None,
    name: str,
    email: str,
    body: str,
    ip: str | None,
    notify: bool,
    notify_reply: bool = False,
    user=None,
    written_before: Iterable[int] = (),
) -> Comment:
    policy = ModerationPolicy.current()
    if not comments_open(article, policy):
        raise ValidationError("Comments are closed on this article.")
    comment = Comment(
        article=article,
        parent=parent,
        name=name.strip(),
        email=email.strip().lower(),
        body=body.strip(),
        ip_address=ip,
        notify_on_decision=notify,
        user=user if user is not None and user.is_authenticated else None,
        from_newsroom=user is not None and user.is_authenticated and user.is_staff,
    )
    comment.status, comment.held_because = screen(comment, policy, written_before)
    if comment.status != Comment.Status.PENDING:
        comment.moderated_at = timezone.now()  # decided by the screen, not by a person
    comment.full_clean()
    try:
        with transaction.atomic():
            # The comment answered first, before the story's count (as a take-down locks them)
            # and the address (as a Delete or an Erase): the other way round each waited for the
            # other. One off the page meanwhile leaves an approved reply waiting; one deleted
            # refuses a held reply here (an approved one at its commit, below).
            answers = comment.parent_id
            if answers is not None and comment.status == Comment.Status.APPROVED:
                if not Comment.objects.lock_if_repliable(article, answers):
                    comment.status, comment.moderated_at = Comment.Status.PENDING, None
                    comment.held_because = [ANSWERED_GONE]
            elif answers is not None and not Comment.objects.hold_answered(answers):
                raise ValidationError({"parent": NOT_REPLIABLE})
            comment.save()
            if comment.status == Comment.Status.APPROVED:
                move_approved_counts({article.pk: 1})
                notify_subscribers([comment.pk])
            # Mail is queued with the comment (comments.mail): sent by the worker, never lost.
            note_mail_wishes(comment, notify_reply=notify_reply, written_before=written_before)
            if comment.status == Comment.Status.PENDING:
                notify_moderators_on_commit()
    except IntegrityError:
        # Its comment deleted meanwhile: the deferred FK failed at commit, all rolled back.
        if comment.parent_id is None or Comment.objects.filter(pk=comment.parent_id).exists():
            raise
        raise ValidationError({"parent": NOT_REPLIABLE}) from None
    return comment


def move_approved_counts(changes: dict[int, int], *, shown: Iterable[int] = ()) -> None:
    """Move the articles' approved counts, and show readers the change: the article's pages
    and comment list, and the lists (which print the counts), are purged. `shown`: articles
    whose published comments changed whatever their count did (one gone and a reply back under
    a placeholder add up to nothing)."""
    touched = sorted(article_id for article_id, delta in changes.items() if delta)
    # A batch of stories a statement (comments.batching), each named twice (its lock, its
    # change) with its change: an erase across 500 stories went past SQLite's 999 before 3.32.
    for batch in batches(touched, per_row=3):
        _move_counts(batch, changes)
    keys = [article_key(pk) for pk in dict.fromkeys([*touched, *shown])]
    if keys:
        purge(*keys, *([LISTS] if touched else []))


def _move_counts(touched: list[int], changes: dict[int, int]) -> None:
    # One UPDATE a batch however many sizes of change (an erase of a prolific commenter's
    # comments, a bulk decision, moves hundreds), its rows locked first in pk order (the
    # batches come in pk order too): two take-downs across the same stories at once lock them
    # in the same order, so neither waits on the other crosswise (a deadlock on PostgreSQL,
    # one of them refused). FOR NO KEY UPDATE, as the UPDATE alone would take: a reply
    # committing meanwhile holds its story FOR KEY SHARE (the deferred FK check) while it
    # waits for the comment it answers, which a take-down holds; FOR UPDATE would wait for it,
    # each for the other.
    in_order = Article.objects.filter(pk__in=touched).order_by("pk")
    in_order = in_order.select_for_update(no_key=True)
    by_delta = defaultdict(list)
    for article_id in touched:
        by_delta[changes[article_id]].append(article_id)
    moved = Case(
        *[When(pk__in=ids, then=Value(delta)) for delta, ids in by_delta.items()],
        output_field=IntegerField(),
    )
    with transaction.atomic(savepoint=False):
        Article.objects.filter(pk__in=in_order.values("pk")).update(
            approved_comment_count=F("approved_comment_count") + moved
        )


def _pks(comments) -> list[int]:
    if isinstance(comments, QuerySet):
        return list(comments.values_list("pk", flat=True))
    return [comment.pk for comment in comments]


class Decision(NamedTuple):
    decided: int  # by us
    lost: int  # someone else had decided them already
    waiting: int  # replies left pending: their comment is not published (yet)
    edited: int = 0  # left pending: their author changed them after the moderator read them
    unseen: int = 0  # left pending: never shown to the moderator ("Select all", new since)


def _as_read(seen: dict[int, int], pks: list[int]) -> Q:
    """The comments still at the revision the moderator read (one they never saw: none)."""
    read = Q(pk__in=[])
    for pk in pks:
        if pk in seen:
            read |= Q(pk=pk, revision=seen[pk])
    return read


def decide(comments, *, status: str, by, reason: str = "", seen=None, on_page=()) -> Decision:
    """Approve, reject or mark as spam.

    One conditional UPDATE (status still pending), so when two moderators act at once exactly
    one decision lands and the other learns it lost; the articles' approved counts move in the
    same transaction. A reply is only published where readers see replies (PUBLISHABLE_UNDER), so
    approving one whose comment waits again, or was taken down, leaves it waiting.

    `seen` ({pk: revision}) is what the moderator read: the UPDATE also asks for that revision,
    so a comment its author edited since (or one they were never shown) stays pending.
    A rejection's reason is refused, nothing decided, when too long or naming an erased
    address (comments.typed_reasons; `on_page`: the comments the moderator's page showed).
    """
    if status not in DECIDABLE:
        raise ValueError(f"not a decision: {status!r}")
    rejecting = status == Comment.Status.REJECTED
    reason = clean_reason(reason, on_page=on_page) if rejecting else ""
    all_pks = _pks(comments)
    now = timezone.now()
    values = {"status": status, "moderated_by": by, "moderated_at": now, "rejection_reason": reason}
    waiting = 0
    with transaction.atomic():
        if status == Comment.Status.APPROVED:
            # A comment coming off the page meanwhile (taken down, edited, back in the queue)
            # holds its row until it is done: wait for it, so its replies' UPDATE below reads
            # where it ended up, not the snapshot from before (the reply would go up unseen).
            replies = Comment.objects.filter(pk__in=all_pks, parent__isnull=False)
            Comment.objects.filter(pk__in=replies.values("parent_id")).lock_rows()
        pending = Comment.objects.filter(
            pk__in=all_pks, status=Comment.Status.PENDING, withdrawn_at__isnull=True
        )
        if seen is not None:
            pending = pending.filter(_as_read(seen, all_pks))
        # Ours are the rows carrying our name and our timestamp.
        ours = Comment.objects.filter(pk__in=all_pks, moderated_by=by, moderated_at=now)
        # Published replies a comment hid while it waited again (edited by its author, hidden
        # by reports) come back with it, into the count too: under it approved, under its
        # placeholder rejected or spam (querysets.REMOVED), never off the site for good.
        uncovered = Comment.objects.filter(parent__in=ours, status=Comment.Status.APPROVED)
        if status == Comment.Status.APPROVED:
            # Comments first, so a reply approved together with its comment goes up too.
            pending.filter(parent__isnull=True).update(**values)
            shown_again = Counter(uncovered.values_list("article_id", flat=True))
            pending.filter(PUBLISHABLE_UNDER).update(**values)
        else:
            pending.update(**values)
        # Per article from our rows, not per article's UPDATE: one query for fifty stories.
        changes = Counter(ours.values_list("article_id", flat=True))
        if status == Comment.Status.APPROVED:
            move_approved_counts(changes + shown_again)
        left = Comment.objects.filter(pk__in=all_pks, status=Comment.Status.PENDING)
        left = dict(left.values_list("pk", "revision"))
        shown = {} if seen is None else {pk: rev for pk, rev in left.items() if pk in seen}
        edited = sum(seen[pk] != rev for pk, rev in shown.items())
        unseen = 0 if seen is None else len(left) - len(shown)
        if status == Comment.Status.APPROVED:
            waiting = len(left) - edited - unseen
        decided = sum(changes.values())
        # Read inside the transaction: once it commits, nothing here may fail and hide that
        # we won.
        if decided:
            record(by, ours.only("pk", "name"), decision_message(status, reason))
            answer_reports(ours, status=status, by=by, now=now, reason=reason)
        if decided and status != Comment.Status.APPROVED:
            # After the reports: those it upheld took the replies down, as a take-down does.
            move_approved_counts(Counter(uncovered.values_list("article_id", flat=True)))
        if decided and status != Comment.Status.SPAM:
            # Queued in this transaction: the mail server is never waited on here.
            notify_commenters(ours.filter(notify_on_decision=True).values_list("pk", flat=True))
        if decided and status == Comment.Status.APPROVED:
            notify_subscribers(ours.filter(parent__isnull=False).values_list("pk", flat=True))
    lost = len(all_pks) - decided - waiting - edited - unseen
    return Decision(decided, lost, waiting, edited, unseen)


def return_to_queue(
    comments,
    *,
    by,
    undoing: str | None = None,
    shown: dict[int, str] | None = None,
    decided_at: dict | None = None,
) -> int:
    """Undo decisions (a key pressed by mistake, second thoughts): decided comments wait in the
    queue again, undecided. One that was published leaves the page, its published replies
    with it (they come back when it is approved again), and the counts move. Logged. Returns
    how many went back.

    `undoing`: the decision (a status) `by` made and now undoes (the queue card's Undo): a
    comment goes back only while that decision stands. One decided again since, by another
    moderator, keeps their decision: it is theirs to undo.

    `shown` ({pk: status}): where the moderator's page showed each (a comment missing there:
    anywhere decided). One that stands elsewhere now, read under its row lock (put back up by
    an Undo of its take-down, decided again, back in the queue), keeps what was done to it.
    `decided_at` ({pk: when}): when the decision the page showed was made (its take-down, else
    its decision): one decided again since to the same status (taken down again after an Undo,
    rejected again after another's "Back to the queue") keeps that decision too."""
    pks = _pks(comments)
    with transaction.atomic():
        thread = Q(pk__in=pks) | Q(parent_id__in=pks)
        Comment.objects.filter(thread).lock_rows()
        # Each article's change is what readers see after less what they saw before, read for
        # all articles at once: the same queries for fifty stories as for one. Read by the
        # thread's filter, not the rows locked: a reply sent while the locks waited on the
        # comment it answers (submit_comment locks that first) is in, and its count moves too.
        counted = Comment.objects.counted().filter(thread)
        changes = Counter()
        changes.subtract(counted.values_list("article_id", flat=True))
        decided = Comment.objects.filter(pk__in=pks, status__in=DECIDABLE, withdrawn_at=None)
        # Emptied by the prune: approved again, it would be an empty comment on the site.
        decided = decided.exclude(EMPTIED)
        # A reply that came down with its comment comes back with it (put_back below), never
        # alone: up under a comment still down, it would be "published" and seen nowhere. (One
        # under a comment its author deleted came down alone: it goes back alone.)
        decided = decided.exclude(came_down_with_parent())
        if undoing is not None:
            # Read under the row locks above: no decision slips in between.
            decided = decided.filter(status=undoing, moderated_by=by)
        if shown:
            as_shown = Q(pk__in=[pk for pk in pks if pk not in shown])
            for status in set(shown.values()):
                as_shown |= Q(pk__in=[pk for pk, s in shown.items() if s == status], status=status)
            decided = decided.filter(as_shown)
        ids = list(decided.values_list("pk", flat=True))
        if decided_at:
            ids = _as_decided_then(ids, decided_at)
        spam = list(
            decided.filter(pk__in=ids, status=Comment.Status.SPAM).values_list("pk", flat=True)
        )
        # Replies taken down only because of their comment hang on it again: hidden while it waits,
        # back on the page (and in the count) when it is approved.
        put_back = Comment.objects.filter(
            parent_id__in=ids,
            status=Comment.Status.REJECTED,
            rejection_reason=REPLY_TAKEN_DOWN,
            withdrawn_at=None,
        )
        # Their "taken down" mail, if still waiting, would be drawn as "published" now.
        drop_queued("decision", *put_back.values_list("pk", flat=True))
        put_back.mark_put_back()
        back = Comment.objects.filter(pk__in=ids).mark_undecided()
        changes.update(counted.values_list("article_id", flat=True))
        if ids:
            back_again = Comment.objects.filter(pk__in=ids).only("pk", "name", "held_because")
            record(by, back_again, "Back to the queue")
            _forget_hiding(back_again)
        move_approved_counts(changes)
        # After the stories' count rows: claiming an address first met the writer's post
        # published at once on one of them (its story, then its address) crosswise.
        for comment in Comment.objects.filter(pk__in=spam):
            # Spam asked for no mail when it came in (a spammer must not mail anyone): a
            # moderator's "not spam" lets its decision mail be asked for, as at posting.
            note_mail_wishes(comment, notify_reply=False)
    return back


def _as_decided_then(ids: list[int], decided_at: dict) -> list[int]:
    """Those of `ids` whose decision stands as made when the page showed it (read under their
    row locks): its take-down, else its decision, at the moment posted (one not posted: any)."""
    rows = Comment.objects.filter(pk__in=ids).values_list("pk", "taken_down_at", "moderated_at")
    changed = {
        pk for pk, down, made in rows if pk in decided_at and decided_at[pk] != (down or made)
    }
    return [pk for pk in ids if pk not in changed]


def _forget_hiding(comments) -> None:
    """Back in the queue by a moderator's hand, not hidden by readers' reports (any more): an
    old "hidden after N reader reports" would have it decided as a report."""
    for comment in comments:
        kept = [r for r in comment.held_because if not r.startswith(HIDDEN_BY_REPORTS_START)]
        if kept != comment.held_because:
            Comment.objects.filter(pk=comment.pk).update(held_because=kept)


def approve(*, comment: Comment, by) -> bool:
    return decide([comment], status=Comment.Status.APPROVED, by=by).decided == 1


def reject(*, comment: Comment, by, reason: str = "") -> bool:
    return decide([comment], status=Comment.Status.REJECTED, by=by, reason=reason).decided == 1


def mark_spam(*, comment: Comment, by) -> bool:
    return decide([comment], status=Comment.Status.SPAM, by=by).decided == 1


def take_down(
    comments, *, by, reason: str = "", seen: dict[int, int] | None = None, on_page=()
) -> int:
    """Unpublish approved comments (second thoughts, or a complaint), with their approved
    replies, which cannot stand without them. Like a decision: what is still up comes down
    (a comment back in the queue, edited or hidden by reports, is decided there and keeps its
    replies), the counts move in the same transaction, pages follow at once.

    The comments and their replies are locked first, so an edit or a report that hides one
    meanwhile waits, and nothing leaves the count twice. `seen` as for `decide`, read under
    those locks: a comment edited since (or never shown) stays up. Its reason as decide's
    (`on_page` too). Returns how many came down."""
    reason = clean_reason(reason, on_page=on_page)
    pks = _pks(comments)
    now = timezone.now()
    ours = Comment.objects.filter(taken_down_by=by, taken_down_at=now)
    with transaction.atomic():
        family = Comment.objects.filter(Q(pk__in=pks) | Q(parent_id__in=pks))
        family.lock_rows()
        # A reply hidden under a comment back in the queue is not in the count. Read afresh, not
        # as locked: a reply published as it was sent held its comment until saved, unseen then.
        counted = Comment.objects.counted().filter(pk__in=family)
        shown = list(counted.values_list("pk", flat=True))
        # Still published (a placeholder too: it stays, its replies come down).
        parents = Comment.objects.filter(pk__in=pks, status=Comment.Status.APPROVED)
        if seen is not None:
            parents = parents.filter(_as_read(seen, pks))
        parents = list(parents.values_list("pk", flat=True))
        # A placeholder is not counted: nothing to take down (its replies come down).
        up = Comment.objects.filter(status=Comment.Status.APPROVED, withdrawn_at__isnull=True)
        taken = up.filter(pk__in=parents).mark_taken_down(by=by, reason=reason, now=now)
        replies = up.filter(parent_id__in=parents).exclude(pk__in=parents)
        under_deleted = replies.filter(parent__withdrawn_at__isnull=False)
        taken += take_down_replies(under_deleted, by=by, now=now, reason=REPLY_UNDER_DELETED)
        taken += take_down_replies(replies, by=by, now=now)
        # Per article from our rows, not per article's UPDATEs: one query for fifty stories.
        gone = Counter(ours.filter(pk__in=shown).values_list("article_id", flat=True))
        move_approved_counts({article_id: -n for article_id, n in gone.items()})
        if taken:
            chosen = ours.filter(pk__in=pks).only("pk", "name")
            record(by, chosen, f"Taken down: {reason}" if reason else "Taken down")
            notify_commenters(chosen.values_list("pk", flat=True))
            # Taken down however it was chosen (the bulk action too): its reports were right.
            Report.objects.filter(comment__in=ours).close(
                by=by, outcome=Report.Outcome.TAKEN_DOWN, now=now
            )
    return taken
