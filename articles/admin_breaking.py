"""Breaking news in the admin (Articles › Breaking news): the strip across every page, put up,
mended and ended through articles.breaking_services."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import Truncator

from articles.admin_story_picker import story_picker_url, story_picker_widget
from articles.breaking_services import (
    delete_breaking_news,
    end_breaking_news,
    mend_breaking_news,
    put_up_breaking_news,
)
from articles.models import BreakingNews
from newsportal.formats import newsroom_time

# How long a new strip is offered to stay up: a story breaks for hours, and a strip forgotten
# for days tells readers old news is breaking.
OFFERED_HOURS = 6


class NotSaved(Exception):
    """A strip ended, or its story taken down, between the form and its save."""


@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    list_display = ["words", "label", "article", "state", "put_up", "until", "started_by"]
    list_select_related = ["article", "started_by"]
    search_fields = ["text", "article__title"]
    search_help_text = "Words from the strip or its story's headline."
    autocomplete_fields = ["article"]
    actions = ["end_now"]
    fields = ["label", "text", "article", "ends_at"]

    def get_urls(self):
        # Only stories on the site now: a strip must not lead readers to a page not there.
        return [story_picker_url(self, "published"), *super().get_urls()]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["widget"] = story_picker_widget(self, db_field, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        ends = timezone.localtime() + timedelta(hours=OFFERED_HOURS)
        offered = {"ends_at": ends.replace(second=0, microsecond=0)}
        return {**offered, **super().get_changeform_initial_data(request)}

    def get_queryset(self, request):
        return super().get_queryset(request).with_up()

    def has_change_permission(self, request, obj=None):
        # An ended strip is a record of what readers were told, and when (shown, not mended):
        # mended into the future it would come back over a newer one.
        if obj is not None and not obj.is_live:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return ["put_up", "started_by"] if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is not None and not obj.is_live:
            return ["label", "text", "article", "put_up", "until", "started_by"]
        return [*self.fields, "put_up", "started_by"] if obj is not None else self.fields

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            if request.method == "POST" and object_id:
                self._still_up(object_id)
            return super().changeform_view(request, object_id, form_url, extra_context)
        except NotSaved as refused:
            # Nothing was written: the words typed are given back to copy, as nothing else on
            # this page can keep them.
            typed = request.POST.get("text", "")
            said = f"Not saved: {refused} Your words: “{typed}”"
            self.message_user(request, said, messages.ERROR)
            return redirect("admin:articles_breakingnews_changelist")

    def _still_up(self, object_id) -> None:
        """Ended (by its time, by hand, or replaced) while its form was open: the editor
        extending it a minute late learns so, rather than getting a form they cannot send."""
        if not str(object_id).isdigit():
            return  # the admin's own "doesn't exist"
        strip = BreakingNews.objects.with_up().filter(pk=object_id).first()
        if strip is not None and not strip.is_live:
            raise NotSaved("this strip is no longer up (ended or replaced). Put up a new one.")

    @admin.display(description="strip")
    def words(self, obj):
        return Truncator(obj.text).chars(80)

    @admin.display(description="readers see it")
    def state(self, obj):
        if not obj.is_live:
            return "No: ended"
        if obj.article_id and not obj.article.is_public:
            return "No: its story is not on the site"
        return "Yes, on every page"

    @admin.display(description="put up", ordering="started_at")
    def put_up(self, obj):
        return newsroom_time(obj.started_at)

    @admin.display(description="shown until", ordering="ends_at")
    def until(self, obj):
        return newsroom_time(obj.ends_at) if obj.ends_at else "ended or replaced"

    def save_model(self, request, obj, form, change):
        try:
            if change:
                mend_breaking_news(banner=obj)
            else:
                put_up_breaking_news(banner=obj, user=request.user)
        except ValidationError as refused:  # its story taken down since the form was checked
            raise NotSaved(" ".join(refused.messages)) from None

    def response_add(self, request, obj, post_url_continue=None):
        until = f"until {newsroom_time(obj.ends_at)}" if obj.ends_at else "until it is ended"
        self.message_user(
            request,
            f"The strip is up on every page {until}, in place of any before it.",
            messages.SUCCESS,
        )
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description="End the selected strips now", permissions=["change"])
    def end_now(self, request, queryset):
        ended = end_breaking_news(queryset=queryset)
        if ended:
            self.message_user(request, "The strip is off the pages.", messages.SUCCESS)
        else:
            self.message_user(request, "None of those was up: nothing ended.", messages.WARNING)

    def delete_model(self, request, obj):
        delete_breaking_news(queryset=BreakingNews.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        delete_breaking_news(queryset=queryset)
