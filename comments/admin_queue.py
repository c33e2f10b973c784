"""The moderation queue's page: what each card shows beside the comment (the article, the
comment a reply answers, the commenter's record and blocks in force, the reports, the reasons it
was held with the offending links and words marked), gathered for the whole page in a fixed
number of queries."""

import ipaddress
from collections import Counter, defaultdict
from functools import cache

from django.db import connection
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from comments.admin_status import StatusFilter, narrowed
from comments.admin_typed import card_about
from comments.desk import hidden_by_reports
from comments.emptied import ONLY_REJECTED_TEXT, answers_emptied_take_down
from comments.models import (
    Block,
    Comment,
    ModerationPolicy,
    ModeratorNote,
    RejectionReason,
    Report,
)
from comments.ratelimit import sender
from comments.screening import LINK_PATTERN, word_spans
from comments.versions import word_diff
from newsportal.formats import newsroom_time

QUEUES = ("pending", "reported")
CARD_URLS = ["change", "approve", "reject", "spam", "take-down", "dismiss", "requeue"]
RECORD_STATUSES = [
    Comment.Status.APPROVED,
    Comment.Status.REJECTED,
    Comment.Status.SPAM,
    Comment.Status.PENDING,
]


def time_cell(value) -> str:
    """A time in a list of the desk: the newsroom's time, as the cards show it."""
    if value is None:
        return "–"
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(timespec="seconds"),
        newsroom_time(value),
    )


def received_cell(value) -> str:
    """When a card's comment came: how long ago, the newsroom's time on hover. Written here
    for the same reason as the record: three template filters on fifty cards were a tenth of
    the page's time."""
    return format_html(
        '<time datetime="{}" title="{}">{} ago</time>',
        value.isoformat(timespec="seconds"),
        newsroom_time(value),
        timesince(value),
    )


BLOCKED_WORDS = {Block.Kind.EMAIL: "e-mail address", Block.Kind.IP: "IP address"}


def blocked_cell(blocks: dict, senders: list[tuple[str, str | None, str | None]]) -> str:
    """What of a card's sender is blocked now, each linking to the commenter page where the
    block is lifted ("e-mail address until 12 Dec 2026, 06:19 · IP address for good"), or "".
    blocks: Block.objects.active().matching_each(); senders: (kind, address, its page)."""
    parts = []
    for kind, address, url in senders:
        ends = [block.expires_at for block in blocks.get((kind, address), [])]
        if not ends:
            continue
        # Two may be in force (one made before blocks named an IPv6 /64): the longest shows.
        if None in ends:
            until = "for good"
        else:
            end = max(ends)
            until = format_html(
                'until <time datetime="{}">{}</time>',
                end.isoformat(timespec="seconds"),
                newsroom_time(end),
            )
        parts.append(format_html('<a href="{}">{}</a> {}', url, BLOCKED_WORDS[kind], until))
    return mark_safe(" · ".join(parts))  # every part went through format_html()


