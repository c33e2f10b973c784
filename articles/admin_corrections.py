"""Corrections in the admin (Articles › Corrections, and a story's change form, which lists its
own and leads here to add one): written through articles.correction_services."""

from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import Truncator

from articles.admin_mends import MendedMeanwhile, refused_only_meanwhile
from articles.admin_story_picker import story_picker_url, story_picker_widget
from articles.admin_words_kept import NotSaved, WordsKeptAdmin
from articles.correction_services import (
    append_correction,
    delete_corrections,
    locked_correction,
    mend_correction,
)
from articles.models import Correction
from newsportal.formats import newsroom_time


class CorrectionForm(MendedMeanwhile):
    called = "This correction"
    locked = staticmethod(locked_correction)


@admin.register(Correction)
class CorrectionAdmin(WordsKeptAdmin):
    form = CorrectionForm
    change_form_template = "admin/articles/mended_change_form.html"
    gone_meanwhile = "This correction was deleted meanwhile."
    list_display = ["corrected", "article", "words"]
    list_select_related = ["article"]
    search_fields = ["article__title", "text"]
    search_help_text = "Words from the correction or the story's headline."
    autocomplete_fields = ["article"]
    ordering = ["-published_at", "-pk"]

    def get_urls(self):
        # Only stories that have been out: a draft never out has nothing readers read to
        # correct; offered, it was refused only once chosen and sent. One that comes anyway (an
        # ?article= address typed, a script) is still refused, saying why (Correction.clean).
        return [story_picker_url(self, "gone_out"), *super().get_urls()]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["widget"] = story_picker_widget(self, db_field, **kwargs)
            kwargs["help_text"] = (
                "Only stories that have been out (on the site, or taken down since): one never "
                "published has nothing readers read to correct; mend the story itself."
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        refused_only_meanwhile(context)
        back = _safe_next(request)
        if obj is not None and obj.pk is not None and back:
            # Delete leads back to the story too: its link carries `next` (Django's own drops
            # it), and the confirmation's form, which has no action, posts to its own address.
            delete = reverse("admin:articles_correction_delete", args=[quote(obj.pk)])
            delete = f"{delete}?{urlencode({'next': back})}"
            kept = {"opts": self.opts, "preserved_filters": self.get_preserved_filters(request)}
            context["delete_back_url"] = add_preserved_filters(kept, delete)
            context["show_delete"] = False  # the link above is drawn instead of Django's
        return super().render_change_form(request, context, add, change, form_url, obj)

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
        mend_correction(correction=obj)
        # The words as they stood when this save locked them (form.stored), not as first read.
        was = Truncator(form.stored.text).chars(200)
        self._in_story_history(request, [obj], f"Mended a correction, which said “{was}”")

    # Save leads back to the story's change form the editor came from (its "Add a correction"
    # and "Mend its words" carry its address as `next`), not to the list of every correction,
    # where the story they were working on was theirs to find again. "Save and continue" and
    # "Save and add another" keep the query string, `next` with it (Django's preserved_qsl).
    def response_post_save_add(self, request, obj):
        return _back(request) or super().response_post_save_add(request, obj)

    def response_post_save_change(self, request, obj):
        return _back(request) or super().response_post_save_change(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        done = super().response_delete(request, obj_display, obj_id)  # its message said
        back = _back(request)
        return back if back and isinstance(done, HttpResponseRedirect) else done

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


def _safe_next(request) -> str:
    """The page `next` names, if it is one of this site's (never another site's, nor a
    javascript: address, whoever wrote the link); "" otherwise."""
    back = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return back if safe else ""


def _back(request):
    """A redirect to the page `next` names, if it is one of this site's; None otherwise."""
    back = _safe_next(request)
    return HttpResponseRedirect(back) if back else None
