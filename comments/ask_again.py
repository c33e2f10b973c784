"""The mail that asks an address's owner to answer (the confirmation mail, or "Is this comment
yours?"), asked for again from a comment's status page: the first was lost, went to a spam
folder, or its link is out of date, and nothing else would send another."""

from django.db import transaction

from comments.models import Comment, CommenterAddress, ReplySubscription
from comments.notifications import ask_owner, mail_waits_for_owner
from comments.status import as_its_writer_sees


def ask_again(*, comment_id: int) -> None:
    """Ask again, as posting with a box ticked would, within the same limit (one mail every
    COMMENTS_CONFIRM_RESEND_HOURS) and never at an address whose owner stopped all mail
    (comments.notifications.ask_owner): a status page is anyone's who typed the address, and
    mails it no more than posting does. Only while mail asked for about the comment waits."""
    with transaction.atomic():
        # Locked: a delete or a decision meanwhile waits, then finds the wish as it stands.
        # FOR NO KEY UPDATE, as it then claims the address's row (comments.forgetting's lock
        # order): a reply to it, which checks it only at its commit, goes on.
        locked = Comment.objects.select_for_update(no_key=True, of=("self",))
        comment = locked.filter(pk=comment_id, withdrawn_at__isnull=True).first()
        if comment is not None and waits_for_an_answer(comment):
            ask_owner(comment)


def waits_for_an_answer(comment: Comment) -> bool:
    """Mail was asked for about this comment and waits for the address's owner: to answer the
    question or the confirmation mail (mail_waits_for_owner, said alike for any address), or,
    for a writer who showed they own the address, to confirm it."""
    if mail_waits_for_owner(comment):
        return True
    # No mail comes about a comment the filters turned down (as the status page offers none).
    sees = as_its_writer_sees(comment)
    if not comment.owner_vouched or sees == Comment.Status.SPAM:
        return False
    review_mail = comment.notify_on_decision and sees == Comment.Status.PENDING
    wished = review_mail or ReplySubscription.objects.filter(comment=comment).exists()
    unconfirmed = CommenterAddress.objects.filter(
        email=comment.email, verified_at__isnull=True, mail_stopped_at__isnull=True
    )
    return wished and unconfirmed.exists()
