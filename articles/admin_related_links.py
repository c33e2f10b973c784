"""The article form's related links, whose picker says which stories are not out yet: a link to
a draft or a scheduled story is left off the public page until that story is out, and a
reporter who picked one by its bare headline read the missing link as lost."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.urls import path, reverse
from django.utils import timezone

from articles.admin_forms import RelatedLinkFormSet
from articles.meanwhile import LINK_FIELDS
from articles.models import Article, RelatedLink
from newsportal.formats import newsroom_time

LINK_TARGETS_URL_NAME = "articles_article_link_targets"


def link_target_label(article: Article) -> str:
    """Its headline, and whether readers see it yet: "(draft)", "(scheduled for 7 Dec 2026,
    09:00)"."""
    if article.status == Article.Status.DRAFT:
        return f"{article.title} (draft)"
    if article.published_at > timezone.now():
        return f"{article.title} (scheduled for {newsroom_time(article.published_at)})"
    return article.title


class LinkTargetAutocomplete(AutocompleteJsonView):
    """The admin's own search for a story to link to, each found story labelled as above."""

    def serialize_result(self, obj, to_field_name):
        return {**super().serialize_result(obj, to_field_name), "text": link_target_label(obj)}


class LinkTargetSelect(AutocompleteSelect):
    def get_url(self):
        return reverse(f"{self.admin_site.name}:{LINK_TARGETS_URL_NAME}")


def link_target_urls(model_admin) -> list:
    """ArticleAdmin's search for link targets (LinkTargetSelect asks it)."""
    site = model_admin.admin_site
    view = site.admin_view(LinkTargetAutocomplete.as_view(admin_site=site))
    return [path("link-targets/", view, name=LINK_TARGETS_URL_NAME)]


class RelatedLinkInline(admin.StackedInline):
    model = RelatedLink
    formset = RelatedLinkFormSet
    fk_name = "article"
    extra = 1
    fields = list(LINK_FIELDS)  # a field shown is a field guarded (articles.meanwhile)
    autocomplete_fields = ["target_article"]
    ordering = ["order", "pk"]
    # A link typed without a scheme is taken as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name != "target_article":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        widget = LinkTargetSelect(db_field, self.admin_site, using=kwargs.get("using"))
        field = super().formfield_for_foreignkey(db_field, request, widget=widget, **kwargs)
        field.label_from_instance = link_target_label  # the story already chosen, as listed
        return field
