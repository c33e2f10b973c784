"""Write paths for commenters, who have no account: their private status link (or a signed link
mailed to them) is their handle on what they wrote. Edit, delete, confirm an address, stop
mail (export, erase and retention: comments.privacy)."""

from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.template.defaultfilters import pluralize
from django.utils import timezone

from comments.closing import comments_open
from comments.forgetting import forget_addresses
from comments.models import (
    MAX_BODY_LENGTH,
    Comment,
    CommenterAddress,
    CommentVersion,
    ModerationPolicy,
    ReplySubscription,
)
from comments.moderator_mail import notify_moderators_on_commit
from comments.notifications import (
    ask_about_the_next_waiting,
    ask_owner,
    notify_commenters,
    notify_replies_meanwhile,
)
from comments.screening import screen
from comments.services import HIDDEN_BY_REPORTS_START, move_approved_counts
from comments.status import address_alone, as_its_writer_sees, held_for_its_address
from newsportal.caching import article_key, purge

EDITED = "edited by its author"
# Each edit keeps the earlier words for the moderator, whose page shows every version, and puts
# the comment before them again: a writer who needs more than this is better served by deleting
# it and writing anew, and a script editing one comment for ever fills nobody's queue.
MAX_EDITS = 20
TURNED_DOWN = (Comment.Status.REJECTED, Comment.Status.SPAM)  # a take-down rejects too
EDITABLE = (Comment.Status.PENDING, Comment.Status.APPROVED)  # as its writer sees it
EMPTY_EDIT = "Write something, or delete the comment instead."
NO_REPLY_MAIL_DELETED = "The comment it was for was deleted: no mail about replies to it comes."


def edit_deadline(comment: Comment):
    """Until when an approved comment may still be edited (None: it may not be)."""
    if comment.status != Comment.Status.APPROVED or comment.moderated_at is None:
        return None
    return comment.moderated_at + timedelta(minutes=settings.COMMENTS_EDIT_MINUTES)


def edits_used_up(comment: Comment) -> bool:
    return comment.revision >= MAX_EDITS  # every edit moves the revision, nothing else does


GONE = "gone"  # edit_comment's error code for a comment deleted meanwhile
# edit_comment's error code for words sent from a form drawn before another edit: nothing saved.
EDITED_SINCE = "edited-since"
# edit_comment's error code for a comment no longer editable when the save came to it (its last
# edit saved from another tab meanwhile, a moderator's decision): why_not_editable says why.
CLOSED = "closed"


def can_edit(comment: Comment, now=None, *, is_open: bool | None = None) -> bool:
    """is_open: whether comments are open on its article, if the caller knows already."""
    if comment.withdrawn_at is not None or edits_used_up(comment):
        return False
    # Closed comments take no new words, not even a waiting comment's (deleting it still works).
    if not (comments_open(comment.article) if is_open is None else is_open):
        return False
    if as_its_writer_sees(comment) == Comment.Status.PENDING:
        return True
    deadline = edit_deadline(comment)
    return deadline is not None and (now or timezone.now()) <= deadline


class EditOutcome(NamedTuple):
    changed: bool
    status: str  # the comment's status after the edit, as its writer sees it (comments.status)
    revision: int  # after the edit: above the one its form was drawn at, it was edited since


def saved_by_an_earlier_press(comment: Comment, *, body: str, drawn_at: int | None) -> bool:
    """These words are the comment's already, saved since its form was drawn at `drawn_at` (by
    an earlier press of the same form: Save pressed twice), and no moderator decided on it
    since: its writer is told it is updated, as the first press told them, even once that edit
    was its last (MAX_EDITS) or the filters sent it to spam, where a refusal read as if it was
    lost. drawn_at None: a form drawn before forms said their revision."""
    if drawn_at is None or comment.revision <= drawn_at or body.strip() != comment.body:
        return False
    status = as_its_writer_sees(comment)
    # Spam by the filters (the edit's own screen), not by a moderator since.
    return status in EDITABLE or (status == Comment.Status.SPAM and not comment.moderated_by_id)


def _was(body: str) -> str:
    excerpt = body if len(body) <= 200 else body[:199] + "…"
    return f"{EDITED}; it said before: “{excerpt}”"


