"""{% comment_section article %}: the comments under an article and the form to add one.

Everyone's section (any reader with no message waiting, signed in or not) holds nothing of one
reader: no CSRF token, no start time, no name. comments.js asks for them when the reader starts
writing (comments:form-token); without JavaScript the first send comes back once with them
filled in (comments.views).
"""

from datetime import datetime

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse

from comments import links
from comments.closing import comments_close_at, comments_open, open_before
from comments.forms import CommentForm
from comments.models import Comment, Report
from comments.picks import MAX_PICKS
from comments.tokens import form_age, form_token
from newsportal.caching import (
    SITE,
    article_key,
    cached,
    changes_at,
    has_flash_message,
    may_predate,
    signed_in_user,
)
from newsportal.paging import COMMENTS_PAGE_PARAM, PastTheLastPage

register = template.Library()

REPLY_PARAM = "reply-to"


def _positive_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def reply_target(query, article):
    """The comment a reader is answering (query: GET or POST data), if it may be answered."""
    parent_id = _positive_int(query.get(REPLY_PARAM) or query.get("parent"))
    if parent_id is None:
        return None
    return Comment.objects.repliable(article).filter(pk=parent_id).first()


def _section_parts(article, number: int, blank_form, is_open: bool) -> tuple[str, str]:
    """The approved comments of this page and a blank form's fields for the values filled in
    (none, or a signed-in reader's): crispy-forms costs more than the rest of the page. Drawn
    again when a decision purges the article or the policy purges the site."""
    values = sorted((k, str(v)) for k, v in blank_form.initial.items()) if blank_form else None

    def make():
        context = _list_context(article, number, is_open)
        fields = _fields_html(blank_form) if blank_form and is_open else ""
        return render_to_string("comments/list.html", context), fields

    # Whether comments are open is in the name: once they close by age (which purges nothing),
    # the fragment drawn while they were open is not used. ("comments-list": the list without
    # its heading, which the section draws since the question for readers came under it.)
    name = f"comments-list:{article.pk}:{number}:{values}:{is_open}"
    return cached(name, [SITE, article_key(article.pk)], make)


def _list_context(article, number: int, is_open: bool) -> dict:
    """What comments/list.html draws: this page's approved threads, each with its replies.
    Past the last page it raises PastTheLastPage, before anything is drawn or kept: no page of
    comments has a second address, and made-up numbers leave nothing in the cache."""
    per_page = settings.COMMENTS_PER_PAGE
    page = Paginator(Comment.objects.top_level_for(article), per_page).get_page(number)
    if page.number != number:
        raise PastTheLastPage(page.number)
    offset = (page.number - 1) * per_page
    rows = list(
        Comment.objects.threads_for(
            article, offset=offset, limit=per_page, with_picks=page.number == 1
        )
    )
    picks = []
    if page.number == 1:
        rows, picks = _set_apart_picks(rows, article, per_page)
    threads = [comment for comment in rows if comment.parent_id is None]
    by_parent = {comment.pk: comment for comment in threads}
    for comment in threads:
        comment.reply_list = []
    for reply in rows:
        if reply.parent_id in by_parent:
            by_parent[reply.parent_id].reply_list.append(reply)
    return {
        "article": article,
        "comments_open": is_open,
        "comments_page": page,
        "comment_threads": threads,
        "comment_picks": picks,
        "comments_page_param": COMMENTS_PAGE_PARAM,
        "comments_reply_param": REPLY_PARAM,
        "report_reasons": Report.Reason.choices,
    }


def _set_apart_picks(rows, article, per_page: int) -> tuple[list, list]:
    """The first page's rows (in the threads' order) as its threads and replies, and the
    editors' picks for the box above them, in the order they were picked. Picks from later
    pages come after this page's threads: its threads are the first per_page top-level rows.
    A pick here is linked by its anchor; one elsewhere by the address that finds its page when
    followed (comments approved meanwhile move it), which keeps this fragment one query."""
    top_level = [row.pk for row in rows if row.parent_id is None]
    on_page = set(top_level[:per_page])
    here = [row for row in rows if row.pk in on_page or row.parent_id in on_page]
    # At most MAX_PICKS, the latest: a reply's pick hidden while its comment was reviewed
    # again may come back beside those picked meanwhile.
    picks = sorted((row for row in rows if row.is_pick), key=lambda row: row.picked_at)
    picks = picks[-MAX_PICKS:]
    shown_here = {row.pk for row in here}
    for row in picks:
        if row.pk in shown_here:
            row.pick_path = f"{article.get_absolute_url()}#comment-{row.pk}"
        else:
            row.pick_path = reverse("comments:in-conversation", args=[row.pk])
    return here, picks


def _fields_html(form) -> str:
    return render_to_string("comments/form_fields.html", {"comment_form": form})


def _shared_section(article, number: int, is_open: bool) -> str:
    """What every anonymous reader gets: drawn once, until a decision purges the article or the
    policy purges the site."""
    return cached(
        f"comment-section:{article.pk}:{number}:{is_open}",
        [SITE, article_key(article.pk)],
        lambda: _section_html(None, article, number, is_open, form=None, personal=False),
    )


@register.simple_tag
def shared_comment_section(article):
    """The first page of comments as every anonymous reader sees it, for articles.pages to keep
    inside the article page's own fragment (whose keys include this one's)."""
    return _shared_section(article, 1, comments_open(article))