def preset_options(numbered, *, chosen) -> str:
    """A card's <option>s of the preset reasons, chosen selected: a template loop on each of
    fifty cards was an eighth of the page's time."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((pk, " selected" if pk == chosen else "", label) for pk, label in numbered),
    )


def current_queue(request) -> str | None:
    value = request.GET.get(StatusFilter.parameter_name) or StatusFilter.default
    return value if value in QUEUES else None


def policy_words() -> list[str]:
    """The words the policy holds or blocks comments for: marked on the cards."""
    policy = ModerationPolicy.current()
    return policy.lines(policy.moderation_words) + policy.lines(policy.blocked_words)


def highlight(text: str, words: list[str]) -> str:
    """The comment's text, escaped, with links and the policy's words marked where the screen
    reads them (however they are spelt: "cаsino" with a Cyrillic "а", "ｃａｓｉｎｏ")."""
    spans = [m.span() for m in LINK_PATTERN.finditer(text)] + word_spans(text, words)
    merged = []  # one mark for what overlaps: a word inside a link, "free" in "free money"
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, last = [], 0
    for start, end in merged:
        parts += [escape(text[last:start]), f"<mark>{escape(text[start:end])}</mark>"]
        last = end
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # every piece went through escape()


def _record(field: str, values) -> dict[str, str]:
    """The record per address ("3 approved · 1 rejected · 0 spam · 2 pending") of the senders
    with these values of field, written once here: the page shows fifty, and the template
    language is slow at small numbers."""
    rows = (
        Comment.objects.filter(**{f"{field}__in": values})
        .values(field, "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    record = defaultdict(dict)
    for row in rows:
        record[row[field]][row["status"]] = row["n"]
    return {
        key: " · ".join(f"{counts.get(s, 0)} {s.label.lower()}" for s in RECORD_STATUSES)
        for key, counts in record.items()
    }


def _from_senders(ips) -> Q:
    """The rows (by their ip_address) sent from these addresses as the commenter's page counts
    a sender: an IPv4 address alone, an IPv6 address with its whole /64 (one subscriber's
    changing addresses). On SQLite every IPv6 row: the caller sorts them out with sender()."""
    senders = {ip: sender(ip) for ip in ips}
    networks = [ipaddress.ip_network(s) for s in set(senders.values()) if "/" in s]
    match = Q(ip_address__in=[ip for ip, s in senders.items() if s == ip])
    for network in networks:
        if connection.vendor == "postgresql":  # a range of the sender index
            first, last = str(network.network_address), str(network.broadcast_address)
            match |= Q(ip_address__gte=first, ip_address__lte=last)
        else:  # text, which does not sort as addresses do: every IPv6 sender, sorted out here
            match |= Q(ip_address__contains=":")
    return match


def _record_by_sender(ips) -> dict[str, str]:
    """_record() by IP address, each by its sender (_from_senders), in one query."""
    rows = Comment.objects.filter(_from_senders(ips)).values("ip_address", "status")
    counts = defaultdict(Counter)
    for row in rows.annotate(n=Count("pk")).order_by():
        counts[sender(row["ip_address"])][row["status"]] += row["n"]
    return {
        ip: " · ".join(f"{counts[s][status]} {status.label.lower()}" for status in RECORD_STATUSES)
        for ip in ips
        if (s := sender(ip)) in counts
    }


def _notes(emails, ips) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """The moderators' notes on these e-mail addresses and on these IP addresses' senders (as
    their commenter pages list them), in one query: ({e-mail: note ids}, {sender: note ids})."""
    rows = ModeratorNote.objects.filter(Q(email__in=emails) | _from_senders(ips))
    by_email, by_sender = defaultdict(set), defaultdict(set)
    for pk, email, ip in rows.values_list("pk", "email", "ip_address"):
        if email in emails:
            by_email[email].add(pk)
        if ip:
            by_sender[sender(ip)].add(pk)
    return by_email, by_sender


def notes_cell(comment, on_email: set[int], on_ip: set[int]) -> str:
    """Where a card's notes are read ("on this e-mail and this IP"), each its commenter page."""
    pages = [(comment.urls["by_email"], "this e-mail")] if on_email else []
    if on_ip:
        pages.append((comment.urls["by_ip"], comment.ip_sender[0].lower() + comment.ip_sender[1:]))
    return format_html("on {}", format_html_join(" and ", '<a href="{}">{}</a>', pages))


def report_reasons(reports) -> list[tuple[str, int]]:
    """How many reports give each reason, the most given first: [("Spam", 2), ...]. A list: a
    Counter in a template answers 0 to ".items"."""
    return Counter(report.get_reason_display() for report in reports).most_common()


def article_place(article, *, admin_page: str | None) -> tuple[str, str]:
    """Where a card's article link leads, and what the card says of a story readers cannot
    see ("" for one on the site). Off the site (a draft, or scheduled) its public address is a
    404 to a moderator who may not preview stories: its admin page (admin_page, the address of
    the articles' list for those who may open them) instead, else no link."""
    if article.is_public:
        return article.get_absolute_url(), ""
    off = "draft"
    if article.status == article.Status.PUBLISHED:
        off = f"scheduled for {newsroom_time(article.published_at)}"
    return (f"{admin_page}{article.pk}/change/" if admin_page else ""), off


