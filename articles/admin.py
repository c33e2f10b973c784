from django.contrib import admin, messages
from django.db import models, transaction
from django.utils.html import format_html

from articles import pagecache
from articles.images import CheckedImageField
from articles.models import Article, Author, RelatedLink, Section, Tag
from articles.services import (
    publish_articles,
    purge_article_pages,
    refresh_hero_renditions,
    unpublish_articles,
)


class PurgesPagesOnChange:
    """Section, author and tag names are printed on list and article pages: a rename or a
    deletion is shown at once, not when cached pages expire."""

    def purge_pages(self) -> None:
        pagecache.purge_lists(catalogue=True)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(self.purge_pages)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(self.purge_pages)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(self.purge_pages)


@admin.register(Section)
class SectionAdmin(PurgesPagesOnChange, admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}

    def purge_pages(self) -> None:
        # Every page also draws the section menu from the cache.
        pagecache.purge_navigation()
        super().purge_pages()


@admin.register(Author)
class AuthorAdmin(PurgesPagesOnChange, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]


@admin.register(Tag)
class TagAdmin(PurgesPagesOnChange, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    extra = 1
    fields = ["order", "target_article", "url", "title", "in_body_after_paragraph"]
    autocomplete_fields = ["target_article"]
    ordering = ["order", "pk"]
    # A link typed without a scheme is taken as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "section", "published_at", "is_live", "comments_enabled"]
    list_filter = ["status", "section", "comments_enabled", "published_at"]
    list_select_related = ["section"]
    search_fields = ["title", "standfirst"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors", "tags"]
    readonly_fields = ["hero_preview", "updated_at"]
    inlines = [RelatedLinkInline]
    formfield_overrides = {models.ImageField: {"form_class": CheckedImageField}}
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        (
            "Hero image",
            {"fields": ["hero_image", "hero_preview", "hero_alt", "hero_caption", "hero_credit"]},
        ),
        (
            "Publishing",
            {"fields": ["section", "authors", "tags", "status", "published_at", "updated_at"]},
        ),
        ("Comments", {"fields": ["comments_enabled"]}),
    ]

    @admin.display(boolean=True, description="live")
    def is_live(self, obj):
        return obj.is_public

    @admin.display(description="preview")
    def hero_preview(self, obj):
        if not obj.hero_renditions:
            return "No image yet."
        return format_html('<img src="{}" alt="" width="240">', obj.thumbnail_url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "hero_image" in form.changed_data:
            refresh_hero_renditions(article=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the inlines, so related-link edits are part of what readers see next.
        slugs = [form.instance.slug, *([form.initial["slug"]] if form.initial.get("slug") else [])]
        transaction.on_commit(lambda: purge_article_pages(slugs=slugs))

    def delete_queryset(self, request, queryset):
        slugs = list(queryset.values_list("slug", flat=True))
        super().delete_queryset(request, queryset)
        transaction.on_commit(lambda: purge_article_pages(slugs=slugs))

    def delete_model(self, request, obj):
        slug = obj.slug
        super().delete_model(request, obj)
        transaction.on_commit(lambda: purge_article_pages(slugs=[slug]))

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish(self, request, queryset):
        count = publish_articles(queryset=queryset)
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles", permissions=["change"])
    def unpublish(self, request, queryset):
        count = unpublish_articles(queryset=queryset)
        self.message_user(request, f"Unpublished {count} article(s).", messages.SUCCESS)
