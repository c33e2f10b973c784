from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db.models.constants import LOOKUP_SEP
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import Truncator

from comments import admin_blocks, admin_policy  # noqa: F401 (registers the blocks, the policy and its page)
from comments.admin_actions import BulkActions, ModerationActionForm
from comments.admin_comment_page import CommentPageViews
from comments.admin_commenter import commenter_view
from comments.admin_decisions import (
    DECISIONS,
    ONE_CLICK,
    DecisionViews,
    decision_links,
)
from comments.admin_list_actions import ListActions
from comments.admin_meanwhile_view import MeanwhileView
from comments.admin_paging import KeptFiltersPaging, NarrowOffsetPaginator
from comments.admin_picks import PickFilter, PickViews
from comments.admin_posted import as_shown
from comments.admin_queue import (
    current_queue,
    highlight,
    prepare_queue,
    received_cell,
    time_cell,
)
from comments.admin_requeue import RequeueViews
from comments.admin_search import by_sender
from comments.admin_status import StatusFilter, found_elsewhere
from comments.admin_typed import TypedFields
from comments.admin_undo import UndoViews
from comments.deletion import delete_comments
from comments.emptied import EMPTIED_LISTED, is_emptied
from comments.models import Comment, ModerationPolicy
from comments.status import Standing, parent_said, standing
from comments.versions import last_earlier_body, versions_html

REPORT_ACTIONS = ["take-down", "dismiss"]
BUTTON = '<button type="submit" class="button" formmethod="post" formaction="{}">{}</button>'
# Relations a filter typed into the address may go through for moderators only.
MODERATORS_ONLY_RELATIONS = frozenset({"reports", "reply_subscription"})


