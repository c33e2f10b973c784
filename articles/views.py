from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from articles.context_processors import drawn_menus, mark_menus
from articles.list_pages import (
    drawn_once,
    listed_keys,
    page_number_or_404,
    page_of,
    page_one_at_one_address,
    paged,
)
from articles.models import Article, Author, Correction, Section, Tag
from articles.pages import absolute, article_page_parts
from articles.querysets import with_stories_out
from articles.search import (
    add_snippets,
    clean_query,
    only_common_words,
    search_articles,
    tidy_query,
)
from newsportal.caching import (
    CORRECTIONS,
    LISTS,
    also_keyed,
    article_key,
    fragments_kept,
    has_flash_message,
    listed_key,
    mark_personal,
    mark_shared,
    shows_stories,
    signed_in_user,
)
from newsportal.methods import read_only
from newsportal.paging import (
    COMMENTS_PAGE_PARAM,
    PastTheLastPage,
    no_page_redirect,
    page_address,
    page_number,
    page_or_none,
)
from newsportal.views import page_not_found

# What a list page of each kind lists, its title and its description.
LISTINGS = {
    "section": (
        Section,
        "section",
        lambda s: s.name,
        lambda s: s.description or f"The latest from {s.name}.",
    ),
    "author": (Author, "authors", lambda a: a.name, lambda a: a.bio),
    "tag": (Tag, "tags", lambda t: f"Tagged “{t.name}”", lambda t: f"Articles about {t.name}."),
}


def _listing_parts(request, kind: str, slug: str, number: int, *, preview: bool = False):
    """What a section's, an author's or a tag's page shows. An author or a tag with no story
    out (named only on drafts and stories under embargo) is missing, as a name never used is:
    slugs follow from names, and a rival guessing one must not learn that a story is coming.
    preview: that page for an editor, with the stories waiting under it."""
    model, field, title, description = LISTINGS[kind]
    owner = model.objects.filter(slug=slug).first()
    if owner is None:
        # An address it had before its slug changed (articles.listing_services).
        moved = model.objects.filter(old_slugs__slug=slug)
        if kind != "section":  # a 301 would tell the page is there, and its new name
            moved = with_stories_out(moved, field)
        moved = moved.values_list("slug", flat=True)
        return {"moved_to": moved[0]} if moved else {"missing": True}
    stories = Article.objects.filter(**{field: owner})
    listed = stories.for_cards() if preview else stories.for_listing()
    page_obj = page_of(listed, number)
    # A section is in every page's menu: its page is there before its first story.
    if kind != "section" and not preview:
        # Past the last page (None) too: an editor's preview may have a page 2 where readers'
        # list has none.
        none_out = not listed.exists() if page_obj is None else not page_obj.paginator.count
        if none_out:
            return {"missing": True, "waiting": True}
    if page_obj is None:
        return None
    # The cards leave out what the page is about (a section's name, an author's byline).
    context = {"page_obj": page_obj, "listing": kind}
    html = render_to_string("includes/article_list.html", context)
    feeds = {}
    if kind == "section":
        feeds = {
            "rss": reverse("articles:section-feed", args=[slug]),
            "atom": reverse("articles:section-atom", args=[slug]),
        }
    return {
        "title": title(owner),
        "description": description(owner),
        "html": html,
        "feeds": feeds,
        "surrogate_keys": listed_keys(page_obj),
        **drawn_menus(current_path=request.path),
    }


@read_only
@page_one_at_one_address("page")
def listing(request, slug, *, kind):
    """A section's, an author's or a tag's page (kind: a key of LISTINGS, given by the URL)."""
    page_key = LISTINGS[kind][0].page_key(slug)
    # Every answer at this address, "not found" too: a new tag or author purges only this. A
    # "not found" also carries the lists' key (page_not_found): the first story out under the
    # tag or author, published or released at its time, purges that (articles.services).
    also_keyed(request, page_key)
    # Asked of every visitor at a tag's or an author's address, before anything is looked up: a
    # session read only where an entry waits would answer with `Vary: Cookie` (and drop a stale
    # session cookie) there alone, telling a guessed slug from one never used. A section's page
    # is never a preview (it is there before its first story): no session is read for it (two
    # queries a page, which made a signed-in reader's section page half as fast as `make bench`
    # asks).
    may_preview = kind != "section" and _may_preview(request)

    def make(number):
        return _listing_parts(request, kind, slug, number)

    # "out-only": an older release kept a tag's page with its name before any story was out.
    parts = drawn_once(request, f"list|{kind}|{slug}|out-only", make, [page_key])
    preview = bool(parts.get("waiting")) and may_preview
    if preview:
        parts = _listing_parts(request, kind, slug, page_number_or_404(request), preview=True)
        if parts is None:
            raise Http404("No such page")
        mark_menus(request, parts)
    if parts.get("missing"):
        raise Http404(f"No such {kind}")
    if "moved_to" in parts:
        # For good (301), the reader's page with it, as an article's old address leads on. An
        # author's or a tag's leads on only while a story under it is out: it carries the lists'
        # key, which taking the last one down (unpublished, deleted) purges.
        keys = () if kind == "section" else (LISTS,)
        moved = _moved(request, f"articles:{kind}", parts["moved_to"])
        return mark_shared(request, moved, *keys)
    context = {**parts, **paged(request, parts["title"]), "is_preview": preview}
    if kind == "section":  # where its visible feed link leads (the head names the feeds)
        context["follow_url"] = reverse("articles:section-follow", args=[slug])
    response = render(request, "articles/article_list.html", context)
    if preview:
        return mark_personal(response)
    return mark_shared(request, response, LISTS, *parts["surrogate_keys"])


