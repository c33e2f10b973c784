from datetime import timedelta

from django.db import connections, models
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils import timezone

from comments.batching import batches

# What the comment list draws of each comment (templates/comments/comment.html).
SHOWN_FIELDS = (
    "article_id",
    "parent_id",
    "name",
    "from_newsroom",
    "body",
    "created_at",
    "status",
    "withdrawn_at",
    "picked_at",
    "moderated_by",  # a placeholder says whether a moderator or the filters removed it
)
# A top-level comment turned down after it was published (an edit its author made, rejected
# or sent to spam): the published replies readers saw under it stay on the page, under a
# placeholder, as under one its author deleted. Readers answered words a moderator let stand,
# and one author's edit must not take a whole conversation off the site for good. (Rejecting
# a comment its readers reported takes its replies down on purpose, report_answers: they are
# rejected with it, and their writers told.)
REMOVED = ("rejected", "spam")
# A reply shows under a comment readers see, or under the placeholder of one removed.
UNDER_SHOWN = Q(parent__isnull=True) | Q(parent__status__in=("approved", *REMOVED))
# Where approving a waiting reply publishes it (services.decide): under a published comment (a
# placeholder of one its author deleted too), or beside the replies kept under the placeholder
# of one removed: it answered the words readers saw, as they did. Not under one taken down,
# whose replies came down with it: the reply waits until that comment is put back.
PUBLISHABLE_UNDER = Q(parent__status="approved") | Q(
    parent__status__in=REMOVED, parent__taken_down_at=None
)
# The queue: a placeholder of a withdrawn comment is never pending; older rows may be: not queued.
PENDING = Q(status="pending", withdrawn_at=None)
# An editors' pick readers see: counted (published, not withdrawn, a reply under a published
# comment) and in the words it was picked in. picked_revision is None when unpicked.
PICKED = Q(status="approved", withdrawn_at=None, picked_revision=F("revision")) & UNDER_SHOWN
# What leaving the page does to a pick: it ends (an Undo or a new approval does not bring it back
# beside those picked meanwhile; a moderator picks it again).
UNPICKED = {"picked_at": None, "picked_by": None, "picked_revision": None}
# How long a post from the same IP under the same address is taken for a repeat of the first.
REPEAT_MINUTES = 10


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status="approved")

    def counted(self):
        """The comments an article's approved count counts: those readers see. A reply shows
        only under a published comment, or the placeholder of one removed (REMOVED); a
        placeholder is no comment."""
        return self.approved().filter(UNDER_SHOWN, withdrawn_at=None)

    def repliable(self, article):
        """The comments a reader may answer: approved, top-level, on this article."""
        return self.approved().filter(article=article, parent__isnull=True, withdrawn_at=None)

    def lock_if_repliable(self, article, pk: int) -> bool:
        """Lock the comment a reply answers until the transaction ends and say whether readers
        may still answer it, read once locked: a take-down holding it is waited for, and what
        it left is read. FOR NO KEY UPDATE: other replies' foreign key checks go on."""
        list(self.filter(pk=pk).select_for_update(no_key=True, of=("self",)).only("pk"))
        return self.repliable(article).filter(pk=pk).exists()

    def hold_answered(self, pk: int) -> bool:
        """Hold the comment a held reply answers until the transaction ends, as that reply's
        foreign key check holds it at its commit (FOR KEY SHARE), and say whether it is still
        there. Taken before the reply writes anything: the check came after the reply had
        claimed its address's row, while a Delete or an Erase of that comment, which locks it
        FOR UPDATE and then forgets the address, waited for that row (comments.forgetting's lock
        order). Only what locks the comment FOR UPDATE waits for it, as for the check: other
        replies, a Stop, a confirmation go on. Django's select_for_update has no FOR KEY SHARE;
        SQLite, one writer at a time, holds no rows."""
        connection = connections[self.db]
        if connection.vendor != "postgresql":
            return True
        table = connection.ops.quote_name(self.model._meta.db_table)
        key = connection.ops.quote_name(self.model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} WHERE {key} = %s FOR KEY SHARE", [pk])  # noqa: S608
            return cursor.fetchone() is not None

    def lock_rows(self, *, no_key: bool = False) -> list[int]:
        """Lock these comments' rows until the transaction ends (a writer meanwhile waits, and
        this one reads its rows as they are once it got them); their ids. Taken in pk order, so
        two writers locking overlapping rows never wait on each other in a circle. `no_key`:
        FOR NO KEY UPDATE, for a transaction that neither deletes them nor changes their keys:
        a reply to one committing meanwhile (its deferred foreign key check holds the comment
        FOR KEY SHARE) goes on."""
        rows = self.select_for_update(no_key=no_key, of=("self",)).order_by("pk").only("pk")
        return [row.pk for row in rows]

    def lock_stories(self) -> None:
        """Lock these comments' stories' rows until the transaction ends, in pk order, FOR NO
        KEY UPDATE as the count's UPDATE takes them (comments.services.move_approved_counts):
        for a transaction that moves the counts in more than one step (each step in its own
        pk order, which crossed another's), or claims an address after its comments and then
        moves a count, against comments.forgetting's lock order."""
        story = self.model._meta.get_field("article").related_model
        stories = sorted(set(self.values_list("article_id", flat=True)))
        for batch in batches(stories):  # in pk order across the batches, as one statement
            in_order = story.objects.filter(pk__in=batch).order_by("pk")
            list(in_order.select_for_update(no_key=True).values_list("pk", flat=True))

    def mark_taken_down(self, *, by, reason: str, now=None) -> int:
        """Rejected, saying who took them down, when and why: the bare UPDATE. Taking comments
        down is comments.services.take_down, which also moves the approved counts, logs,
        closes reports and purges."""
        return self.update(
            status="rejected",
            taken_down_by=by,
            taken_down_at=now or timezone.now(),
            rejection_reason=reason,
            **UNPICKED,
        )

    def mark_undecided(self) -> int:
        """Waiting in the queue again, as if never decided: the bare UPDATE of
        comments.services.return_to_queue (which moves the counts, logs and purges)."""
        return self.update(
            status="pending",
            moderated_by=None,
            moderated_at=None,
            rejection_reason="",
            taken_down_by=None,
            taken_down_at=None,
            **UNPICKED,
        )

    def mark_put_back(self) -> int:
        """Replies taken down with the comment they answer, hanging on it again (published,
        shown when it is): the bare UPDATE of comments.services.return_to_queue."""
        return self.update(
            status="approved", rejection_reason="", taken_down_by=None, taken_down_at=None
        )

    def written_with(self, email: str, *, ids, user_id=None):
        """The comments with this address that this browser (the ids its signed cookie names)
        or this account wrote: what proves a writer, where anyone may type an address."""
        mine = Q(pk__in=list(ids))
        if user_id:
            mine |= Q(user_id=user_id)
        return self.filter(mine, email=email.lower())

    def repeating(self, article, *, parent, ids, ip: str | None, email: str | None, body: str):
        """What a post would repeat: the same words in the same place (the article, or the
        comment answered) from the same browser (the ids its signed cookie names) or, within
        REPEAT_MINUTES, from the same IP under the same address (a double post whose answer was
        lost). "Thanks, agreed." to two readers is two replies, two readers behind one office or
        carrier address included. Never by the address alone, nor by it for long: anyone may
        type one, and the answer would tell them who wrote a comment."""
        same_sender = Q(pk__in=list(ids))
        if ip and email:
            since = timezone.now() - timedelta(minutes=REPEAT_MINUTES)
            same_sender |= Q(ip_address=ip, email__iexact=email, created_at__gte=since)
        return self.filter(same_sender, article=article, parent=parent, body=body.strip())

    def pending(self):
        return self.filter(PENDING)

    def top_level_for(self, article):
        """Approved top-level comments of one article, oldest first: one page of threads. A
        placeholder of a withdrawn or a removed (REMOVED) comment shows while a published
        reply hangs on it."""
        answered = self.model.objects.filter(parent_id=OuterRef("pk"), status="approved")
        up = Q(status="approved", withdrawn_at=None)
        placeholder = Q(Exists(answered), status__in=("approved", *REMOVED))
        return (
            self.filter(up | placeholder, article=article, parent=None)
            .only(*SHOWN_FIELDS)
            .order_by("created_at", "pk")
        )

    def picks(self):
        return self.filter(PICKED)

    def threads_for(self, article, *, offset: int, limit: int, with_picks: bool = False):
        """One page of threads (top-level comments and their replies) in ONE query, even
        when the page is empty, so the article page costs the same with 0 or 200 comments.
        Each row says whether it is an editors' pick (is_pick). with_picks: the article's
        picks on later pages come too, after this page's threads (comment_tags sets them
        apart), still in the one query."""
        page = self.top_level_for(article).values("pk")[offset : offset + limit]
        shown = Q(parent__isnull=True, pk__in=page) | Q(parent_id__in=page)
        if with_picks:
            shown |= PICKED
        # Replies published; threads as top_level_for chose them (placeholders too).
        rows = self.filter(Q(status="approved") | Q(parent__isnull=True), article=article)
        rows = rows.annotate(is_pick=ExpressionWrapper(PICKED, output_field=BooleanField()))
        return rows.filter(shown).only(*SHOWN_FIELDS).order_by("created_at", "pk")

    def decided_since(self, days: int = 7):
        # Decisions a person made: screened spam and auto-approvals have no moderator.
        return self.filter(
            moderated_at__gte=timezone.now() - timedelta(days=days), moderated_by__isnull=False
        )