def edit_comment(*, comment: Comment, body: str, drawn_at: int | None = None) -> EditOutcome:
    """The author's new words. The earlier text is kept (CommentVersion) and shown to the
    moderator among the reasons; the new text is screened again. A pending comment stays in
    the queue; an approved one goes back to it (off the page until approved again) unless the
    policy keeps clean edits published and the screen finds nothing. drawn_at: the revision
    its form was drawn at (None: unknown, a page drawn by an earlier release); other words
    saved since (another tab) are not overwritten unseen (EDITED_SINCE)."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": EMPTY_EDIT})
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError({"body": f"Keep it to {MAX_BODY_LENGTH:,} characters."})
    policy = ModerationPolicy.current()
    with transaction.atomic():
        # Locked: a moderator's decision or a second edit waits, then sees this one.
        # Only the comment's row: the article is read, never held.
        locked = Comment.objects.select_for_update(of=("self",)).select_related("article")
        comment = locked.filter(pk=comment.pk).first()
        if comment is None or comment.withdrawn_at is not None:
            # Deleted (from another tab) since the page read it: the caller gives words back.
            raise ValidationError("This comment was deleted.", code=GONE)
        if not can_edit(comment):
            # Its last edit, or one sent to spam, saved by the press this one waited on.
            if saved_by_an_earlier_press(comment, body=body, drawn_at=drawn_at):
                return EditOutcome(False, as_its_writer_sees(comment), comment.revision)
            raise ValidationError("This comment can no longer be edited.", code=CLOSED)
        if body == comment.body:
            return EditOutcome(False, as_its_writer_sees(comment), comment.revision)
        if drawn_at is not None and comment.revision > drawn_at:
            # Read under the lock: a save from the other tab a moment before is seen too.
            raise ValidationError("Edited since this form was drawn.", code=EDITED_SINCE)
        CommentVersion.objects.create(comment=comment, body=comment.body, status=comment.status)
        old_body, was = comment.body, comment.status
        # Its writer was told it waits for review: it must, once its address no longer holds it.
        held_for_address = held_for_its_address(comment)
        # What readers see of it now: itself and its published replies (none when it is a
        # reply hidden under a comment that waits again).
        family = Comment.objects.counted().filter(Q(pk=comment.pk) | Q(parent_id=comment.pk))
        shown = family.count()
        comment.body = body
        # Its signed link shows who wrote it: with returning commenters auto-approved, an edit
        # from it was "a regular's address, from another browser", never a clean edit.
        status, reasons = screen(comment, policy, written_before=[comment.pk])
        reasons = [r for r in reasons if not r.startswith("auto-approved")]
        if was == Comment.Status.APPROVED and status == Comment.Status.SPAM:
            # A moderator published the earlier words: a block of the address placed since
            # keeps the new ones off the page until a moderator reads them (the queue, as its
            # writer is told), never sends the comment to spam, where none would.
            status = Comment.Status.PENDING if address_alone(reasons) else status
        # A moderator who read the earlier words can no longer decide on these unseen.
        fields = {"body": body, "revision": F("revision") + 1}
        if status == Comment.Status.SPAM:
            # Decided by the screen, not by the moderator who approved the earlier words.
            fields |= {
                "status": status,
                "held_because": reasons,
                "moderated_by": None,
                "moderated_at": timezone.now(),
            }
        elif was == Comment.Status.PENDING:
            # Hidden by its reports, it is still a reported comment, decided as one.
            hidden = [r for r in comment.held_because if r.startswith(HIDDEN_BY_REPORTS_START)]
            fields["held_because"] = [*reasons, *hidden, _was(old_body)]
        elif held_for_address or reasons or not policy.publish_clean_edits:
            fields |= {
                "status": Comment.Status.PENDING,
                "held_because": [*reasons, _was(old_body)],
                "moderated_by": None,
                "moderated_at": None,
            }
        Comment.objects.filter(pk=comment.pk).update(**fields)
        now_status = fields.get("status", was)
        if was == Comment.Status.APPROVED and now_status == Comment.Status.APPROVED:
            purge(article_key(comment.article_id))  # the new words, on the page
        else:
            # Its published replies leave the page with it while it waits (services.decide
            # adds them back), and stay under its placeholder once it is spam (REMOVED).
            move_approved_counts({comment.article_id: family.count() - shown})
        if now_status == Comment.Status.PENDING and was != Comment.Status.PENDING:
            notify_moderators_on_commit()
        comment.refresh_from_db(fields=["status", "held_because", "moderated_by", "revision"])
    return EditOutcome(True, as_its_writer_sees(comment), comment.revision)


def _vouch(email: str, ids) -> list[int]:
    """The address's owner answered for these comments (those of them sent with the address):
    what they asked for about them may be mailed now. Their newly vouched ids."""
    # Locked: of two presses at once (a double click), the second waits, then finds them
    # vouched for, and nothing is mailed twice. FOR NO KEY UPDATE, as the UPDATE takes: the
    # owner's reply to one, which had claimed the address's row for its confirmation mail,
    # waited at its commit (its foreign key check) for this lock, held while this waited for
    # that row (confirm_address): a deadlock.
    shown = Comment.objects.select_for_update(no_key=True).filter(
        email=email, pk__in=[pk for pk in ids if pk], owner_vouched=False, withdrawn_at__isnull=True
    )
    vouched = list(shown.order_by("pk").values_list("pk", flat=True))
    Comment.objects.filter(pk__in=vouched).update(owner_vouched=True)
    return vouched


def confirm_address(
    *, address_id: int, comment_id: int | None = None, written_here=()
) -> CommenterAddress | None:
    """The owner followed the confirmation link: mail may go to the address from now on. They
    vouch for the comment whose wish the link was about (None: a link mailed before links named
    it) and those written with the address from the browser that opened it (its cookie), never
    every comment sent with it: anyone may type an address. Decisions and replies approved
    meanwhile are mailed now; the next comment still waiting for an answer is asked about."""
    with transaction.atomic():
        address = CommenterAddress.objects.filter(pk=address_id).first()
        if address is None:
            return None
        # The comments before the address's row (comments.forgetting's lock order).
        vouched = _vouch(address.email, [comment_id, *written_here])
        unconfirmed = CommenterAddress.objects.filter(pk=address_id, verified_at__isnull=True)
        confirmed = unconfirmed.update(verified_at=timezone.now())
        if confirmed:
            # Those vouched for before (signed in, say) waited only for the confirmation.
            owners = Comment.objects.filter(email=address.email, owner_vouched=True)
        notify_commenters(owners.values_list("pk", flat=True) if confirmed else vouched)
        notify_replies_meanwhile(vouched)
        if confirmed:  # pressed again, it asks no question a second time
            ask_about_the_next_waiting(address.email)
    return address


def confirm_comment_mail(*, comment_id: int, written_here=()) -> bool:
    """The address's owner says this comment is theirs: what they asked for about it may be
    mailed (a decision made meanwhile, and the replies approved meanwhile, now), and about the
    others written with the address from the browser that answers (its signed cookie). Only
    these: the next one sent with the address that waits for an answer is asked about now,
    in a mail of its own, since the daily limit held its question back."""
    with transaction.atomic():
        comment = Comment.objects.filter(pk=comment_id, owner_vouched=False).first()
        if comment is None or comment_id not in (
            vouched := _vouch(comment.email, [comment_id, *written_here])
        ):
            return False
        notify_commenters(vouched)
        notify_replies_meanwhile(vouched)
        ask_about_the_next_waiting(comment.email)
    return True


def _conversation_wishes(comment_id: int):
    """The address's wishes to hear of replies on every comment of this one's conversation
    (the next reply would come through its wish on any of them)."""
    comment = Comment.objects.filter(pk=comment_id).only("email", "parent_id").first()
    if comment is None:
        return ReplySubscription.objects.none()
    top = comment.parent_id or comment.pk
    return ReplySubscription.objects.filter(
        Q(comment_id=top) | Q(comment__parent_id=top), comment__email=comment.email
    )


def _link_wishes(comment_id: int):
    """The wishes a comment's unsubscribe link speaks for: the address's in the whole
    conversation for a comment its owner vouched for (the only ones reply mail goes to), else
    that comment's own. Anyone may post with an address and hold that comment's status page:
    its link must neither end nor tell of the owner's own wishes."""
    if Comment.objects.filter(pk=comment_id, owner_vouched=True).exists():
        return _conversation_wishes(comment_id)
    return ReplySubscription.objects.filter(comment_id=comment_id)


