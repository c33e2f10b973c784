"""Corrections in the admin (Articles › Corrections, and a story's change form, which lists its
own and leads here to add one): written through articles.correction_services."""

from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.text import Truncator

from articles.correction_services import append_correction, delete_corrections, mend_correction
from articles.models import Correction
from newsportal.formats import newsroom_time


class NotSaved(Exception):
    """A correction's story or the correction itself deleted between the form and its save."""


STORIES_URL_NAME = "articles_correction_stories"


class CorrectableStories(AutocompleteJsonView):
    """The story picker's search (the admin's own search of stories): those that have been out
    alone. A draft never out has nothing readers read to correct; offered, it was refused only
    once chosen and sent. One that comes anyway (an ?article= address typed, a script) is
    still refused, saying why (Correction.clean). It answers for Correction.article alone: any
    other field its address names is refused (403), as the stock search refuses a field it does
    not know, rather than searched with this filter (its stories' own, not another model's)."""

    def process_request(self, request):
        asked = [request.GET.get(name) for name in ("app_label", "model_name", "field_name")]
        if asked != [Correction._meta.app_label, Correction._meta.model_name, "article"]:
            raise PermissionDenied
        return super().process_request(request)

    def get_queryset(self):
        return super().get_queryset().gone_out()


class CorrectableStorySelect(AutocompleteSelect):
    def get_url(self):
        return reverse(f"{self.admin_site.name}:{STORIES_URL_NAME}")


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["corrected", "article", "words"]
    list_select_related = ["article"]
    search_fields = ["article__title", "text"]
    search_help_text = "Words from the correction or the story's headline."
    autocomplete_fields = ["article"]
    ordering = ["-published_at", "-pk"]

    def get_urls(self):
        view = self.admin_site.admin_view(CorrectableStories.as_view(admin_site=self.admin_site))
        return [path("stories/", view, name=STORIES_URL_NAME), *super().get_urls()]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["widget"] = CorrectableStorySelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
            kwargs["help_text"] = (
                "Only stories that have been out (on the site, or taken down since): one never "
                "published has nothing readers read to correct; mend the story itself."
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # No maxlength (as in the story's form): a paste too long comes back whole with the
        # error, never cut without a word.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.pop("maxlength", None)
        return field

    def get_readonly_fields(self, request, obj=None):
        # Said to the readers of that story on that day: moved to another story it would say
        # something nobody was told there. Delete it and add one to the right story instead.
        return ["article", "corrected"] if obj is not None else []

    def get_fields(self, request, obj=None):
        return ["article", "corrected", "text"] if obj is not None else ["article", "text"]

    @admin.display(description="corrected", ordering="published_at")
    def corrected(self, obj):
        return newsroom_time(obj.published_at)

    @admin.display(description="correction")
    def words(self, obj):
        return Truncator(obj.text).chars(120)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            if request.method == "POST" and object_id and not self._still_there(object_id):
                # The admin's own "doesn't exist" would drop the words typed.
                raise NotSaved("This correction was deleted meanwhile.")
            return super().changeform_view(request, object_id, form_url, extra_context)
        except NotSaved as refused:
            # Nothing was written (the admin's transaction rolled back): the words typed are
            # given back to copy, as nothing else on this page can keep them.
            typed = request.POST.get("text", "")
            said = f"Not saved: {refused} Your words: “{typed}”"
            self.message_user(request, said, messages.ERROR)
            return redirect("admin:articles_correction_changelist")

    def _still_there(self, object_id) -> bool:
        return str(object_id).isdigit() and Correction.objects.filter(pk=object_id).exists()

    def save_model(self, request, obj, form, change):
        try:
            if change:
                self._mend(request, obj, form)
                return
            added = append_correction(article=obj.article, text=obj.text)
        except ValidationError as refused:
            raise NotSaved(" ".join(refused.messages)) from None
        obj.pk, obj.published_at = added.pk, added.published_at
        self._in_story_history(request, [obj], "Added a correction")

    def _mend(self, request, obj, form) -> None:
        if "text" not in form.changed_data:
            return  # saved as it was: nothing for readers, the caches or the story's History
        was = Truncator(form.initial.get("text", "")).chars(200)
        mend_correction(correction=obj)
        self._in_story_history(request, [obj], f"Mended a correction, which said “{was}”")

    def delete_model(self, request, obj):
        self.delete_queryset(request, Correction.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        gone = list(queryset.select_related("article"))
        delete_corrections(queryset=queryset)
        self._in_story_history(request, gone, "Deleted a correction")

    def _in_story_history(self, request, corrections, done: str) -> None:
        # The story's History says it too, where an editor reads what happened to a story.
        for correction in corrections:
            words = Truncator(correction.text).chars(200)
            self.log_change(request, correction.article, f"{done}: “{words}”")
