"""Why a comment might be bad: the reasons moderators see next to it in the queue."""

import ipaddress
import re
import unicodedata

from confusable_homoglyphs import categories, confusables

from comments.models import Block, Comment, CommenterAddress, ModerationPolicy, erased_emails
from comments.models.comment import ip_networks

LINK_PATTERN = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Bidirectional overrides and isolates: in a name they can make it read as someone else's.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
ASCII_OR_ONE = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]")
# Read by comments.status too: a comment held for its address alone looks to its writer as if
# it waited (anyone may type an address).
BLOCKED_EMAIL = "blocked e-mail address"


def _as_read(text: str) -> str:
    """The text as a reader sees it, for matching words: without the invisible characters
    (zero-width spaces, soft hyphens, joiners) that would part "cas\u00adino" from "casino",
    with compatibility forms folded (full-width "ｃａｓｉｎｏ" is "casino"), and with letters of
    other scripts read as the Latin ones they look like (a Cyrillic "а" in "cаsino")."""
    return _reading(text)[0]


def _reading(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text as read (see _as_read) and, for each of its characters, the span of the text
    it was read from: so the queue can mark "cаsino" where the screen found "casino".
    A letter is folded with the accents that follow it, so "cafe" + U+0301 reads as "café"."""
    pieces = []
    for start, end in _letters(text):
        written = text[start:end]
        if written.isascii():  # most of any text, and read as it is but for case
            pieces.append((start, end, written.lower(), True))
            continue
        visible = "".join(c for c in written if unicodedata.category(c) != "Cf")
        if visible:
            folded = unicodedata.normalize("NFKC", visible).casefold()
            pieces.append((start, end, folded, False))
    # Only what was read from other scripts may look like a Latin letter (ASCII is read as is).
    table = _look_alikes("".join(piece[2] for piece in pieces if not piece[3]))
    read, origins = [], []
    for start, end, piece, one_to_one in pieces:
        if one_to_one:
            read.append(piece)
            origins += [(index, index + 1) for index in range(start, start + len(piece))]
            continue
        as_read = piece.translate(table).casefold()
        read.append(as_read)
        origins += [(start, end)] * len(as_read)
    return "".join(read), origins


def _letters(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text's runs of ASCII and of each other character, with the
    combining marks and invisible characters that follow it (which take the run's last
    letter with them): "e", a soft hyphen and an accent read as one "é"."""
    spans = []
    for chunk in ASCII_OR_ONE.finditer(text):
        start, end = chunk.span()
        if spans and not chunk.group().isascii() and _joins_the_letter_before(chunk.group()):
            before, after = spans.pop()
            if after - before > 1 and text[before:after].isascii():
                spans.append((before, after - 1))
                before = after - 1
            start = before
        spans.append((start, end))
    return spans


def _joins_the_letter_before(character: str) -> bool:
    # Marks (and what NFKC reads as one, like the half-width kana voicing mark), invisible
    # characters, and the Hangul vowel and final jamo that NFKC composes with the consonant
    # before them into one syllable.
    return (
        unicodedata.category(character) in ("Mn", "Mc", "Me", "Cf")
        or unicodedata.combining(unicodedata.normalize("NFKC", character)[:1] or " ") != 0
        or "\u1160" <= character <= "\u11ff"
        or "\ud7b0" <= character <= "\ud7ff"
    )


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


def _phrase(word: str) -> re.Pattern:
    # A phrase matches however its words are spaced or broken across lines, within one text:
    # a name ending "Free" and a body starting "money" do not say "free money".
    phrase = r"\s+".join(re.escape(part) for part in _as_read(word).split())
    return re.compile(rf"(?<!\w){phrase}(?!\w)")


def _contains_word(texts: tuple[str, ...], word: str) -> bool:
    pattern = _phrase(word)
    return any(pattern.search(text) for text in texts)


def published_with(words: list[str], *, last: int = 500) -> tuple[dict[str, int], int]:
    """In how many of the last `last` published comments the screen reads each word (in the
    name or the words), and how many it looked at."""
    written = Comment.objects.approved().order_by("-pk").values_list("name", "body")[:last]
    texts = [(_as_read(name), _as_read(body)) for name, body in written]
    found = {word: sum(_contains_word(pair, word) for pair in texts) for word in words}
    return found, len(texts)


def word_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where in the text, as written, the screen reads each of the words (for the queue's
    marks): "vіаgrа" spelt with Cyrillic letters is found where "viagra" is listed."""
    read, origins = _reading(text)
    return [
        (origins[found.start()][0], origins[found.end() - 1][1])
        for word in words
        for found in _phrase(word).finditer(read)
        if found.end() > found.start()
    ]


def _blocked_email(email: str, entries: list[str]) -> bool:
    email = email.lower()
    domain = email.rpartition("@")[2]
    # An address erased at its owner's request stays in the list as its keyed hash.
    if {email, *erased_emails(email)}.intersection(entries):
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
        blocked.append(BLOCKED_EMAIL)
    if _blocked_ip(comment.ip_address, policy.lines(policy.blocked_ips)):
        blocked.append("blocked IP address")
    blocked += Block.objects.reasons_against(email=comment.email, ip=comment.ip_address)
    if blocked:
        return Comment.Status.SPAM, blocked

    reasons = []
    links = len(LINK_PATTERN.findall(comment.body))
    if policy.link_limit and links >= policy.link_limit:
        reasons.append(
            f"{links} link{'s' if links != 1 else ''} (held at {policy.link_limit} or more)"
        )
    reasons += [
        f"moderation word “{word}”"
        for word in policy.lines(policy.moderation_words)
        if _contains_word(texts, word)
    ]
    returning = Comment.objects.approved().filter(email=comment.email.lower()).exists()
    if comment.from_newsroom:
        # Still a moderator's decision, but "first-time commenter" would mislead about who wrote.
        # Said when it comes in: an edit is screened as anyone's (its account may be gone).
        if comment.pk is None and comment.user is not None:
            reasons.append(f"from the staff account “{comment.user.get_username()}”")
    elif not returning:
        reasons.append("first-time commenter")
    elif policy.auto_approve_returning and not _proven_returning(comment, written_before):
        # Anyone can type a regular's address: the moderator should know this one did not
        # come from the browser or account that wrote its approved comments.
        reasons.append("a regular's address, from another browser")
    if not reasons and policy.auto_approve_returning and _confirmed(comment.email):
        return Comment.Status.APPROVED, ["auto-approved: returning commenter"]
    return Comment.Status.PENDING, reasons