def follows_replies(comment_id: int) -> bool:
    return _link_wishes(comment_id).exists()


def why_no_reply_mail(comment: Comment) -> str:
    """Why no mail about replies can come for this comment, as its status page says of a wish
    it has ("" when it can): it comes while the comment is published or waiting
    (comments.notifications.notify_subscribers), where a reply can be published (under a
    placeholder of a removed comment too: not one taken down), on a story on the site."""
    if comment.withdrawn_at is not None:
        return NO_REPLY_MAIL_DELETED
    if as_its_writer_sees(comment) in TURNED_DOWN:
        return "No mail about replies comes while your comment is not published."
    if comment.parent_id and comment.parent.status in TURNED_DOWN and comment.parent.taken_down_at:
        return "No mail about replies comes while the comment it answers is off the site."
    if not comment.article.is_public:
        return "No mail about replies comes while its article is off the site."
    return ""


def reply_mail_can_come(comment: Comment) -> bool:
    return not why_no_reply_mail(comment)


def follow_replies(*, comment_id: int) -> str:
    """Its writer asks, after posting, to hear of replies: the same as the box "E-mail me when
    someone replies" ticked when posting (comments.notifications.note_mail_wishes), the same
    confirmation mail or question to the address's owner within the same limits. Anyone may
    post with any address and get a status page: it mails an address no more than posting
    does, and a second press asks nothing again. Returns why no mail about replies can come,
    as found under the lock ("": it will): the comment the press's page read may have been
    deleted (NO_REPLY_MAIL_DELETED) or decided since, and said of as read, it was "" too."""
    with transaction.atomic():
        # Locked: a decision or a delete meanwhile waits, then finds the wish (a delete takes it).
        # FOR NO KEY UPDATE, before the address (comments.forgetting): a reply to it goes on.
        locked = Comment.objects.select_for_update(no_key=True, of=("self",))
        comment = locked.select_related("article").filter(pk=comment_id).first()
        why = NO_REPLY_MAIL_DELETED if comment is None else why_no_reply_mail(comment)
        if why:
            return why
        if ReplySubscription.objects.get_or_create(comment=comment)[1]:
            ask_owner(comment)
    return ""


