"""The words a moderator's decision is logged and told in (the admin log, the confirmation,
the commenter's page in the admin)."""

from comments.models import Comment


def decision_message(status: str, reason: str = "") -> str:
    """The words of the admin log (and of the moderator's confirmation) for a decision."""
    if status == Comment.Status.REJECTED:
        return f"Rejected: {reason}" if reason else "Rejected (no reason given)"
    return {Comment.Status.APPROVED: "Approved", Comment.Status.SPAM: "Marked as spam"}[status]


def decision_words(status: str, reason: str = "") -> str:
    """The same words after "Comment by Ann:" (the moderator's reason as they typed it)."""
    message = decision_message(status, reason)
    return message[0].lower() + message[1:]
