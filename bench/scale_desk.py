"""The moderators' side of `make bench-scale`'s archive (bench.scale_load): what three years
of moderation leave besides the comments themselves, and the admin log of their decisions and
of the editors' stories."""

from datetime import timedelta

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from articles.models import Article
from bench.seed import _sentence
from comments.decision_words import decision_message
from comments.models import (
    Block,
    Comment,
    CommentVersion,
    ModeratorNote,
    ReplySubscription,
    Report,
)


def moderators_desk(rng, now, sizes, addresses, moderators, *, heavy_email: str) -> None:
    """Readers' reports, blocks, notes on addresses, earlier versions and reply subscriptions."""
    approved = list(
        Comment.objects.filter(status=Comment.Status.APPROVED, withdrawn_at=None)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[:60_000]
    )
    reports = []
    for n, cid in enumerate(rng.pick(approved, sizes["reported_comments"])):
        resolved = {}
        if n >= sizes["open_reports"]:
            resolved = {"resolved_at": now - timedelta(days=1), "resolved_by": moderators[0]}
            resolved["outcome"] = rng.choice(Report.Outcome.values)
        reports += [
            Report(
                comment_id=cid,
                reason=rng.choice(Report.Reason.values),
                text="" if rng.random() < 0.6 else _sentence(rng, 8),
                reporter=f"{cid:x}{k:04x}".rjust(64, "0"),  # a reader's hash, one per reader
                created_at=now - timedelta(days=rng.randint(0, 30)),
                **resolved,
            )
            for k in range(rng.choice((1, 1, 1, 2, 3, 8)))
        ]
    Report.objects.bulk_create(reports, batch_size=5000)
    Block.objects.bulk_create(
        Block(
            kind=Block.Kind.EMAIL if n % 2 else Block.Kind.IP,
            value=addresses[n][1] if n % 2 else addresses[n][2],
            reason="Spam run",
            expires_at=None if n % 3 == 0 else now + timedelta(days=rng.randint(-200, 30)),
            created_by=rng.choice(moderators),
            created_at=now - timedelta(days=rng.randint(0, 900)),
        )
        for n in range(min(len(addresses), sizes["blocks"]))
    )
    notes = [
        ModeratorNote(email=email, text=_sentence(rng, 10), author=rng.choice(moderators))
        for _, email, _ in addresses[: sizes["notes"]]
    ]
    notes.append(
        ModeratorNote(email=heavy_email, text="Prolific; mostly fine.", author=moderators[0])
    )
    ModeratorNote.objects.bulk_create(notes)
    CommentVersion.objects.bulk_create(
        CommentVersion(comment_id=cid, body=_sentence(rng, 12), status=Comment.Status.APPROVED)
        for cid in rng.pick(approved, sizes["versions"])
    )
    subscribed = rng.pick(approved, sizes["subscriptions"])
    ReplySubscription.objects.bulk_create(ReplySubscription(comment_id=cid) for cid in subscribed)


def admin_log(rng, published, sizes, admin) -> None:
    """One entry per moderator's decision, as comments.audit.record writes it, and the
    editors' additions and edits of stories."""
    comment_type = ContentType.objects.get_for_model(Comment)
    article_type = ContentType.objects.get_for_model(Article)
    decided = (
        Comment.objects.filter(moderated_by__isnull=False)
        .order_by("pk")
        .values_list("pk", "name", "status", "rejection_reason", "moderated_by_id", "moderated_at")
    )
    entries = []
    for pk, name, status, reason, by, at in decided.iterator(chunk_size=20_000):
        message = decision_message(status, reason)
        what = message.split(": ", 1)[0]
        entries.append(
            LogEntry(
                user_id=by,
                content_type=comment_type,
                object_id=str(pk),
                object_repr=f"Comment {pk} by {name} · {what}"[:200],
                action_flag=CHANGE,
                change_message=message,
                action_time=at,
            )
        )
    edited = '[{"changed": {"fields": ["Body"]}}]'
    for article in rng.pick(published, sizes["logged_articles"]):
        entries += [
            LogEntry(
                user_id=admin.pk,
                content_type=article_type,
                object_id=str(article.pk),
                object_repr=article.title[:200],
                action_flag=CHANGE if k else ADDITION,
                change_message=edited if k else '[{"added": {}}]',
                action_time=article.published_at + timedelta(minutes=k * 30),
            )
            for k in range(rng.choice((1, 2, 3)))
        ]
    LogEntry.objects.bulk_create(entries, batch_size=20_000)
