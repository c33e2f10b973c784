"""A story's live coverage in the admin (Articles › Live updates, and the story's change form,
which lists its latest updates and leads here): posted, mended, deleted and ended through
articles.live_services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator

from articles.admin_mends import MendedMeanwhile, refused_only_meanwhile
from articles.admin_story_picker import story_picker_url, story_picker_widget
from articles.admin_words_kept import NotSaved, WordsKeptAdmin
from articles.live_services import (
    delete_updates,
    end_coverage,
    locked_update,
    mend_update,
    post_update,
)
from articles.models import Article, LiveUpdate
from newsportal.formats import newsroom_time


class LiveUpdateForm(MendedMeanwhile):
    called = "This update"
    locked = staticmethod(locked_update)


@admin.register(LiveUpdate)
class LiveUpdateAdmin(WordsKeptAdmin):
    form = LiveUpdateForm
    change_form_template = "admin/articles/mended_change_form.html"
    refused_as = "Not posted"
    gone_meanwhile = "This update was deleted meanwhile."
    words_given_back = ("headline", "text")
    list_display = ["posted", "article", "words", "key_event", "posted_by"]
    list_select_related = ["article", "posted_by"]
    list_filter = ["key_event"]
    search_fields = ["headline", "text", "article__title"]
    search_help_text = "Words from the update or its story's headline."
    autocomplete_fields = ["article"]
    ordering = ["-posted_at", "-pk"]

    def get_urls(self):
        # Only stories on the site: readers could not follow the coverage of any other.
        end = self.admin_site.admin_view(self.end_coverage_view)
        return [
            story_picker_url(self, "published"),
            path("end/<int:article_id>/", end, name="articles_liveupdate_end"),
            *super().get_urls(),
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["widget"] = story_picker_widget(self, db_field, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Told to that story's readers at that time: on another story it would say something
        # nobody followed there. Delete it and post it to the right story instead.
        return ["article", "posted"] if obj is not None else []

    def get_fields(self, request, obj=None):
        words = ["headline", "text", "key_event"]
        return ["article", "posted", *words] if obj is not None else ["article", *words]

    @admin.display(description="posted", ordering="posted_at")
    def posted(self, obj):
        return newsroom_time(obj.posted_at)

    @admin.display(description="update")
    def words(self, obj):
        return Truncator(obj.headline or obj.text).chars(100)

    def render_change_form(self, request, context, *args, **kwargs):
        refused_only_meanwhile(context)
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        try:
            if change:
                self._mend(request, obj, form)
                return
            posted = post_update(
                article=obj.article,
                text=obj.text,
                headline=obj.headline,
                key_event=obj.key_event,
                by=request.user,
            )
        except ValidationError as refused:
            raise NotSaved(" ".join(refused.messages)) from None
        obj.pk, obj.posted_at = posted.pk, posted.posted_at
        self._in_story_history(request, [obj], "Posted a live update")

    def _mend(self, request, obj, form) -> None:
        if not form.changed_data:
            return  # saved as it was: nothing for readers, the caches or the story's History
        mend_update(update=obj)
        if form.meanwhile:  # a colleague's change kept, around this editor's
            said = f"{form.meanwhile} Your changes are saved with it."
            self.message_user(request, said, messages.WARNING)
        words = [name for name in ("headline", "text") if name in form.changed_data]
        if not words:  # only marked a key event, or no longer one
            self._in_story_history(request, [obj], "Mended a live update")
            return
        # The words it replaced, as a correction's mend keeps them: nowhere else once mended.
        was, now = _quoted(form.stored, words), _quoted(obj, words)
        self.log_change(request, obj.article, f"Mended a live update, which said {was}: {now}")

    def response_add(self, request, obj, post_url_continue=None):
        # Live coverage is posted update after update: the next one's form, for the same story.
        if "_addanother" in request.POST or "_continue" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        at = newsroom_time(obj.posted_at)
        said = f"Posted at {at}: it is on “{obj.article}” now, the newest first."
        self.message_user(request, said, messages.SUCCESS)
        add = reverse("admin:articles_liveupdate_add")
        return redirect(f"{add}?article={obj.article_id}")

    def delete_model(self, request, obj):
        self.delete_queryset(request, LiveUpdate.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        gone = list(queryset.select_related("article"))
        delete_updates(queryset=queryset)
        self._in_story_history(request, gone, "Deleted a live update")

    def end_coverage_view(self, request, article_id):
        """Ending asked for and confirmed (a POST): "Live" leaves the story's page and the
        lists; its updates stay. Asked by those who may post updates."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        article = get_object_or_404(Article, pk=article_id)
        back = reverse("admin:articles_article_change", args=[article.pk])
        if request.method == "POST":
            if end_coverage(queryset=Article.objects.filter(pk=article.pk)):
                self.log_change(request, article, "Ended its live coverage")
                said = f"The live coverage of “{article}” has ended: its updates stay on its page."
                self.message_user(request, said, messages.SUCCESS)
            else:
                self.message_user(request, f"“{article}” was not live.", messages.INFO)
            return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "title": "End the live coverage?",
            "story": article,
            "back": back,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/articles/liveupdate/end_coverage.html", context)

    def _in_story_history(self, request, updates, done: str) -> None:
        # The story's History says it too, where an editor reads what happened to a story.
        for update in updates:
            words = Truncator(update.headline or update.text).chars(200)
            self.log_change(request, update.article, f"{done}: “{words}”")


def _quoted(update: LiveUpdate, names) -> str:
    return " ".join(f"“{Truncator(getattr(update, name)).chars(200)}”" for name in names)
