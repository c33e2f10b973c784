from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.timesince import timesince

from comments import commenter_admin  # noqa: F401 (registers the policy page)
from comments.models import Comment, ModerationPolicy
from comments.services import decide, delete_comments, take_down, update_policy

DECISIONS = {
    "approve": (Comment.Status.APPROVED, "approved"),
    "reject": (Comment.Status.REJECTED, "rejected"),
    "spam": (Comment.Status.SPAM, "marked as spam"),
}


ONE_CLICK = [("approve", "Approve"), ("reject", "Reject")]


def _decision_links(pk, names) -> list[tuple[str, str]]:
    return [(reverse(f"admin:comments_comment_{name}", args=[pk]), label) for name, label in names]


class StatusFilter(admin.SimpleListFilter):
    """Status, opening on the pending queue: the list moderators come for."""

    title = "status"
    parameter_name = "status"
    default = Comment.Status.PENDING

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, ("all", "All")]

    def choices(self, changelist):
        current = self.value() or self.default
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or self.default
        return queryset if value == "all" else queryset.filter(status=value)


class ModerationActionForm(ActionForm):
    reason = forms.CharField(
        label="Reason (sent with rejections)",
        required=False,
        max_length=Comment._meta.get_field("rejection_reason").max_length,
    )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["waiting", "article_title", "excerpt", "author", "reasons", "status"]
    list_filter = [StatusFilter, "article__section", "created_at"]
    search_fields = ["name", "email", "body", "ip_address"]
    ordering = ["created_at", "pk"]
    list_per_page = 50
    # The queue may hold tens of thousands of rows: never count the whole table.
    show_full_result_count = False
    action_form = ModerationActionForm
    actions = ["approve_selected", "reject_selected", "spam_selected", "take_down_selected"]
    fields = [
        "article",
        "parent",
        "name",
        "email",
        "body",
        "status",
        "held_because",
        "rejection_reason",
        "notify_on_decision",
        "ip_address",
        "user",
        "created_at",
        "moderated_by",
        "moderated_at",
        "taken_down_by",
        "taken_down_at",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article")
            .defer("article__body", "article__standfirst", "article__search_vector")
        )

    def get_list_display(self, request):
        if self.has_moderate_permission(request):
            return [*self.list_display, "decide_buttons"]
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

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    @admin.display(description="waiting", ordering="created_at")
    def waiting(self, obj):
        return format_html(
            '<time datetime="{}">{}</time>', obj.created_at.isoformat(), timesince(obj.created_at)
        )

    @admin.display(description="article", ordering="article__title")
    def article_title(self, obj):
        return Truncator(obj.article.title).chars(60)

    @admin.display(description="comment")
    def excerpt(self, obj):
        return Truncator(obj.body).chars(140)

    @admin.display(description="author", ordering="name")
    def author(self, obj):
        return format_html("{}<br><small>{}<br>{}</small>", obj.name, obj.email, obj.ip_address)

    @admin.display(description="held because")
    def reasons(self, obj):
        if not obj.held_because:
            return "–"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in obj.held_because))
        )

    @admin.display(description="decide")
    def decide_buttons(self, obj):
        if obj.status != Comment.Status.PENDING:
            return "–"
        # Buttons of the changelist form (which carries the CSRF token) posting elsewhere:
        # no nested forms, no JavaScript.
        return format_html_join(
            " ",
            '<button type="submit" class="button" formmethod="post" formaction="{}">{}</button>',
            _decision_links(obj.pk, ONE_CLICK),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, unquote(object_id))
        pending = comment is not None and comment.status == Comment.Status.PENDING
        actions = []
        if pending and self.has_moderate_permission(request):
            actions = _decision_links(comment.pk, [*ONE_CLICK, ("spam", "Mark as spam")])
        extra_context = {**(extra_context or {}), "moderation_actions": actions}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        urls = [
            path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(self.decide_view),
                {"decision": name},
                name=f"comments_comment_{name}",
            )
            for name in DECISIONS
        ]
        return urls + super().get_urls()

    def decide_view(self, request, object_id, decision):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        status, done = DECISIONS[decision]
        result = self._or_tell_why(request, decide, [comment], status=status)
        if result is not None:
            if result.decided:
                self.message_user(request, f"Comment by {comment.name} {done}.", messages.SUCCESS)
            elif result.waiting:
                self._tell_waiting(request, result.waiting)
            else:
                self._tell_lost(request, [comment.pk])
        return HttpResponseRedirect(self._back(request))

    def _back(self, request):
        referer = request.headers.get("referer", "")
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return referer
        return reverse("admin:comments_comment_changelist")

    def _tell_lost(self, request, pks):
        lost = Comment.objects.filter(pk__in=pks).select_related("moderated_by")
        for comment in lost:
            who = comment.moderated_by.get_username() if comment.moderated_by else "the screen"
            self.message_user(
                request,
                f"Comment by {comment.name} had already been {comment.get_status_display().lower()}"
                f" by {who}; your decision was not applied.",
                messages.WARNING,
            )

    def _or_tell_why(self, request, service, comments, **kwargs):
        """Run a moderation service with the reason from the action bar; a reason it refuses
        (too long) comes back to the moderator as a message, with nothing changed."""
        try:
            return service(
                comments, by=request.user, reason=request.POST.get("reason", ""), **kwargs
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return None

    def _tell_waiting(self, request, count: int):
        self.message_user(
            request,
            f"{count} reply/replies left waiting: a reply can only be published under a "
            "published comment. Approve the comment first.",
            messages.WARNING,
        )

    def _decide_selected(self, request, queryset, decision):
        status, done = DECISIONS[decision]
        result = self._or_tell_why(request, decide, queryset, status=status)
        if result is None:
            return
        if result.decided:
            self.message_user(request, f"{result.decided} comment(s) {done}.", messages.SUCCESS)
        if result.lost:
            self.message_user(
                request,
                f"{result.lost} comment(s) had already been decided by someone else; "
                "they were left as they were.",
                messages.WARNING,
            )
        if result.waiting:
            self._tell_waiting(request, result.waiting)

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._decide_selected(request, queryset, "approve")

    @admin.action(
        description="Reject selected comments (with the reason)", permissions=["moderate"]
    )
    def reject_selected(self, request, queryset):
        self._decide_selected(request, queryset, "reject")

    @admin.action(description="Mark selected comments as spam", permissions=["moderate"])
    def spam_selected(self, request, queryset):
        self._decide_selected(request, queryset, "spam")

    @admin.action(
        description="Take down selected published comments (with the reason)",
        permissions=["moderate"],
    )
    def take_down_selected(self, request, queryset):
        count = self._or_tell_why(request, take_down, queryset)
        if count is None:
            return
        if count:
            self.message_user(request, f"{count} comment(s) taken down.", messages.SUCCESS)
        else:
            self.message_user(request, "None of those comments was published.", messages.WARNING)


@admin.register(ModerationPolicy)
class ModerationPolicyAdmin(admin.ModelAdmin):
    fieldsets = [
        ("Hold for a closer look", {"fields": ["link_limit", "moderation_words"]}),
        ("Straight to spam", {"fields": ["blocked_words", "blocked_emails", "blocked_ips"]}),
        ("Publishing", {"fields": ["auto_approve_returning", "close_after_days"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        update_policy(policy=obj)

    def changelist_view(self, request, extra_context=None):
        # One policy: the list is just a detour to it (for those who may see it).
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if not ModerationPolicy.objects.filter(pk=1).exists():
            update_policy(policy=ModerationPolicy(pk=1))
        url = reverse("admin:comments_moderationpolicy_change", args=[1])
        return HttpResponseRedirect(url)