def unsubscribe_replies(*, comment_id: int) -> None:
    """No more mail about the conversation, or, for a comment its owner did not vouch for, about
    that comment (_link_wishes)."""
    _link_wishes(comment_id).delete()


def resume_mail(*, address_id: int) -> bool:
    """The owner, from the stop link: mail they ask for from now on may come again (what was
    asked for before, or while mail was stopped, by anyone who typed the address, does not)."""
    with transaction.atomic():
        resumed = CommenterAddress.objects.filter(pk=address_id, mail_stopped_at__isnull=False)
        emails = list(resumed.values_list("email", flat=True))
        _lock_written(emails)
        _drop_mail_wishes(emails)
        return resumed.update(mail_stopped_at=None) == 1


def _lock_written(emails: list[str]) -> None:
    """The comments written with these addresses, locked in pk order before the addresses' rows
    are written (comments.forgetting's lock order): a delete or an erase locks a comment and
    then forgets its address, and the two met crosswise. FOR NO KEY UPDATE, as the UPDATE of
    their wishes takes: FOR UPDATE held up the owner's reply to one of them at its commit (its
    foreign key check) while waiting for the address's row that reply had claimed: a deadlock.
    All of them, not only those with wishes: one given a wish or vouched for meanwhile (its
    writer holding it, then the address's row) would be written after the row, crosswise."""
    Comment.objects.filter(email__in=emails).lock_rows(no_key=True)


def _drop_mail_wishes(emails: list[str], **only) -> None:
    written = Comment.objects.filter(email__in=emails, **only)
    written.filter(notify_on_decision=True).update(notify_on_decision=False)
    ReplySubscription.objects.filter(comment__in=written).delete()


def stop_all_mail(*, address_id: int) -> None:
    """No more mail to this address. The wishes to hear of decisions and replies go too: should
    its owner tick a box again (and confirm again), only that comment's mail comes, not mail
    about every comment they ever wrote."""
    with transaction.atomic():
        stopping = CommenterAddress.objects.filter(pk=address_id, mail_stopped_at__isnull=True)
        emails = list(stopping.values_list("email", flat=True))
        _lock_written(emails)
        now = timezone.now()
        if not stopping.update(mail_stopped_at=now) and emails:
            _stop_forgotten(address_id, emails[0], now)
        # A comment its owner never vouched for keeps its wishes, as one asked for while mail
        # is stopped does (resume_mail drops them): its page is anyone's who typed the address.
        _drop_mail_wishes(emails, owner_vouched=True)


def _stop_forgotten(address_id: int, email: str, now) -> None:
    """The row this stop read went meanwhile (its last comment deleted or erased, whose lock
    the stop waited on, or the prune): made again, stopped, then kept only as the stop under its
    keyed hash when no comment holds the address, as any stop is (comments.forgetting)."""
    if CommenterAddress.objects.filter(pk=address_id).exists():
        return  # stopped already (a second press)
    claimed = CommenterAddress.objects.filter(pk=CommenterAddress.objects.claim(email).pk)
    claimed.filter(mail_stopped_at__isnull=True).update(mail_stopped_at=now)
    forget_addresses(now, email=email)


def why_not_editable(comment: Comment) -> str:
    """Why this comment takes no more edits, in the order its status page says it
    (comments/status_controls.html): a decision first, which holds on an open story too."""
    if comment.taken_down_at:
        return "It was taken down. You can still delete it."
    if comment.status == Comment.Status.REJECTED:
        return "It was rejected. You can still delete it."
    if as_its_writer_sees(comment) == Comment.Status.SPAM:
        return "It was marked as spam. You can still delete it."
    if not comment.article.is_public:
        return "Its article is off the site. You can still delete it."
    if not comments_open(comment.article):
        return "Comments are closed on this article. You can still delete it."
    if edits_used_up(comment):
        return (
            f"It has been edited {MAX_EDITS} times, the most we allow: delete it and write "
            "a new one if you need to."
        )
    minutes = settings.COMMENTS_EDIT_MINUTES
    return (
        f"A published comment can be edited for {minutes} minute{pluralize(minutes)}; that time "
        "is over. You can still delete it."
    )
