"""A commenter's download: every comment written with an address, as the JSON file the export
link's page offers (comments.privacy_views), written whole before a byte is sent."""

import functools
import html
import json
import tempfile
import textwrap
from collections.abc import Collection, Iterator
from typing import BinaryIO

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags

from comments.models import ARTICLE_OFF_SITE, Comment, CommenterAddress, ReplySubscription
from comments.status import Standing, standing


def written_with(email: str):
    """Every comment written with this address, each with its article's title and address."""
    return (
        Comment.objects.filter(email=email)
        .select_related("article")
        # Each comment names its article: not the story's text, thousands of times over.
        .defer(
            "article__body", "article__body_html", "article__body_text", "article__search_vector"
        )
    )


# Comments read (and held) at a time while a download is written: 10,000 comments made one
# list of 100 MB in a worker, and one query's rows.
EXPORT_BATCH = 500
# A download larger than this is written to a temporary file, not held in memory.
EXPORT_IN_MEMORY_BYTES = 1024 * 1024


IP_ADDRESSES_NOTE = (
    "An IP address is given only for a comment you showed is yours (confirmed_as_yours) or "
    "sent from the browser that downloaded this file (sent_from_this_browser): anyone can type "
    "an address, and a comment someone else sent with yours carries their IP address, not yours. "
    "We clear each IP address {days} days after its comment came in: older comments have none."
)


def export_json(*, address: CommenterAddress, written_here: Collection[int] = ()) -> BinaryIO:
    """Every comment written with this address, with its earlier versions, as a JSON file
    (oldest first), read EXPORT_BATCH comments at a time (a query for them and one for their
    versions). Written whole before a byte is sent, to memory or, when large, a temporary file:
    a database that fails meanwhile gets the outage page, not a download cut off half-way under
    a 200. written_here: the comments the downloading browser wrote (its signed cookie)."""
    email = address.email
    ids = list(written_with(email).order_by("created_at", "pk").values_list("pk", flat=True))
    confirmed, stopped = address.verified_at, address.mail_stopped_at
    about = {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "address_confirmed_at": confirmed.isoformat() if confirmed else None,
        "all_mail_stopped_at": stopped.isoformat() if stopped else None,
        "about_ip_addresses": IP_ADDRESSES_NOTE.format(days=settings.COMMENTS_KEEP_IP_DAYS),
    }
    # Open for FileResponse to send and close.
    file = tempfile.SpooledTemporaryFile(max_size=EXPORT_IN_MEMORY_BYTES)  # noqa: SIM115
    try:
        for piece in _export_pieces(email, ids, about, set(written_here)):
            file.write(piece.encode())
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


def _export_pieces(email: str, ids: list[int], about: dict, here: set[int]) -> Iterator[str]:
    # As json.dumps(indent=2) would write the whole: the comments a list under "comments".
    yield json.dumps(about, indent=2).removesuffix("\n}") + ',\n  "comments": ['
    first = True  # by what was written: a comment deleted meanwhile is simply not there
    for start in range(0, len(ids), EXPORT_BATCH):
        batch = (
            written_with(email)
            .filter(pk__in=ids[start : start + EXPORT_BATCH])
            # Where a reply stands depends on the comment it answers (comments.status).
            .annotate(
                parent_status=F("parent__status"),
                parent_taken_down_at=F("parent__taken_down_at"),
                follows=Exists(ReplySubscription.objects.filter(comment=OuterRef("pk"))),
            )
            .prefetch_related("versions")
            .order_by("created_at", "pk")
        )
        for comment in batch:
            comment.sent_here = comment.pk in here
            exported = textwrap.indent(json.dumps(_exported(comment), indent=2), "    ")
            yield f"{'' if first else ','}\n{exported}"
            first = False
    yield "\n  ]\n}\n"


def _exported(comment: Comment) -> dict:
    # An article off the site is not named, as on the commenter's pages and in their mail
    # (Comment.article_named): pulled and renamed under embargo, its new title and address
    # would go to whoever holds the address.
    public = comment.article.is_public
    # Where it stands as its status page and the export page say it, never the raw status: a
    # comment held for its address alone is "waiting" to its writer there, and "spam" here told
    # them of a block on the address. The README lists the keys.
    stands = standing(
        comment,
        parent_status=comment.parent_status,
        parent_taken_down=comment.parent_taken_down_at is not None,
    )
    # Anyone may type an address: a comment its owner never showed is theirs may be a
    # stranger's, whose IP address is that stranger's, not the address owner's to download.
    here = getattr(comment, "sent_here", False)
    yours = comment.owner_vouched or here
    return {
        "id": comment.pk,
        "article": comment.article.title if public else ARTICLE_OFF_SITE,
        "article_url": settings.SITE_URL + comment.article.get_absolute_url() if public else None,
        "in_reply_to": comment.parent_id,
        "name": comment.name,
        "body": comment.body,
        "status": stands.value,
        "status_words": _status_words(stands),
        "rejection_reason": comment.rejection_reason,
        "created_at": comment.created_at.isoformat(),
        "confirmed_as_yours": comment.owner_vouched,
        "sent_from_this_browser": here,
        "ip_address": comment.ip_address if yours else None,
        "mail_on_decision": comment.notify_on_decision,
        "mail_on_reply": comment.follows,
        "earlier_versions": [
            {"body": v.body, "replaced_at": v.replaced_at.isoformat()}
            for v in comment.versions.all()
        ],
    }


@functools.cache
def _status_words(stands: Standing) -> str:
    """The sentence the status page says, from the template both pages use, as plain text."""
    said = render_to_string("comments/status_words.html", {"standing": stands, "public_url": None})
    return " ".join(html.unescape(strip_tags(said)).split())
