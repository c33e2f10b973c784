"""Breaking news in the admin (Articles › Breaking news): the strip across every page, put up,
mended and ended through articles.breaking_services."""

from datetime import timedelta

from django import forms
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


class StateFilter(admin.SimpleListFilter):
    title = "readers see it"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("up", "Up now"), ("scheduled", "Scheduled"), ("ended", "Ended")]

    def queryset(self, request, queryset):
        # Read with_up(): the same rule as readers' pages, at the same instant.
        if self.value() == "up":
            return queryset.filter(up=True)
        if self.value() == "scheduled":
            return queryset.filter(waiting=True)
        if self.value() == "ended":
            return queryset.filter(up=False, waiting=False)
        return queryset


def _start_moved(posted, strip: BreakingNews) -> bool:
    """A form opened while the strip waited gives a start other than the one it went up at."""
    if "started_at_0" not in posted:
        return False  # its form as an up strip's: no start to move
    typed = [posted.get("started_at_0", ""), posted.get("started_at_1", "")]
    try:
        start = forms.SplitDateTimeField(required=False).clean(typed)
    except ValidationError:
        return True
    # Empty means "now": it is up already.
    return start is not None and start != strip.started_at.replace(microsecond=0)


@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    list_display = ["words", "label", "article", "state", "put_up", "until", "started_by"]
    list_filter = [StateFilter]
    list_select_related = ["article", "started_by"]
    search_fields = ["text", "article__title"]
    search_help_text = "Words from the strip or its story's headline."
    autocomplete_fields = ["article"]
    actions = ["end_now"]
    fields = ["label", "text", "article", "started_at", "ends_at"]

    def get_urls(self):
        # Only stories on the site now: a strip must not lead readers to a page not there.
        return [story_picker_url(self, "published"), *super().get_urls()]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["widget"] = story_picker_widget(self, db_field, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        ends = timezone.localtime() + timedelta(hours=OFFERED_HOURS)
        # "Show from" empty: now, unless the editor schedules it.
        offered = {"started_at": None, "ends_at": ends.replace(second=0, microsecond=0)}
        return {**offered, **super().get_changeform_initial_data(request)}

    def get_queryset(self, request):
        return super().get_queryset(request).with_up()

    def has_change_permission(self, request, obj=None):
        # An ended strip is a record of what readers were told, and when (shown, not mended):
        # mended into the future it would come back over a newer one.
        # One waiting for its time may be mended, or cancelled, until it goes up.
        if obj is not None and not (obj.is_live or obj.is_scheduled):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return ["put_up", "started_by"] if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None or obj.is_scheduled:
            return self.fields if obj is None else [*self.fields, "started_by"]
        if not obj.is_live:
            return ["label", "text", "article", "put_up", "until", "started_by"]
        # Up: its start is a record of when readers first saw it.
        return ["label", "text", "article", "ends_at", "put_up", "started_by"]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            if request.method == "POST" and object_id:
                self._still_up(object_id, request.POST)
            return super().changeform_view(request, object_id, form_url, extra_context)
        except NotSaved as refused:
            # Nothing was written: the words typed are given back to copy, as nothing else on
            # this page can keep them.
            typed = request.POST.get("text", "")
            said = f"Not saved: {refused} Your words: “{typed}”"
            self.message_user(request, said, messages.ERROR)
            return redirect("admin:articles_breakingnews_changelist")

    def _still_up(self, object_id, posted) -> None:
        """Ended (by its time, by hand, or replaced) while its form was open: the editor
        extending it a minute late learns so, rather than getting a form they cannot send."""
        if not str(object_id).isdigit():
            return  # the admin's own "doesn't exist"
        strip = BreakingNews.objects.with_up().filter(pk=object_id).first()
        if strip is not None and not (strip.is_live or strip.is_scheduled):
            raise NotSaved("this strip is no longer up (ended or replaced). Put up a new one.")
        if strip is not None and strip.is_live and _start_moved(posted, strip):
            went_up = newsroom_time(strip.started_at)
            raise NotSaved(
                f"this strip went up at {went_up} while its form was open: its start can no "
                "longer move. Open it again to change its words or its end."
            )

    @admin.display(description="strip")
    def words(self, obj):
        return Truncator(obj.text).chars(80)

    @admin.display(description="readers see it")
    def state(self, obj):
        if obj.is_scheduled:
            return "Scheduled"
        if not obj.is_live:
            if obj.ends_at is not None and obj.ends_at <= obj.started_at:
                return "No: cancelled before it went up"
            return "No: ended"
        if obj.article_id and not obj.article.is_public:
            return "No: its story is not on the site"
        return "Yes, on every page"

    @admin.display(description="shown from", ordering="started_at")
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
        if obj.started_at > timezone.now():
            said = (
                f"The strip is scheduled: it goes up on every page at "
                f"{newsroom_time(obj.started_at)}, {until}, in place of the one up then. "
                "Until then it may be changed, or cancelled (End the selected strips now)."
            )
        else:
            said = f"The strip is up on every page {until}, in place of any before it."
        self.message_user(request, said, messages.SUCCESS)
        return super().response_add(request, obj, post_url_continue)

    @admin.action(
        description="End the selected strips now (or cancel those scheduled)",
        permissions=["change"],
    )
    def end_now(self, request, queryset):
        waiting = queryset.filter(waiting=True).exists()
        ended = end_breaking_news(queryset=queryset)
        if ended and waiting:
            self.message_user(
                request,
                "Ended or cancelled: the strips selected are off the pages, and those "
                "scheduled will not go up.",
                messages.SUCCESS,
            )
        elif ended:
            self.message_user(request, "The strip is off the pages.", messages.SUCCESS)
        else:
            self.message_user(request, "None of those was up: nothing ended.", messages.WARNING)

    def delete_model(self, request, obj):
        delete_breaking_news(queryset=BreakingNews.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        delete_breaking_news(queryset=queryset)