def prepare_queue(
    cl, *, queue: str, can_moderate: bool, kept: dict, drawn_at, can_view_articles: bool = False
) -> None:
    """Attach to the change list (and each comment on its page) everything the cards show;
    kept: {comment id: {"reason", "preset"}} a moderator typed and has to see again; drawn_at:
    the moment before the list was read (what is sent after it is new to this page)."""
    comments = list(cl.result_list)
    emails = {c.email for c in comments}
    ips = {c.ip_address for c in comments if c.ip_address}
    by_email = _record("email", emails)
    by_ip = _record_by_sender(ips)
    notes_by_email, notes_by_ip = _notes(emails, ips)
    # Blocks in force, matched as the screen matches them (an erased address, an IPv6 /64).
    senders = [(Block.Kind.EMAIL, e) for e in emails] + [(Block.Kind.IP, ip) for ip in ips]
    blocks = Block.objects.active().matching_each(senders)
    reports = defaultdict(list)
    # Readers' words about a commenter, and who is being reported: for moderators only.
    open_reports = Report.objects.open().filter(comment__in=[c.pk for c in comments])
    for report in open_reports if can_moderate else []:
        reports[report.comment_id].append(report)
    words = policy_words()
    presets = list(RejectionReason.objects.all()) if can_moderate else []
    # The first nine with the key that picks them (d, then 1-9).
    numbered = [(p.pk, f"{n}. {p.label}" if n < 10 else p.label) for n, p in enumerate(presets, 1)]
    base = reverse("admin:comments_comment_changelist")
    # A comment's page opened from a search or filter (the name, or `o`) leads on, after the
    # decision, to the next comment of that list, as the stock list's links do.
    from_list = f"?{cl.preserved_filters}" if cl.preserved_filters else ""
    commenter = reverse("admin:comments_comment_commenter")
    # Once per story and per preset chosen, not once per card: 7% of the page's work.
    articles = reverse("admin:articles_article_changelist") if can_view_articles else None
    place = cache(lambda article: article_place(article, admin_page=articles))
    options = cache(lambda chosen: preset_options(numbered, chosen=chosen))
    for comment in comments:
        # Every card's addresses from two reversed ones (fifty cards, six links each).
        comment.urls = {n.replace("-", "_"): f"{base}{comment.pk}/{n}/" for n in CARD_URLS}
        comment.urls["change"] += from_list
        comment.urls["article"], comment.article_off_site = place(comment.article)
        comment.urls["by_email"] = f"{commenter}?{urlencode({'email': comment.email})}"
        if comment.ip_address:
            comment.urls["by_ip"] = f"{commenter}?{urlencode({'ip': comment.ip_address})}"
        comment.marked_body = highlight(comment.body, words)
        comment.about = card_about(comment.name, comment.body)
        comment.received = received_cell(comment.created_at)
        comment.edit = None
        if getattr(comment, "earlier_body", None) is not None:
            comment.edit = word_diff(comment.earlier_body, comment.body, context=4)
        comment.record_by_email = by_email.get(comment.email, "")
        comment.record_by_ip = by_ip.get(comment.ip_address, "")
        # What its link opens: the commenter's page of the sender (an IPv6 address's /64).
        network = comment.ip_address and "/" in sender(comment.ip_address)
        comment.ip_sender = "This IPv6 /64" if network else "This IP"
        # A note on its e-mail, on its IP (an IPv6 sender's /64), or on both: counted once.
        on_email = notes_by_email.get(comment.email, set())
        on_ip = notes_by_ip.get(sender(comment.ip_address), set()) if comment.ip_address else set()
        comment.note_count = len(on_email | on_ip)
        comment.notes_on = notes_cell(comment, on_email, on_ip) if comment.note_count else ""
        comment.blocked = blocked_cell(
            blocks,
            [
                (Block.Kind.EMAIL, comment.email, comment.urls["by_email"]),
                (Block.Kind.IP, comment.ip_address, comment.urls.get("by_ip")),
            ],
        )
        given = kept.get(str(comment.pk), {})
        comment.kept_reason = given.get("reason", "")
        comment.preset_options = options(given.get("preset"))
        comment.open_reports = reports.get(comment.pk, [])
        # Up, or hidden by its reports: the reports are decided (Take down, Dismiss). Back in
        # the queue because its author edited it, its new words are decided as any edit is.
        edited_back = comment.status == Comment.Status.PENDING and not hidden_by_reports(comment)
        reported = bool(comment.open_reports) or queue == "reported"
        comment.report_controls = reported and not edited_back
        comment.report_reasons = report_reasons(comment.open_reports)
        # Its Approve would only leave it waiting, for good: the card offers Reject and says why.
        comment.only_rejected = ONLY_REJECTED_TEXT if answers_emptied_take_down(comment) else ""
    cl.moderation_queue = queue
    # A search or a filter that leaves nothing is not an empty queue.
    cl.queue_narrowed = narrowed(cl)
    # When the page was drawn: the comments sent (or reported) since are counted for it
    # (meanwhile_view), under its search and its filters by section or date, which its
    # question names as the page's address does.
    filters = cl.get_filters_params()
    filters.pop(StatusFilter.parameter_name, None)
    cl.meanwhile_filters = urlencode(filters, doseq=True)
    # Only the filters the count applies (admin_meanwhile._as_filtered): under another (the
    # editors' picks, a lookup typed in the address) no count, rather than a wrong one.
    counted = {
        parameter
        for spec in cl.filter_specs
        if getattr(spec, "field_path", None) in cl.model_admin.list_filter
        for parameter in spec.expected_parameters()
    }
    cl.drawn_at = drawn_at.isoformat() if set(filters) <= counted else None
    cl.can_moderate = can_moderate
    cl.presets = presets