def gets_shared_section(request) -> bool:
    """Whether this reader's comment section is everyone's: no message waits for them (the
    promise after posting, their status link) and they answer no comment without JavaScript.
    A signed-in reader's too: comments.js fills in their name and address when they write."""
    return not has_flash_message(request) and REPLY_PARAM not in request.GET


@register.simple_tag
def shared_comments_close_at(article) -> str:
    """When comments close by the article's age ("" if they do not), for articles.pages to keep
    beside shared_comment_section: a page drawn from that fragment then knows it without asking
    for the moderation policy."""
    closes_at = _closes_by_age_at(article)
    return closes_at.isoformat() if closes_at else ""


def _closes_by_age_at(article):
    return comments_close_at(article) if article.comments_enabled else None


@register.simple_tag(takes_context=True)
def comment_section(context, article, shared="", shared_closes_at=""):
    """shared, shared_closes_at: what shared_comment_section and shared_comments_close_at drew
    into the page's fragment, used when this reader would get just that (it saves the cache
    round trips for the section and the policy).

    The article view says which page of comments its address names (comments_page_number) and
    turns PastTheLastPage into a redirect to the last one. comments.views draws the page again
    at the address the form posted to, which names no page: a reply's is the page of the
    comment it answers (the form is drawn under it), anything else's the first."""
    number = context.get("comments_page_number")
    if number is not None:
        return _section(context, article, number, shared, shared_closes_at)
    form, reply_to = context.get("comment_form"), context.get("comment_reply_to")
    number = links.page_of(reply_to) if form is not None and reply_to is not None else 1
    try:
        return _section(context, article, number, shared, shared_closes_at)
    except PastTheLastPage as past:  # the comment answered was taken down just now
        return _section(context, article, past.last_page, shared, shared_closes_at)


def _section(context, article, number: int, shared: str, shared_closes_at: str) -> str:
    request = context["request"]
    # comments.views hands back a reader's form (with errors, or to send once more).
    form = context.get("comment_form")
    is_preview = context.get("is_preview", False)
    unsent_text = context.get("comment_unsent_text", "")
    if form is None and not unsent_text and not is_preview and gets_shared_section(request):
        if shared:  # the page's fragment says when comments close by age
            closes_at = datetime.fromisoformat(shared_closes_at) if shared_closes_at else None
        else:
            closes_at = _closes_by_age_at(article)
        if closes_at is not None:
            # Nothing purges when they close: the page is kept no longer, and a section the
            # article's fragment kept from before is not used.
            changes_at(request, closes_at)
        if shared and number == 1 and not (closes_at and may_predate(closes_at)):
            return shared
        return _shared_section(article, number, open_before(article, closes_at))
    return _section_html(
        request,
        article,
        number,
        comments_open(article),
        form=form,
        personal=True,
        reply_to=context.get("comment_reply_to"),
        is_preview=is_preview,
        messages=context.get("messages"),
        unsent_text=unsent_text,
    )


def _start_time(form, article) -> str:
    """The form's signed start time. A reader's form drawn again (with an error, "That was
    quick!" included, or to send once more) keeps the one it was sent with while that is in the
    first half of its life: the minimum time counts from when the form was first shown, so
    pressing again after it passes the time check. An older one (or none, a forged or another
    article's) is renewed, so the form never comes back about to expire."""
    # The form sent back to press once more is unbound: what the press carried is its initial.
    sent = form.data.get("started", "") if form.is_bound else form.initial.get("started", "")
    age = form_age(sent, article.pk)
    if age is not None and 0 <= age < settings.COMMENTS_MAX_FORM_AGE_SECONDS / 2:
        return sent
    return form_token(article.pk)


def _section_html(
    request,
    article,
    number,
    is_open,
    *,
    form,
    personal,
    reply_to=None,
    is_preview=False,
    messages=None,
    unsent_text="",
):
    # A reader's own text (with errors, or to send once more) comes back with the browser at the
    # form (#comment-form), so its message goes there; after a post they land at #comments.
    messages_at_form = form is not None
    if form is not None:
        # Drawn for them, never kept.
        list_html, _ = _section_parts(article, number, None, is_open)
        fields = _fields_html(form)
    else:
        reply_to = reply_target(request.GET, article) if personal else None
        form = CommentForm(
            article=article,
            user=signed_in_user(request) if personal else None,
            initial={"parent": reply_to.pk} if reply_to else {},
        )
        list_html, fields = _section_parts(article, number, form, is_open)
    context = {
        "article": article,
        "is_preview": is_preview,
        "comment_list_html": list_html,
        "comment_form": form if is_open else None,
        "comment_form_fields": fields,
        "comment_reply_to": reply_to,
        "comment_unsent_text": unsent_text,
        # A flash message makes the page personal: shown here, where the reader lands.
        "comment_messages": messages,
        "messages_at_form": messages_at_form,
        # Only a page drawn for one reader carries their token and start time.
        "csrf_token_value": get_token(request) if personal else "",
        "started": _start_time(form, article) if personal else "",
    }
    if reply_to is not None and is_open:
        # Without JavaScript the form answering a comment is drawn under it, not after the
        # whole thread list; this page is drawn for one reader, so the list is drawn again.
        list_context = _list_context(article, number, is_open)
        if any(comment.pk == reply_to.pk for comment in list_context["comment_threads"]):
            context["reply_form_in_list"] = True
            context["comment_list_html"] = render_to_string(
                "comments/list.html", {**context, **list_context}
            )
    return render_to_string("comments/section.html", context)
