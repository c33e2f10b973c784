"""The article list's filters and rows: by what readers see (Draft, Scheduled, Published) and by
byline, "My stories" first for an editor who writes under one."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Case, Exists, IntegerField, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from articles.models import Article, Author, Tag
from articles.querysets import in_byline_order, last_worked_on


class StateFilter(admin.SimpleListFilter):
    """By what readers see, as the list's status column says it: a story set to "Published"
    with a time to come is scheduled, not live."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("live", "Published")]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Article.Status.PUBLISHED)
        return {
            "draft": queryset.filter(status=Article.Status.DRAFT),
            "scheduled": published.filter(published_at__gt=now),
            "live": published.filter(published_at__lte=now),
        }.get(self.value())


class LiveFilter(admin.SimpleListFilter):
    """By live coverage (articles.live_services): the stories the newsroom is following live
    now, those whose coverage ended, and those never followed live. Read from the story's own
    row, as the column is."""

    title = "live coverage"
    parameter_name = "live"

    def lookups(self, request, model_admin):
        return [("now", "Live now"), ("ended", "Coverage ended"), ("never", "Never live")]

    def queryset(self, request, queryset):
        followed = queryset.filter(live_since__isnull=False)
        return {
            "now": followed.filter(live_ended_at__isnull=True),
            "ended": followed.filter(live_ended_at__isnull=False),
            "never": queryset.filter(live_since__isnull=True),
        }.get(self.value())


# The "live" column sorted as it reads: the stories followed live now first (what the desk looks
# for), then those whose coverage ended, then those never followed live; within each, the list's
# own order (Django's ChangeList appends it). Reversed, the other way round.
LIVE_NOW_FIRST = Case(
    When(live_since__isnull=True, then=Value(2)),
    When(live_ended_at__isnull=True, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


@admin.display(description="live", ordering=LIVE_NOW_FIRST)
def live_coverage(article: Article) -> str:
    if article.live_since is None:
        return "–"
    return "Live" if article.live_ended_at is None else "Ended"


MINE = "mine"


class BylineFilter(admin.SimpleListFilter):
    """By an author on the byline. "My stories" (?author=mine, the same link for every editor to
    bookmark) where the signed-in account is an author's (Author.user): a reporter looking for
    their own drafts scrolled past the whole newsroom's."""

    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        # Names on a story (an author without one would list nothing), and the editor's own,
        # in one query.
        mine = Q(user=request.user.pk)
        named = Author.objects.filter(Q(bylines__isnull=False) | mine).distinct()
        rows = named.order_by("name", "pk").values_list("pk", "name", "user")
        choices = [(str(pk), name) for pk, name, _ in rows]
        if any(user == request.user.pk for *_, user in rows):
            choices.insert(0, (MINE, "My stories"))
        return choices

    def queryset(self, request, queryset):
        # An account is one author's at most, and a story names an author once: no duplicates.
        value = self.value()
        if value == MINE:
            return queryset.filter(authors__user=request.user.pk)
        if value is not None:
            # isdecimal, not isdigit: "²" is a digit int() refuses.
            number = value.isascii() and value.isdecimal()
            return queryset.filter(authors__pk=int(value)) if number else queryset.none()
        return None


class TagFilter(admin.SimpleListFilter):
    """By tag (?tag=<slug>, or an old slug of the tag). A newsroom's tags run to thousands, more
    each week: listed here, every tag would be read on every view of the list and pushed the
    other filters a screen down. A tag is picked where there is a search for them, the tags'
    list (each row leads here: TagAdmin), or found by its name in this list's search; the
    filter then shows the tag chosen, and "All" to leave it."""

    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        slug = self.value()
        if not slug:
            return []
        name = _tags(slug).values_list("name", flat=True).first()
        return [(slug, name or slug)]

    def queryset(self, request, queryset):
        # Each story once, whatever the joins to tags and old slugs repeat (one tag answers to
        # the slug: its own first, else the one whose old slug it is: _tags).
        slug = self.value()
        if not slug:
            return None
        return queryset.filter(pk__in=Article.objects.filter(tags__in=_tags(slug)).values("pk"))


def _tags(slug: str):
    """The tag whose slug this is, or was: renamed, a tag keeps its old slugs as old addresses
    (OldTagSlug), and a list filtered by one (bookmarked, linked from before) lists nothing.
    The tag whose slug it is now wins: one tag's old slug may be another's own (taken before
    old addresses were kept from other tags), and it listed both tags' stories, under either
    name. Another's old slug only when no tag has it now, in one query."""
    own = Tag.objects.filter(slug=slug)
    return Tag.objects.filter(Q(slug=slug) | Q(old_slugs__slug=slug) & ~Exists(own))


# The list's order: what the newsroom worked on last first. A draft sorted by its publication
# time sorted by when its form was first opened (it is dated when it goes out): the story a
# reporter wrote all morning sat pages down, under everything opened since. A draft (a story
# taken down too) is placed by when it was last worked on (worked_on_at, which its saves and its
# take-down move: articles.services), a story out or scheduled by its publication time, as
# before. Read through an index of its own.
LAST_WORKED_ON_FIRST = [last_worked_on().desc(), "-pk"]


class ArticleChangeList(ChangeList):
    """The bylines of the page's rows read in one query, not one a row."""

    def get_results(self, request):
        super().get_results(request)
        names = in_byline_order(Author.objects.only("name"))
        self.result_list = self.result_list.prefetch_related(Prefetch("authors", queryset=names))


def mine_tabs(cl) -> list:
    """The "All" and "My stories" links above the rows, for a phone (the filters come after
    every row there); none for an editor who is not an author."""
    for spec in cl.filter_specs:
        if isinstance(spec, BylineFilter) and spec.lookup_choices[:1] == [(MINE, "My stories")]:
            return list(spec.choices(cl))[:2]
    return []


@admin.display(description="byline")
def byline(article: Article) -> str:
    return ", ".join(author.name for author in article.authors.all()) or "–"


@admin.display(description="stories")
def tagged_stories(tag: Tag) -> str:
    """The tag's row leads to the article list filtered by it (TagFilter)."""
    url = reverse("admin:articles_article_changelist")
    return format_html(
        '<a href="{}?{}">Stories tagged {}</a>', url, urlencode({"tag": tag.slug}), tag.name
    )
