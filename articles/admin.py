"""The admin's pages for stories and what they are filed under (sections, authors, tags): what
each shows and lists. The article's change form is saved in articles.admin_saving; the list's
actions (publish, unpublish) are in articles.admin_actions."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.html import format_html

from articles import (
    admin_breaking,  # noqa: F401 (registers Articles › Breaking news)
    admin_corrections,  # noqa: F401 (registers Articles › Corrections)
    admin_live,  # noqa: F401 (registers Articles › Live updates)
)
from articles.admin_actions import ArticleActions
from articles.admin_bylines import BylineInline, own_byline
from articles.admin_deletion import deleted_entries, deleted_stories
from articles.admin_forms import ArticleForm, shown_again
from articles.admin_lists import (
    LAST_WORKED_ON_FIRST,
    ArticleChangeList,
    BylineFilter,
    LiveFilter,
    StateFilter,
    TagFilter,
    byline,
    live_coverage,
    mine_tabs,
    tagged_stories,
)
from articles.admin_old_addresses import OLD_ADDRESSES, OldSlugInline
from articles.admin_preview import preview_urls
from articles.admin_related_links import RelatedLinkInline, link_target_urls
from articles.admin_saving import ArticleSaving
from articles.admin_search import ArticleSearch
from articles.kept_pictures import KeepingImageField, KeepingImageInput
from articles.listing_services import delete_listing_entries, save_listing_entries
from articles.models import Article, Author, Section, Tag
from articles.services import delete_articles
from newsportal.formats import newsroom_time


class ListingEntryAdmin(admin.ModelAdmin):
    """Sections, authors and tags: saved and deleted through the services, which purge the
    pages that print their names. A slug that is another page's old address is refused by
    the model's validation (articles.old_addresses), which the form runs."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # No maxlength, as in the article's form (admin_forms.said_not_cut): a bio pasted too
        # long was cut without a word; it comes back whole with the error instead.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.pop("maxlength", None)
        return field

    def get_inlines(self, request, obj):
        # Old addresses only where there are some: most pages never change their slug.
        if obj is None or not obj.old_slugs.exists():
            return []
        return [OLD_ADDRESSES[self.model]]

    def get_deleted_objects(self, objs, request):
        return deleted_entries(self, objs, request)

    def save_model(self, request, obj, form, change):
        save_listing_entries(objs=[obj])

    def delete_model(self, request, obj):
        delete_listing_entries(queryset=type(obj).objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        delete_listing_entries(queryset=queryset)


class SectionOrderForm(forms.ModelForm):
    """A row's order box in the sections' list: named for its section, as a screen reader says
    it ("Place of Technology in the menu"). Its column's heading alone named none of the boxes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = f"Place of {self.instance.name} in the menu"
        self.fields["order"].widget.attrs["aria-label"] = name


@admin.register(Section)
class SectionAdmin(ListingEntryAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=SectionOrderForm, **kwargs)


@admin.register(Author)
class AuthorAdmin(ListingEntryAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]

    def get_exclude(self, request, obj=None):
        # The account a byline names is looked up among the users, which an editor may not see:
        # the lookup opened "Not allowed", leaving a number to guess. Kept as it is for them.
        if request.user.has_perm("auth.view_user"):
            return super().get_exclude(request, obj)
        return ["user"]

    def get_list_display(self, request):
        # Nor the list: its column named the accounts behind the bylines (their login names).
        if request.user.has_perm("auth.view_user"):
            return super().get_list_display(request)
        return [field for field in self.list_display if field != "user"]


@admin.register(Tag)
class TagAdmin(ListingEntryAdmin):
    list_display = ["name", "slug", tagged_stories]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(ArticleSearch, ArticleSaving, ArticleActions, admin.ModelAdmin):
    form = ArticleForm
    list_display = [
        "title",
        byline,
        "state",
        live_coverage,
        "section",
        "published",
        "comments_enabled",
    ]
    list_filter = [
        StateFilter,
        LiveFilter,
        BylineFilter,
        TagFilter,
        "section",
        "comments_enabled",
        "published_at",
    ]
    ordering = LAST_WORKED_ON_FIRST
    list_select_related = ["section"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    readonly_fields = ["hero_preview", "updated_at"]
    inlines = [BylineInline, RelatedLinkInline, OldSlugInline]
    formfield_overrides = {
        models.ImageField: {"form_class": KeepingImageField, "widget": KeepingImageInput}
    }
    actions = ["publish", "publish_now", "unpublish"]

    class Media:
        # The status tabs, above the rows on a phone; the body's box, the size of a story.
        css = {"all": ["css/admin-lists.css", "css/admin-article-form.css"]}

    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        (
            "Hero image",
            {"fields": ["hero_image", "hero_preview", "hero_alt", "hero_caption", "hero_credit"]},
        ),
        (
            "Publishing",
            {"fields": ["section", "tags", "status", "published_at", "updated_at"]},
        ),
        ("Comments", {"fields": ["comments_enabled", "readers_question"]}),
    ]

    def get_urls(self):
        # "Preview changes" (articles.admin_preview): the form's words as the page, unsaved. The
        # related links' picker, which says which stories are not out (admin_related_links).
        return [*preview_urls(self), *link_target_urls(self), *super().get_urls()]

    def render_change_form(self, request, context, *args, **kwargs):
        shown_again(context)  # back with errors: the picture kept, and what to do said
        form = context["adminform"].form
        picture = form.fields.get("hero_image")
        # The Preview row (hero_preview) says so too: it said "No image yet." under "Picture
        # kept". The kept copy is private (articles.kept_pictures), so it is named, not shown.
        form.instance.picture_kept = (
            picture and picture.widget.kept and picture.widget.kept["shown"]
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def changelist_view(self, request, extra_context=None):
        # Not the stock "Select article to change": the newsroom's list of its stories.
        return super().changelist_view(request, {"title": "Articles", **(extra_context or {})})

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_changelist_instance(self, request):
        # The lists by status above the rows too, as the comment lists have them: on a phone
        # the filters come after every row.
        cl = super().get_changelist_instance(request)
        states = [spec for spec in cl.filter_specs if isinstance(spec, StateFilter)]
        cl.status_tabs = list(states[0].choices(cl)) if states else []
        cl.byline_tabs = mine_tabs(cl)
        return cl

    def get_fieldsets(self, request, obj=None):
        # A story not written yet has no "Updated at": the add form showed the time it opened.
        if obj is not None:
            return self.fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "updated_at"]})
            for name, options in self.fieldsets
        ]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and request.method == "GET" and obj.pk is None:
            kwargs["initial"] = own_byline(request)
        return kwargs

    def get_inlines(self, request, obj):
        # Old addresses only where there are some: most articles never change their slug.
        if obj is None or not obj.old_slugs.exists():
            return [BylineInline, RelatedLinkInline]
        return self.inlines

    @admin.display(description="status", ordering="status")
    def state(self, obj):
        # "Published" with a date to come read as live: the list says what readers see.
        if obj.status == Article.Status.PUBLISHED and not obj.is_public:
            return "Scheduled"
        return obj.get_status_display()

    @admin.display(description="published", ordering="published_at")
    def published(self, obj):
        # As the comment lists write times, not "Jan. 1, 2030, 9 a.m.".
        if obj.published_at is None:
            return "–"
        # A draft's time is the one its form was opened at, which it never went out at (it is
        # dated when published): shown, it read as out. A draft taken down keeps its own.
        out = obj.first_published_at is not None and obj.first_published_at <= timezone.now()
        if obj.status == Article.Status.DRAFT and not out:
            return "Not published yet"
        return newsroom_time(obj.published_at)

    @admin.display(description="preview")
    def hero_preview(self, obj):
        kept = getattr(obj, "picture_kept", None)
        if not obj.hero_renditions:
            if kept:
                return f"{kept} is kept: it is shown here once the story is saved."
            return "No image yet."
        shown = self._hero_shown(obj)
        if kept:
            return format_html(
                "{}<br>{} is kept: it replaces this picture once the story is saved.", shown, kept
            )
        return shown

    def _hero_shown(self, obj):
        crops = obj.hero_crop_images
        if not crops:  # saved before crops were made
            return format_html('<img src="{}" alt="" width="240">', obj.thumbnail_url)
        # As readers get it: shown whole, a portrait or a tall chart gave no hint that pages
        # cut off its top and bottom (a head, a title).
        return format_html(
            '<img src="{}" alt="" width="240" height="135"><br>Pages show it cut to this shape '
            "(16:9) from the centre: what matters should be in the middle.",
            crops[0]["url"],
        )

    def get_deleted_objects(self, objs, request):
        return deleted_stories(self, objs, request)

    def delete_queryset(self, request, queryset):
        delete_articles(queryset=queryset)

    def delete_model(self, request, obj):
        delete_articles(queryset=Article.objects.filter(pk=obj.pk))