def _may_preview(request) -> bool:
    """Drafts and stories under embargo: for those who may read articles in the admin (editors,
    superusers), not for every staff account (a moderator holds nothing of articles). The admin
    is for staff alone: a reader's permissions are never read (two queries a page, which made a
    signed-in reader's section page half as fast as the benchmark's target)."""
    reader = signed_in_user(request)
    return reader is not None and reader.is_staff and reader.has_perm("articles.view_article")


def _moved(request, name: str, slug: str):
    query = request.META.get("QUERY_STRING")
    return redirect(reverse(name, args=[slug]) + (f"?{query}" if query else ""), permanent=True)


@read_only
@page_one_at_one_address("page")
def home(request):
    def make(number):
        listing = Article.objects.for_listing()
        lead = listing.first()
        page_obj = page_of(listing.exclude(pk=lead.pk) if lead else listing, number)
        if page_obj is None:
            return None
        # The lead story tops the first page only; later pages continue the list.
        lead = lead if page_obj.number == 1 else None
        context = {"lead": lead, "page_obj": page_obj}
        return {
            "listing_html": render_to_string("includes/home_listing.html", context),
            "surrogate_keys": listed_keys([lead, *page_obj] if lead else page_obj),
            **drawn_menus(current_path=request.path),
        }

    parts = drawn_once(request, "list|home", make)
    context = {**parts, **paged(request, "Latest news")}
    # Shared on social networks as the site itself, not as one of its lists.
    if context["page_number"] == 1:
        context["share_title"] = settings.SITE_NAME
    response = render(request, "articles/home.html", context)
    return mark_shared(request, response, LISTS, *parts["surrogate_keys"])


# A story scheduled for later is missing until its time, and no write purges it then: an
# article address that finds nothing is kept only this long, the same for every slug (a life
# cut to the scheduled time would tell that time to anyone guessing slugs).
MISSING_ARTICLE_SECONDS = 10


def _missing_article(request):
    response = page_not_found(request, None)
    if "public" in response.get("Cache-Control", ""):
        patch_cache_control(response, s_maxage=MISSING_ARTICLE_SECONDS, stale_while_revalidate=0)
    return response


def _moved_or_missing(request, slug):
    """An address the newsroom has since changed leads on for good (301), the reader's query
    (?comments-page=) with it; shared caches keep that answer under the article's key."""
    moved = Article.objects.moved_from(slug)
    if moved is None:
        return _missing_article(request)
    return mark_shared(
        request, _moved(request, "articles:detail", moved.slug), article_key(moved.pk)
    )


def _to_last_comments_page(request, last_page: int):
    """A number past the last page of comments leads to that page (the article itself when it
    is the first). For now only: the last page moves on as comments are approved, so 302.

    Kept by no cache: the front caches keep a 302 only when it is marked shared under the keys
    of the writes that move it (mark_shared's moves_with_keys, deploy/), and this address is
    one nobody was given (a made-up number, or a page that emptied when comments were taken
    down), so a kept copy would spare the site little and point at a page that no longer is
    the last once more comments are approved.
    Answering costs little: the row, the fragments' lookups and a count of the threads."""
    response = redirect(page_address(request, COMMENTS_PAGE_PARAM, last_page))
    add_never_cache_headers(response)
    return response


@read_only
# Comments' own pages: one address each, as a list's; but a wrong value leads to the article,
# not to a 404 (newsportal.paging.no_page_redirect).
@page_one_at_one_address(COMMENTS_PAGE_PARAM, moves=no_page_redirect)
def article_detail(request, slug):
    # The row alone, every time (whether it is public is decided now); what the page shows of
    # it and around it comes from its fragment, so the body is read only to draw that again.
    rows = Article.objects.for_page_frame() if fragments_kept() else Article.objects.all()
    # A slug names one row at most: nothing for first() to order by (a twentieth of a miss).
    article = next(iter(rows.filter(slug=slug).order_by()[:1]), None)
    reader = signed_in_user(request)
    is_preview = article is not None and not article.is_public
    if article is None:
        return _moved_or_missing(request, slug)
    if is_preview and not _may_preview(request):
        return _missing_article(request)
    # Everyone's comment section, unless a message waits for this reader (comments' tag
    # decides; a signed-in reader gets everyone's and comments.js fills in their name).
    shared_comments = not has_flash_message(request)
    parts = article_page_parts(article, shared=not is_preview, shared_comments=shared_comments)
    mark_menus(request, parts)
    context = {
        "article": article,
        "is_preview": is_preview,
        "signed_in_as": reader,
        # The page of comments this address names (any value that names none has led on).
        "comments_page_number": page_number(request, COMMENTS_PAGE_PARAM),
        **parts,
    }
    try:
        response = render(request, "articles/article_detail.html", context)
    except PastTheLastPage as past:  # found while drawing the comments (comments' tag)
        return _to_last_comments_page(request, past.last_page)
    if is_preview:
        return mark_personal(response)
    shows_stories(request, *parts["shown_stories"])
    return mark_shared(request, response, *parts["surrogate_keys"])


