"""Why a comment might be bad: the reasons moderators see next to it in the queue."""

import ipaddress
import re
import unicodedata

from confusable_homoglyphs import categories, confusables

from comments.models import Block, Comment, CommenterAddress, ModerationPolicy, erased_email
from comments.models.comment import ip_networks

LINK_PATTERN = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Control characters other than tab and line breaks (C0, DEL, C1, and the Unicode line and
# paragraph separators): never typed by a person.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# Bidirectional overrides and isolates: in a name they can make it read as someone else's.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def _as_read(text: str) -> str:
    """The text as a reader sees it, for matching words: without the invisible characters
    (zero-width spaces, soft hyphens, joiners) that would part "cas\u00adino" from "casino",
    with compatibility forms folded (full-width "ｃａｓｉｎｏ" is "casino"), and with letters of
    other scripts read as the Latin ones they look like (a Cyrillic "а" in "cаsino")."""
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    folded = unicodedata.normalize("NFKC", visible).casefold()
    return folded.translate(_look_alikes(folded)).casefold()


def _look_alikes(text: str) -> dict[int, str]:
    """Each letter of another script in the text that Unicode's confusables data says looks
    like a Latin one, and that Latin letter. A word in the lists is read the same way, so a
    Cyrillic word there still finds itself; digits and punctuation are left as they are."""
    found = confusables.is_confusable(text, greedy=True, preferred_aliases=["latin", "common"])
    table = {}
    for entry in found or ():
        latin = [
            glyph["c"]
            for glyph in entry["homoglyphs"]
            if all(categories.alias(c) == "LATIN" for c in glyph["c"])
        ]
        if latin:
            table[ord(entry["character"])] = latin[0]
    return table


def _contains_word(texts: tuple[str, ...], word: str) -> bool:
    # A phrase matches however its words are spaced or broken across lines, within one text:
    # a name ending "Free" and a body starting "money" do not say "free money".
    phrase = r"\s+".join(re.escape(part) for part in _as_read(word).split())
    return any(re.search(rf"(?<!\w){phrase}(?!\w)", text) for text in texts)


def _blocked_email(email: str, entries: list[str]) -> bool:
    email = email.lower()
    domain = email.rpartition("@")[2]
    # An address erased at its owner's request stays in the list as its keyed hash.
    if any(entry in (email, erased_email(email)) for entry in entries):
        return True
    # "@junk.example" blocks that domain and the ones under it (mail.junk.example).
    return any(
        entry.startswith("@") and (domain == entry[1:] or domain.endswith("." + entry[1:]))
        for entry in entries
    )


def _blocked_ip(ip: str | None, entries: list[str]) -> bool:
    if not ip:
        return False
    address = ipaddress.ip_address(ip)
    # Addresses and networks (203.0.113.0/24), however IPv6 is written (the policy's clean()
    # refuses a line that is neither).
    return any(address in network for network in ip_networks(entries))


def _confirmed(email: str) -> bool:
    # Only its owner can follow the confirmation link.
    return CommenterAddress.objects.filter(email=email.lower(), verified_at__isnull=False).exists()


def _proven_returning(comment: Comment, written_before) -> bool:
    """Anyone can type a regular's address: a returning commenter shows an approved comment
    with it that they wrote, from this browser (its signed cookie) or their account."""
    written = Comment.objects.approved().written_with(
        comment.email, ids=written_before, user_id=comment.user_id
    )
    return written.exists()


def screen(comment: Comment, policy: ModerationPolicy, written_before=()) -> tuple[str, list[str]]:
    """The status a new comment starts in, and why.

    Everything waits for a person except what the block list sends straight to spam, and (when
    the policy allows it) a returning commenter against whom nothing else speaks, at a
    confirmed address, who wrote one of its approved comments (`written_before`: the ids this
    browser's cookie names).
    """
    texts = (_as_read(comment.name), _as_read(comment.body))

    blocked = [
        f"blocked word “{word}”"
        for word in policy.lines(policy.blocked_words)
        if _contains_word(texts, word)
    ]
    if _blocked_email(comment.email, policy.lines(policy.blocked_emails)):
        blocked.append("blocked e-mail address")
    if _blocked_ip(comment.ip_address, policy.lines(policy.blocked_ips)):
        blocked.append("blocked IP address")
    blocked += Block.objects.reasons_against(email=comment.email, ip=comment.ip_address)
    if blocked:
        return Comment.Status.SPAM, blocked

    reasons = []
    links = len(LINK_PATTERN.findall(comment.body))
    if policy.link_limit and links >= policy.link_limit:
        reasons.append(f"{links} link{'s' if links != 1 else ''} (limit {policy.link_limit})")
    reasons += [
        f"moderation word “{word}”"
        for word in policy.lines(policy.moderation_words)
        if _contains_word(texts, word)
    ]
    returning = Comment.objects.approved().filter(email=comment.email.lower()).exists()
    if not returning:
        reasons.append("first-time commenter")
    elif policy.auto_approve_returning and not _proven_returning(comment, written_before):
        # Anyone can type a regular's address: the moderator should know this one did not
        # come from the browser or account that wrote its approved comments.
        reasons.append("a regular's address, from another browser")
    if not reasons and policy.auto_approve_returning and _confirmed(comment.email):
        return Comment.Status.APPROVED, ["auto-approved: returning commenter"]
    return Comment.Status.PENDING, reasons
