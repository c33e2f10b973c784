"""The desk's settings beside the comments: the moderation policy (one row, with its preset
rejection reasons) and the comment-policy page readers read. Registered here, imported by
comments.admin."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from comments.admin_policy_form import PolicyForm, ReasonFormSet, said_meanwhile
from comments.models import CommentPolicyPage, ModerationPolicy, RejectionReason
from comments.policy_services import REASONS, update_policy


class RejectionReasonInline(admin.TabularInline):
    model = RejectionReason
    extra = 1
    fields = ["order", "label", "text"]
    formset = ReasonFormSet
    verbose_name_plural = "preset rejection reasons (keys 1–9 in the queue, in this order)"


@admin.register(ModerationPolicy)
class ModerationPolicyAdmin(admin.ModelAdmin):
    form = PolicyForm
    fieldsets = [
        ("Hold for a closer look", {"fields": ["link_limit", "moderation_words"]}),
        ("Straight to spam", {"fields": ["blocked_words", "blocked_emails", "blocked_ips"]}),
        (
            "Publishing",
            {"fields": ["auto_approve_returning", "publish_clean_edits", "close_after_days"]},
        ),
        ("Readers' reports", {"fields": ["hide_after_reports"]}),
    ]
    inlines = [RejectionReasonInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        # Until staff save it, the policy is its defaults, unsaved: reading it never writes
        # the row (whoever may only look at it, or may not even do that).
        if str(object_id) != "1":
            return None
        return ModerationPolicy.objects.filter(pk=1).first() or ModerationPolicy(pk=1)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Answered with the form again, the save was refused: nothing it wrote stays (its
            # check of what changed meanwhile writes the row first when staff never saved it,
            # to have one to lock: policy_services.locked_policy).
            shown = (getattr(response, "context_data", None) or {}).get("adminform")
            if request.method == "POST" and shown is not None:
                transaction.set_rollback(True)
        return response

    def save_model(self, request, obj, form, change):
        update_policy(policy=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Someone else's change kept, around this staffer's (comments.admin_policy_form).
        kept = [*form.kept, *([REASONS] if any(f.told for f in formsets) else [])]
        if kept:
            said = f"{said_meanwhile(form.opened, kept, [])} Your changes are saved with it."
            self.message_user(request, said, messages.WARNING)

    def construct_change_message(self, request, form, formsets, add=False):
        # A field only someone else changed since differs from the post (the page still holds
        # it as drawn), though the save kept theirs: not this staffer's change in the history.
        form.changed_data = [name for name in form.changed_data if name not in form.kept]
        return super().construct_change_message(request, form, formsets, add)

    def render_change_form(self, request, context, *args, **kwargs):
        if context["adminform"].form.is_bound:  # back with errors
            formsets = [inline.formset for inline in context.get("inline_admin_formsets", [])]
            context["adminform"].form.shown_again(formsets)
        return super().render_change_form(request, context, *args, **kwargs)

    def changelist_view(self, request, extra_context=None):
        # One policy: the list is just a detour to it (for those who may see it).
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        url = reverse("admin:comments_moderationpolicy_change", args=[1])
        return HttpResponseRedirect(url)


@admin.register(CommentPolicyPage)
class CommentPolicyPageAdmin(admin.ModelAdmin):
    """What commenters see of the site's rules: the privacy and comment-policy page."""

    fields = ["title", "body"]

    def has_add_permission(self, request):
        # One page: it is created by its first save, from the defaults.
        return super().has_add_permission(request) and not CommentPolicyPage.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
