"""A story picker for a model's `article` field that offers only the stories that field may
take (the admin's own search of stories, filtered): what cannot be chosen is not offered."""

from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse


class StoryPicker(AutocompleteJsonView):
    """Answers for `model.article` alone: any other field its address names is refused (403),
    as the stock search refuses a field it does not know, rather than searched with this
    filter (its stories' own, not another model's)."""

    model = None
    stories = None  # the QuerySet method that keeps those offered ("gone_out", "published")

    def process_request(self, request):
        opts = self.model._meta
        asked = [request.GET.get(name) for name in ("app_label", "model_name", "field_name")]
        if asked != [opts.app_label, opts.model_name, "article"]:
            raise PermissionDenied
        return super().process_request(request)

    def get_queryset(self):
        return getattr(super().get_queryset(), self.stories)()


def story_picker_url(model_admin, stories: str):
    """The picker's address, for the ModelAdmin's get_urls()."""
    model = model_admin.model
    picker = type("Picker", (StoryPicker,), {"model": model, "stories": stories})
    view = model_admin.admin_site.admin_view(picker.as_view(admin_site=model_admin.admin_site))
    return path("stories/", view, name=_url_name(model))


def story_picker_widget(model_admin, db_field, **kwargs):
    """The field's select, searching through the picker (story_picker_url)."""
    name = f"{model_admin.admin_site.name}:{_url_name(model_admin.model)}"

    class PickerSelect(AutocompleteSelect):
        def get_url(self):
            return reverse(name)

    return PickerSelect(db_field, model_admin.admin_site, using=kwargs.get("using"))


def _url_name(model) -> str:
    return f"{model._meta.app_label}_{model._meta.model_name}_stories"