@read_only
@page_one_at_one_address("page")
def search(request):
    query = clean_query(request.GET.get("q"))

    def make(number):
        page_obj = page_of(search_articles(Article.objects.for_listing(), query), number)
        if page_obj is None:
            return None
        add_snippets(page_obj, query)
        common_only = not page_obj.paginator.count and only_common_words(query)
        context = {"query": query, "page_obj": page_obj, "common_words_only": common_only}
        return {
            "results_html": render_to_string("includes/search_results.html", context),
            "found": page_obj.paginator.count,
            "surrogate_keys": listed_keys(page_obj),
            **drawn_menus(current_path=request.path),
        }

    if not query and page_number_or_404(request) > 1:
        raise Http404("No such page")  # the page without words lists nothing to page through
    # A word everyone looks up at once (a story everyone follows) is ranked once.
    # ("counted": the parts say how many were found.)
    parts = drawn_once(request, f"list|search|counted|{query}", make) if query else {}
    title = f"Search: {query}" if query else "Search"
    # Marks with no word among them ("((", "?!") search nothing, but stay in the box, and the
    # page says why, rather than a blank box as if the reader had typed nothing.
    typed = query or tidy_query(request.GET.get("q"))
    context = {"query": query, "typed": typed, **parts, **paged(request, title)}
    response = render(request, "articles/search.html", context)
    return mark_shared(request, response, LISTS, *parts.get("surrogate_keys", ()))


CORRECTIONS_PER_PAGE = 25


@read_only
@page_one_at_one_address("page")
def corrections(request):
    """Every correction to a story on the site, the newest first: what the newsroom got wrong
    and what is right, in one place (each story says its own at its end)."""

    def make(number):
        on_the_site = Correction.objects.filter(article__in=Article.objects.published())
        listed = (
            on_the_site.select_related("article")
            .only("text", "published_at", "article__title", "article__slug")
            .order_by("-published_at", "-pk")
        )
        page_obj = page_or_none(listed, CORRECTIONS_PER_PAGE, number)
        if page_obj is None:
            return None
        context = {"page_obj": page_obj, "pagination_label": "More corrections"}
        return {
            "listing_html": render_to_string("includes/correction_list.html", context),
            "surrogate_keys": [listed_key(pk) for pk in {c.article_id for c in page_obj}],
            **drawn_menus(current_path=request.path),
        }

    parts = drawn_once(request, "list|corrections", make, [CORRECTIONS])
    context = {**parts, **paged(request, "Corrections")}
    response = render(request, "articles/corrections.html", context)
    return mark_shared(request, response, LISTS, CORRECTIONS, *parts["surrogate_keys"])


def _feeds(rss: str, atom: str) -> list[dict]:
    """A follow page's feeds: their paths (the head's <link rel="alternate">) and the addresses
    readers copy, from SITE_URL (the page is shared, whatever host it was asked by)."""
    return [
        {"kind": kind, "path": path, "url": absolute(path), "id": f"feed-{kind.lower()}"}
        for kind, path in (("RSS", rss), ("Atom", atom))
    ]


@read_only
def follow(request, slug=None):
    """How to follow the site, or a section, in a feed reader, with the feeds' addresses to copy:
    where the pages' visible feed links lead. A feed itself is XML for feed readers (the head's
    <link rel="alternate"> still names it for them), which browsers are ceasing to draw as a
    page (they are retiring XSLT, templates/articles/feed.xsl.xml)."""
    context = {"section": None, "canonical_url": settings.SITE_URL + request.path}
    if slug is None:
        context["feeds"] = _feeds(reverse("articles:feed"), reverse("articles:atom"))
        response = render(request, "articles/follow.html", context)
        return mark_shared(request, response)
    # Every answer at this address, "not found" too: a rename or a new section purges it.
    also_keyed(request, Section.page_key(slug))
    section = Section.objects.filter(slug=slug).first()
    if section is None:
        # Its address before the section's slug changed leads on, as its page's and feeds' do.
        moved = Section.objects.filter(old_slugs__slug=slug).values_list("slug", flat=True)
        if not moved:
            raise Http404("No such section")
        return mark_shared(request, _moved(request, "articles:section-follow", moved[0]))
    context["section"] = section
    context["feeds"] = _feeds(
        reverse("articles:section-feed", args=[slug]), reverse("articles:section-atom", args=[slug])
    )
    response = render(request, "articles/follow.html", context)
    return mark_shared(request, response)