@admin.register(Comment)
class CommentAdmin(
    CommentPageViews,
    DecisionViews,
    RequeueViews,
    PickViews,
    ListActions,
    BulkActions,
    TypedFields,
    UndoViews,
    MeanwhileView,
    KeptFiltersPaging,
    admin.ModelAdmin,
):
    # The article and why a comment was held are told under its words, not in columns of their
    # own: beside the sidebar and the filters a 1280 px screen leaves the list 630 px.
    list_display = ["received_ago", "excerpt", "author", "decision"]
    list_filter = [StatusFilter, "article__section", "created_at", PickFilter]
    # Words anywhere in these; an e-mail address, IP address or network typed whole finds its
    # sender's comments instead (get_search_results).
    search_fields = ["name", "email", "body"]
    ordering = ["created_at", "pk"]
    list_per_page = 50
    # The queue may hold tens of thousands of rows: never count the whole table.
    show_full_result_count = False
    paginator = NarrowOffsetPaginator  # page 1,000 of "All" without reading the 49,950 before
    action_form = ModerationActionForm
    actions = [
        "approve_selected",
        "reject_selected",
        "spam_selected",
        "take_down_selected",
        "dismiss_reports_selected",
        "requeue_selected",
        "not_spam_selected",
    ]
    fields = [
        "article",
        "parent",
        "name",
        "email",
        "commenter",
        "marked_text",
        "status",
        "held_because_words",
        "earlier_versions",
        "rejection_reason",
        "notify_on_decision",
        "ip_address",
        "user",
        "received",
        "moderated_by",
        "decided",
        "taken_down_by",
        "taken_down",
    ]

    class Media:
        css = {"all": ["css/admin-lists.css", "css/moderation.css"]}
        # The core first, then its keys and clicks: the others add Undo, the cards decided
        # meanwhile, the next page, ? and the counts that follow the decisions.
        js = [
            "js/moderation.js",
            "js/moderation-keys.js",
            "js/moderation-undo.js",
            "js/moderation-meanwhile.js",
            "js/moderation-next.js",
            "js/moderation-help.js",
            "js/moderation-count.js",
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article", "parent", "moderated_by", "taken_down_by")
            .defer(
                "article__body",
                "article__standfirst",
                "article__body_text",
                "article__search_vector",
            )
            .annotate(earlier_body=last_earlier_body())  # the queue card's "edited"
        )

    def get_search_results(self, request, queryset, search_term):
        found = by_sender(queryset, search_term)
        if found is None:
            return super().get_search_results(request, queryset, search_term)
        return found, False

    def get_changelist_instance(self, request):
        # Before the list is read: a comment sent while its cards are drawn is told as new.
        drawn_at = timezone.now()
        cl = super().get_changelist_instance(request)
        queue = current_queue(request)
        cl.moderation_queue = None
        # The lists by status, above the list too: on a phone the filters come after fifty
        # cards, the Reported queue 24,000 px down.
        statuses = next((s for s in cl.filter_specs if isinstance(s, StatusFilter)), None)
        cl.status_tabs = list(statuses.choices(cl)) if statuses else []
        if queue == "reported" and not self.has_moderate_permission(request):
            # Reports hold readers' words about a commenter: for moderators only.
            raise PermissionDenied
        if queue:
            prepare_queue(
                cl,
                queue=queue,
                can_moderate=self.has_moderate_permission(request),
                kept=getattr(request, "kept_reasons", {}),
                drawn_at=drawn_at,
                can_view_articles=request.user.has_perm("articles.view_article"),
            )
        cl.found_elsewhere = (
            found_elsewhere(cl, statuses) if statuses and queue == "pending" else []
        )
        # The admin's "Show all" beside the count dropped the status too: from the Approved
        # list searched it led to the pending queue. It clears the search alone here.
        cl.search_clears_only = True
        cl.clear_search_url = cl.get_query_string(remove=[SEARCH_VAR])
        return cl

    def get_list_display(self, request):
        if current_queue(request):
            # The queue draws cards from the comments themselves (admin_queue): the table's
            # cells would be computed for nothing, fifty rows at a time.
            return ["__str__"]
        if self.has_moderate_permission(request):
            # Beside the words they decide on: at the end of the row they sat off screen.
            return [*self.list_display[:2], "decide_buttons", *self.list_display[2:]]
        return self.list_display

    # Comments come from readers and change only through decisions (which keep the counts).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        delete_comments(Comment.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        delete_comments(queryset)

    def view_on_site(self, obj):
        # Only where readers see it, by the rule its commenter's status page reads: a comment
        # waiting, refused or taken down, or a reply under one, has no place on the page ("View
        # on site" led to the article, the comment nowhere on it).
        if standing(obj, **parent_said(obj)) == Standing.PUBLISHED:
            return obj.get_absolute_url()
        return None

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def lookup_allowed(self, lookup, value, request=None):
        # Who was reported, and who asked to be mailed about replies, are for moderators (the
        # Reported queue is refused to the others): "?status=all&reports__isnull=False" typed
        # into the address told them all the same.
        private = MODERATORS_ONLY_RELATIONS.intersection(lookup.split(LOOKUP_SEP))
        if private and not (request and self.has_moderate_permission(request)):
            return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="received", ordering="created_at")
    def received_ago(self, obj):
        # Not "waiting": most comments in these lists were decided long ago.
        return received_cell(obj.created_at)

    @admin.display(description="comment")
    def excerpt(self, obj):
        held = ""
        if obj.held_because:
            held = format_html(
                '<div class="queue-held"><span class="queue-label">Held because</span>{}</div>',
                self.reasons(obj),
            )
        return format_html(
            '<div class="comment-excerpt">{}</div><div class="comment-on">on {}</div>{}',
            Truncator(obj.body).chars(140) or (EMPTIED_LISTED if is_emptied(obj) else ""),
            Truncator(obj.article.title).chars(60),
            held,
        )

    @admin.display(description="status", ordering="status")
    def decision(self, obj):
        """The status, and for a decided comment why and by whom: the lists of rejected and
        spam comments answer "why is this not up?" without opening each one."""
        if obj.taken_down_at:
            # A take-down keeps its approval's moderator: the one who took it down decided last.
            by = obj.taken_down_by.get_username() if obj.taken_down_by else None
            by = f"taken down by {by}" if by else "taken down"
        elif obj.status != Comment.Status.PENDING and obj.moderated_by_id:
            by = f"by {obj.moderated_by.get_username()}"
        else:
            return obj.get_status_display()
        # The shipped reasons are sentences: "... about the article., by mod" read as a typo.
        why = Truncator(obj.rejection_reason.strip().removesuffix(".")).chars(80)
        return format_html(
            '{}<div class="decided-by">{}{}{}</div>',
            obj.get_status_display(),
            why,
            ", " if why else "",
            by,
        )

    @admin.display(description="comment")
    def marked_text(self, obj):
        policy = ModerationPolicy.current()
        words = policy.lines(policy.moderation_words) + policy.lines(policy.blocked_words)
        return format_html('<div class="queue-body">{}</div>', highlight(obj.body, words))

    @admin.display(description="author", ordering="name")
    def author(self, obj):
        return format_html("{}<br><small>{}<br>{}</small>", obj.name, obj.email, obj.ip_address)

    @admin.display(description="commenter")
    def commenter(self, obj):
        url = reverse("admin:comments_comment_commenter")
        links = [(f"{url}?{urlencode({'email': obj.email})}", "everything from this e-mail")]
        if obj.ip_address:
            links.append((f"{url}?{urlencode({'ip': obj.ip_address})}", "everything from this IP"))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    @admin.display(description="held because")
    def reasons(self, obj):
        if not obj.held_because:
            return "–"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in obj.held_because))
        )

    held_because_words = reasons

    @admin.display(description="earlier versions")
    def earlier_versions(self, obj):
        return versions_html(obj)

    @admin.display(description="received")
    def received(self, obj):
        return time_cell(obj.created_at)

    @admin.display(description="decided")
    def decided(self, obj):
        return time_cell(obj.moderated_at)

    @admin.display(description="taken down")
    def taken_down(self, obj):
        return time_cell(obj.taken_down_at)

    @admin.display(description="decide")
    def decide_buttons(self, obj):
        # The revision of the words on the row, and its status: what a decision, "Back to the
        # queue" or a take-down may act on.
        seen = as_shown(obj)
        if obj.status != Comment.Status.PENDING:
            return format_html("{}–", seen)
        # Buttons of the changelist form (which carries the CSRF token) posting elsewhere:
        # no nested forms, no JavaScript.
        buttons = format_html_join(" ", BUTTON, decision_links(obj.pk, ONE_CLICK[:2]))
        return format_html("{}{}", seen, buttons)

    def get_urls(self):
        def view(method):
            wrapped = self.admin_site.admin_view(method)
            # As the admin's own URLs carry it (ModelAdmin.get_urls): the outage page asks the
            # resolved view what its form calls the words typed in it (newsportal.unsent).
            wrapped.model_admin = self
            return wrapped

        urls = [
            path(
                f"<path:object_id>/{name}/",
                view(self.decide_view),
                {"decision": name},
                name=f"comments_comment_{name}",
            )
            for name in DECISIONS
        ]
        urls += [
            path(
                f"<path:object_id>/{name}/",
                view(self.report_view),
                {"action": name},
                name=f"comments_comment_{name.replace('-', '_')}",
            )
            for name in REPORT_ACTIONS
        ]
        urls += [
            path("commenter/", view(self.commenter_view), name="comments_comment_commenter"),
            path("meanwhile/", view(self.meanwhile_view), name="comments_comment_meanwhile"),
            path(
                "undo-take-down/",
                view(self.undo_take_down_view),
                name="comments_comment_undo_take_down",
            ),
            path(
                "undo-decisions/",
                view(self.undo_decisions_view),
                name="comments_comment_undo_decisions",
            ),
            path(
                "undo-dismissals/",
                view(self.undo_dismissals_view),
                name="comments_comment_undo_dismissals",
            ),
            *self.pick_urls(view),
            path(
                "<path:object_id>/requeue/",
                view(self.requeue_view),
                name="comments_comment_requeue",
            ),
        ]
        return urls + super().get_urls()

    def commenter_view(self, request):
        return commenter_view(self, request)
