"""What the admin's delete confirmation says when stories are deleted. A story's comments, and
what hangs on them (replies, reports, earlier versions), exist only on its page: they are the
story's, deleted with it by whoever may delete stories. Django's confirmation asked for the
permission to delete comments, which the Editors group rightly lacks (an editor is no moderator),
and then refused; it also listed readers' words, pending ones too, to staff who may not read
them. Here they are counted instead, and the editor is told how to keep them."""

from collections import Counter
from functools import partial

from django.contrib import messages
from django.contrib.admin.utils import NestedObjects, get_deleted_objects
from django.db import router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from articles.models import BYLINE_KEPT, Article, Author, RelatedLink, Section

KEEP_THEM = "To take the story off the site and keep them, unpublish it instead."
# Unpublished, a story keeps its picture's files (README, "Purges"): said when it has one.
PICTURE_STAYS = (
    "Its picture stays stored, at addresses no page shows now, for when it is published again: "
    "to take it down too (a story pulled for legal reasons), clear its Hero image and save."
)


def picture_stays(articles) -> str:
    """PICTURE_STAYS, after a message, when one of these stories taken down has a picture."""
    return f" {PICTURE_STAYS}" if articles.exclude(hero_image="").exists() else ""


def _counted(objs) -> str:
    counts = Counter(obj._meta for obj in objs)
    return ", ".join(
        f"{n} {opts.verbose_name if n == 1 else opts.verbose_name_plural}"
        for opts, n in counts.items()
    )


def _flattened(nested) -> list:
    return [
        obj for item in nested for obj in (_flattened(item) if isinstance(item, list) else [item])
    ]


def _headlines(links) -> dict:
    """The headlines of the stories these links go from and to, by id, in one query."""
    ids = {link.article_id for link in links} | {link.target_article_id for link in links}
    return dict(Article.objects.filter(pk__in=ids - {None}).values_list("pk", "title"))


def _link_line(link: RelatedLink, headlines: dict) -> str:
    """A related link as the story both ends: "Related link: Chargers" named one of them, and
    left the editor guessing which other story loses a link (one to the story deleted)."""
    if link.target_article_id is None:  # away from the site: its title and address
        to = format_html("“{}” ({})", link.title, link.url)
    else:
        to = format_html("“{}”", headlines.get(link.target_article_id, ""))
    return format_html("Related link from “{}” to {}", headlines.get(link.article_id, ""), to)


def _line(site, request, perms_needed: set, obj, headlines=None) -> str:
    """An object as the confirmation lists it, as Django's does: linked to its page, if it has
    one (perms_needed takes its kind, if this user may not delete it)."""
    if isinstance(obj, RelatedLink) and headlines is not None:
        return _link_line(obj, headlines)
    opts = obj._meta
    if site.is_registered(type(obj)):
        if not site.get_model_admin(type(obj)).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        name = f"{site.name}:{opts.app_label}_{opts.model_name}_change"
        try:
            url = reverse(name, args=[obj.pk])
        except NoReverseMatch:
            pass  # no page of its own
        else:
            return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)
    return f"{capfirst(opts.verbose_name)}: {obj}"


def deleted_stories(model_admin, objs, request):
    """ModelAdmin.get_deleted_objects for stories: (to_delete, model_count, perms_needed,
    protected), as Django's, with what other apps hang on a story counted under it."""
    app_label = model_admin.opts.app_label
    site = model_admin.admin_site
    collector = NestedObjects(using=router.db_for_write(model_admin.model), origin=objs)
    collector.collect(objs)
    perms_needed = set()
    headlines = _headlines(collector.model_objs.get(RelatedLink, ()))
    line = partial(_line, site, request, perms_needed, headlines=headlines)

    to_delete = []
    nested = collector.nested()
    for position, story in enumerate(nested):
        if isinstance(story, list):
            continue  # the parts of the story before it
        parts = nested[position + 1] if position + 1 < len(nested) else []
        parts = _flattened(parts) if isinstance(parts, list) else []
        # A byline or a tag given is a row of its own (auto_created) but no thing of its own.
        own = [
            line(obj)
            for obj in parts
            if obj._meta.app_label == app_label and not obj._meta.auto_created
        ]
        theirs = [obj for obj in parts if obj._meta.app_label != app_label]
        if theirs:
            own.append(f"Deleted with it: {_counted(theirs)}. {KEEP_THEM}")
        to_delete += [line(story), own] if own else [line(story)]

    model_count = {
        model._meta.verbose_name_plural: len(found)
        for model, found in collector.model_objs.items()
        if not model._meta.auto_created
    }
    return to_delete, model_count, perms_needed, [line(obj) for obj in collector.protected]


def deleted_entries(model_admin, objs, request):
    """ModelAdmin.get_deleted_objects for sections, authors and tags: Django's answer, with the
    stories an entry is taken off named (Django listed the rows that filed them there, "Article_
    tags object (12)", by number), and for an author the stories that name them as what keeps
    them (as a section's stories keep the section), with why said on top."""
    site = model_admin.admin_site
    _, model_count, perms_needed, protected = get_deleted_objects(objs, request, site)
    line = partial(_line, site, request, set())
    if model_admin.model is Author:
        bylined = Article.objects.filter(authors__in=objs).distinct().order_by("-published_at")
        if bylined:
            protected = [*protected, *map(line, bylined)]
            messages.warning(request, BYLINE_KEPT)
    to_delete = []
    for entry in objs:
        # A section's stories keep it (protected): only a tag's are taken off.
        stories = [] if isinstance(entry, Section) else entry.articles.order_by("-published_at")
        taken_off = [
            format_html(
                'Taken off the story <a href="{}">{}</a>',
                reverse(f"{site.name}:articles_article_change", args=[story.pk]),
                story,
            )
            for story in stories
        ]
        to_delete += [line(entry), taken_off] if taken_off else [line(entry)]
    through = {Article.tags.through, Article.authors.through}
    counted = {model._meta.verbose_name_plural for model in through}
    model_count = {name: n for name, n in model_count.items() if name not in counted}
    return to_delete, model_count, perms_needed, protected
