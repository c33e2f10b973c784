"""Comments' tables, one module per concern; import them from here."""

from comments.models.comment import (
    ARTICLE_OFF_SITE,
    ERASED_PREFIX,
    MAX_BODY_LENGTH,
    MAX_NAME_LENGTH,
    NOT_REPLIABLE,
    Comment,
    ModerationPolicy,
)
from comments.models.commenter import (
    CommenterAddress,
    CommentPolicyPage,
    CommentVersion,
    ReplyNotice,
    ReplySubscription,
)
from comments.models.desk import (
    Block,
    ModeratorNote,
    RejectionReason,
    Report,
    erased_email,
    erased_emails,
    keyed_hashes,
)

__all__ = [
    "ARTICLE_OFF_SITE",
    "ERASED_PREFIX",
    "MAX_BODY_LENGTH",
    "MAX_NAME_LENGTH",
    "NOT_REPLIABLE",
    "Block",
    "Comment",
    "CommentPolicyPage",
    "CommentVersion",
    "CommenterAddress",
    "ModerationPolicy",
    "ModeratorNote",
    "RejectionReason",
    "ReplyNotice",
    "ReplySubscription",
    "Report",
    "erased_email",
    "erased_emails",
    "keyed_hashes",
]
