"""What the moderator's desk calls the words a moderator types on its forms (the queue's cards
and action bar, a comment's page, a commenter's page): the page that gives them back when the
database is down (newsportal.unsent) names its boxes so, and gives back nothing else."""

import re

from django.utils.text import Truncator

CARD_REASON = re.compile(r"reason-(?P<pk>\d+)")
# The desk's labels (templates/admin/comments/), said whole where the page leans on what stands
# around them: the outage page shows them alone.
CARD_REASON_LABEL = "Reason for comment {pk} (sent to the commenter)"
# With the card's own words for its comment (about-<pk>, posted with the form, since the
# database cannot be asked): the author and the first words, as the card showed them.
CARD_ABOUT_LABEL = "Reason for the comment by {about} (sent to the commenter)"
ABOUT_LENGTH = 120
COMMENT_PAGE_REASON = "Your own reason (for a rejection)"
COMMENTER_REASON = "Reason (sent with a rejection)"
BLOCK_REASON = "Why (blocking this commenter)"
NOTE = "Note for the other moderators"


class TypedFields:
    """Mixed into CommentAdmin, whose views (its own and the admin's) these are."""

    def typed_fields(self, match, post) -> dict[str, str]:
        """{posted name: label} of the fields of this post a moderator types in; the rest (a
        preset, a block's period, the revisions read) are chosen or carried for them. Reads the
        post alone: it runs while the database is down."""
        typed = {
            name: _card_label(found["pk"], post)
            for name in post
            if (found := CARD_REASON.fullmatch(name))
        }
        if match.url_name == "comments_comment_commenter":
            typed["reason"] = BLOCK_REASON if post.get("action") == "block" else COMMENTER_REASON
            typed["text"] = NOTE
        elif "select_across" in post:
            # The queue's form, whichever button sent it (Go, or a card's own): the action
            # bar's box is one of its fields.
            typed["reason"] = self.action_form.base_fields["reason"].label
        else:
            typed["reason"] = COMMENT_PAGE_REASON
        return typed


def card_about(name: str, body: str) -> str:
    """How a card names its comment where the card itself is not seen: its author, and its
    first words (spaces as the card shows them)."""
    return f"{name}, “{Truncator(' '.join(body.split())).words(8)}”"


def _card_label(pk: str, post) -> str:
    about = Truncator(post.get(f"about-{pk}", "").strip()).chars(ABOUT_LENGTH)
    if not about:
        return CARD_REASON_LABEL.format(pk=pk)
    return CARD_ABOUT_LABEL.format(about=about)
