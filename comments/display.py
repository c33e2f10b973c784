"""What the article page shows of its comments: approved ones only, in a constant number of
queries whatever their number, each comment's HTML cached once (approved text never changes)."""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.cachebatch import cached_value
from articles.pagecache import article_version_key, cached_fragment, fragment_key
from comments.forms import CommentForm
from comments.models import POLICY_CACHE_KEY, Comment, ModerationPolicy
from comments.services import comments_open
from comments.tokens import form_token
from newsportal.csrf import csrf_token

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
FORM_FIELDS_KEY = f"comment-form-fields|{FORM_FIELDS_VERSION}"


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

    return _fill_blanks(cached_fragment(FORM_FIELDS_KEY, [], build), form.initial)


def _fill_blanks(html: str, initial: dict) -> str:
    """The shared rendering of the blank form with this reader's values put in, escaped."""
    for field, marker in _BLANKS.items():
        value = initial.get(field)
        html = html.replace(marker, "" if value is None else escape(str(value)))
    return mark_safe(html)


def _list_key(request, slug: str, is_open: bool) -> str:
    return f"comments|{slug}|{request.GET.get(PAGE_PARAM, '')}|{is_open}"


def comment_section_cache_keys(request, slug: str) -> list[str]:
    """What comment_section reads from the shared cache, for the article page to fetch with
    everything else it reads in one round trip (the list is part of the page's shared shell)."""
    return [
        POLICY_CACHE_KEY,
        fragment_key(_blank_form_key(slug)),
    ]


def _moderation_policy() -> ModerationPolicy:
    # The policy the view already fetched with its other cache reads, or the usual lookup.
    policy = cached_value(POLICY_CACHE_KEY)
    return policy if isinstance(policy, ModerationPolicy) else ModerationPolicy.current()


def comment_list_html(request, article, *, is_open: bool, shared: bool = True) -> str:
    """The approved comments, shared by every reader of that page until a moderation decision
    moves the article's version."""

    def build():
        return _comment_list_html(request, article, is_open=is_open)

    if not shared:
        return build()
    return cached_fragment(
        _list_key(request, article.slug, is_open), [article_version_key(article.slug)], build
    )


def comment_section(request, article, *, form=None) -> dict:
    """This reader's part of the comments under an article: whether they are open, and the
    form (with its errors, or replying to a comment). The list is drawn by comment_list_html."""
    is_open = comments_open(article, _moderation_policy())

    reply_to = None
    if is_open and form is None:
        reply_to = _reply_target(request, article)
        if reply_to is None:
            # The blank form, drawn from the shared copy (comment_form_html): only this
            # reader's values are needed, not a form object.
            return {
                "comments_open": is_open,
                "comment_form": None,
                "comment_form_initial": reader_initial(request.user),
                "comment_reply_to": None,
            }
        form = CommentForm(article=article, user=request.user, initial={"parent": reply_to.pk})
    elif form is not None:
        reply_to = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
    return {
        "comments_open": is_open,
        "comment_form": form if is_open else None,
        "comment_form_initial": None,
        "comment_reply_to": reply_to,
    }


def reader_initial(user) -> dict:
    """What CommentForm(user=user) fills in of a blank form: a logged-in reader's name and
    e-mail (tests/test_comment_display.py checks the two agree)."""
    if user is not None and user.is_authenticated:
        return {"name": user.get_full_name() or user.get_username(), "email": user.email}
    return {}


def comment_form_html(request, article, section: dict, *, is_preview: bool = False) -> str:
    """The comment form under the article (or the note that comments are closed), for this
    reader: section is what comment_section() returned.

    A blank form (no errors, not a reply) is the same for every reader but for their CSRF
    token, the signed start time and a logged-in reader's name and e-mail: it is rendered once
    per article version, shared, and those values are put in per reader (escaped).
    """
    form = section["comment_form"]
    initial = section.get("comment_form_initial")
    context = {**section, "article": article, "is_preview": is_preview}
    if form is None and initial is not None and is_preview:
        # A preview is drawn for its (staff) reader alone: a form object, as for errors.
        form = context["comment_form"] = CommentForm(article=article, user=request.user)
        initial = None
    if initial is None:
        context.update(
            comment_form_fields=form_fields_html(form) if form is not None else "",
            comment_form_token=form_token(article.pk),
            # What {% csrf_token %} writes: this reader's token, as Django's csrf context
            # processor gives it, drawn without Django's 64 separate random-number system calls.
            csrf_token=SimpleLazyObject(lambda: csrf_token(request)),
        )
        return render_to_string("comments/form.html", context, request=request)

    def build():
        nonce = secrets.token_hex(8)
        marks = {name: f"\ue200{name}-{nonce}\ue201" for name in ("csrf", "started")}
        blank = CommentForm(article=article, initial=dict(_BLANKS))
        blank_context = {
            "article": article,
            "is_preview": False,
            "comment_form": blank,
            "comment_form_fields": form_fields_html(blank),
            "comment_form_token": marks["started"],
            "comment_reply_to": None,
            "csrf_token": marks["csrf"],
        }
        # No request: nothing of the reader who happens to draw the shared copy can reach it.
        return marks, render_to_string("comments/form.html", blank_context)

    marks, html = cached_fragment(
        _blank_form_key(article.slug), [article_version_key(article.slug)], build
    )
    html = html.replace(marks["csrf"], csrf_token(request))
    html = html.replace(marks["started"], form_token(article.pk))
    return _fill_blanks(html, initial)


def _blank_form_key(slug: str) -> str:
    return f"comment-form|{FORM_FIELDS_VERSION}|{slug}"
