"""What the article page shows of its comments: approved ones only, in a constant number of
queries whatever their number, each comment's HTML cached once (approved text never changes)."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.pagecache import article_version_key, cached_fragment
from comments.forms import CommentForm
from comments.models import Comment, ModerationPolicy
from comments.services import comments_open
from comments.tokens import form_token

logger = logging.getLogger(__name__)
PAGE_PARAM = "comments-page"
REPLY_PARAM = "reply-to"
HTML_CACHE_SECONDS = 24 * 3600


def _html_key(comment) -> str:
    return f"comments:html:v1:{comment.pk}"


def attach_html(comments: list[Comment]) -> None:
    """Set comment.html for each comment: from the cache, or rendered and cached."""
    keys = {_html_key(comment): comment for comment in comments}
    try:
        cached = cache.get_many(list(keys))
    except Exception as exc:  # a cache outage costs speed, never the page
        logger.warning("comment HTML cache unavailable: %s", type(exc).__name__)
        cached = None
    fresh = {}
    for key, comment in keys.items():
        html = cached.get(key) if cached is not None else None
        if html is None:
            html = render_to_string("comments/comment.html", {"comment": comment})
            fresh[key] = html
        comment.html = html
    if fresh and cached is not None:
        try:
            cache.set_many(fresh, HTML_CACHE_SECONDS)
        except Exception as exc:
            logger.warning("comment HTML cache unavailable: %s", type(exc).__name__)


def _reply_target(request, article):
    try:
        parent_id = int(request.GET.get(REPLY_PARAM, ""))
    except ValueError:
        return None
    return (
        Comment.objects.approved()
        .filter(pk=parent_id, article=article, parent__isnull=True)
        .only("name")
        .first()
    )


def _comment_list_html(request, article, *, is_open: bool) -> str:
    per_page = settings.COMMENTS_PER_PAGE
    page = Paginator(Comment.objects.top_level_for(article), per_page).get_page(
        request.GET.get(PAGE_PARAM)
    )
    rows = list(
        Comment.objects.threads_for(article, offset=(page.number - 1) * per_page, limit=per_page)
    )
    attach_html(rows)
    threads = [comment for comment in rows if comment.parent_id is None]
    by_parent = {comment.pk: comment for comment in threads}
    for comment in threads:
        comment.reply_list = []
    for reply in rows:
        if reply.parent_id in by_parent:
            by_parent[reply.parent_id].reply_list.append(reply)
    context = {
        "article": article,
        "comments_open": is_open,
        "comments_page": page,
        "comment_threads": threads,
        "comments_page_param": PAGE_PARAM,
        "comments_reply_param": REPLY_PARAM,
    }
    return render_to_string("comments/list.html", context, request=request)


# Stand-ins for a reader's own values in the shared rendering of the blank form; private-use
# characters, so no escaping changes them and no reader can type them into a form we render.
_BLANKS = {"name": "\ue200name\ue201", "email": "\ue200email\ue201", "parent": "\ue200parent\ue201"}
FORM_FIELDS_VERSION = "1"


def form_fields_html(form: CommentForm) -> str:
    """The form's fields through crispy-forms, in Bootstrap 5 markup.

    A form with errors is rendered for that reader. The blank form is the same for everyone
    but for the values filled in (a logged-in reader's name and e-mail, the comment replied
    to), and crispy's rendering costs more than the rest of the article page: it is rendered
    once, shared, and the values are put in per reader (escaped).
    """
    if form.is_bound:
        return render_to_string("comments/form_fields.html", {"comment_form": form})

    def build():
        blank = CommentForm(article=form.article, initial=dict(_BLANKS))
        return render_to_string("comments/form_fields.html", {"comment_form": blank})

    html = cached_fragment(f"comment-form-fields|{FORM_FIELDS_VERSION}", [], build)
    for field, marker in _BLANKS.items():
        value = form.initial.get(field)
        html = html.replace(marker, "" if value is None else escape(str(value)))
    return mark_safe(html)


def comment_section(request, article, *, form=None, shared=True) -> dict:
    """The comments under an article: the approved list, shared by every reader of that page
    until a moderation decision moves the article's version, and this reader's form."""
    policy = ModerationPolicy.current()
    is_open = comments_open(article, policy)

    def build():
        return _comment_list_html(request, article, is_open=is_open)

    if shared:
        key = f"comments|{article.pk}|{request.GET.get(PAGE_PARAM, '')}|{is_open}"
        list_html = cached_fragment(key, [article_version_key(article.slug)], build)
    else:
        list_html = build()

    reply_to = None
    if is_open and form is None:
        reply_to = _reply_target(request, article)
        form = CommentForm(
            article=article,
            user=request.user,
            initial={"parent": reply_to.pk} if reply_to else None,
        )
    elif form is not None:
        reply_to = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
    return {
        "comment_list_html": list_html,
        "comments_open": is_open,
        "comment_form": form if is_open else None,
        "comment_form_fields": form_fields_html(form) if is_open else "",
        "comment_form_token": form_token(article.pk),
        "comment_reply_to": reply_to,
    }
