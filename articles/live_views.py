"""A long live coverage's earlier updates, a page at a time (articles.live_pages): shared by every
reader like the story's page, and purged with it by each update (its key); an editor previewing
a draft or a story taken down gets them too, drawn for them alone."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from articles.context_processors import drawn_menus, mark_menus, strip_outlived
from articles.live_pages import live_coverage, live_page_url, live_update_page
from articles.models import Article
from newsportal.caching import (
    LISTS,
    SITE,
    also_keyed,
    article_key,
    cached,
    mark_personal,
    mark_shared,
    signed_in_user,
)
from newsportal.methods import read_only

# Beyond it, drawn but not kept: made-up numbers cannot fill the fragment cache (articles.views'
# lists keep theirs the same way).
MAX_CACHED_PAGE = 1000


def story_for(request, slug):
    """The story at this slug as this reader may read it: published, or a draft or a story taken
    down for those who may preview it (as article_detail decides); with whether it is that
    preview, drawn for them alone. None: no such story for them."""
    story = Article.objects.filter(slug=slug).only("pk", "slug", "status", "published_at")
    story = story.order_by().first()
    if story is None or story.is_public:
        return story, False
    reader = signed_in_user(request)
    # As article_detail decides (articles.views._may_preview): the admin is for staff alone.
    if reader is None or not (reader.is_staff and reader.has_perm("articles.view_article")):
        return None, False
    return story, True


@read_only
def live_updates_page(request, slug, number):
    number = int(number)
    story, is_preview = story_for(request, slug)

    def finish(response):
        if is_preview:  # the editor's own, as the story's preview is
            return mark_personal(response)
        return mark_shared(request, response, article_key(story.pk))

    if story is None:
        # An address the story had before its slug changed leads on, as the story's does.
        moved = Article.objects.moved_from(slug)
        if moved is None:
            raise Http404("No article found")
        if number > 1:
            to = reverse("articles:live-updates", args=[moved.slug, number])
            return mark_shared(request, redirect(to, permanent=True), article_key(moved.pk))
        story = moved  # page 1: straight to the story, in one hop
    if number == 1:
        # The newest updates are on the story's own page: one address for them.
        return finish(redirect(story.get_absolute_url() + "#live-updates", permanent=True))

    def make():
        article = Article.objects.select_related("section").get(pk=story.pk)
        live = live_coverage(article, number)
        if live is None:
            return None
        context = {"article": article, **live}
        return {
            "title": article.title,
            "coverage_html": render_to_string("includes/live_updates.html", context),
            **drawn_menus(current_section=article.section.slug, current_article=article.pk),
        }

    if number > MAX_CACHED_PAGE or is_preview:
        parts = make()
    else:
        name = f"live-updates|{story.pk}|{number}|with-menus|breaking"
        parts = cached(name, [SITE, LISTS, article_key(story.pk)], make)
        if parts is not None and strip_outlived(parts):
            parts = make()
    if parts is None:
        raise Http404("No such page")  # the shared 404, dropped by the next update (LISTS)
    mark_menus(request, parts)
    context = {
        **parts,
        "story_url": story.get_absolute_url(),
        "page_number": number,
        "canonical_url": settings.SITE_URL + request.path,
    }
    return finish(render(request, "articles/live_updates_page.html", context))


@read_only
def live_update_at(request, slug, pk):
    """An update's own address leads to the page it is on now, "#update-<id>" on it: a 302 that
    shared caches keep under the story's key (a shared link's readers are answered there), as
    every write that moves the update (a newer one, an edit, a delete, the story's own) purges
    that key; browsers ask again each time. Answering reads two rows: the story's and the
    update's, with how many are newer."""
    story, is_preview = story_for(request, slug)
    if story is None:
        # The story's address before its slug changed: straight to where the update is now.
        story = Article.objects.moved_from(slug)
        if story is None:
            raise Http404("No article found")
    number = live_update_page(story, int(pk))
    if number is None:
        # Another story's update, a deleted one, or an id not posted yet: an update posted to
        # this story later purges the story's key (and LISTS, as every 404's).
        also_keyed(request, article_key(story.pk))
        raise Http404("No such update")
    response = redirect(f"{live_page_url(story, number)}#update-{pk}")
    if is_preview:  # a story not out: the editor's own
        return mark_personal(response)
    return mark_shared(request, response, article_key(story.pk), moves_with_keys=True)
