"""The article list's actions: publish (a schedule kept), publish now, unpublish. Each says
which stories it changed, by headline, and writes it in their History."""

from django.contrib import admin, messages
from django.utils import timezone

from articles.admin_deletion import picture_stays
from articles.models import Article
from articles.services import publish_articles, unpublish_articles
from newsportal.wording import counted


def _named(articles, most: int = 3) -> str:
    """The stories an action changed, by headline: a count alone let a story ticked by mistake
    (the row above the one meant) go unnoticed until a reader asked where it went."""
    titles = [f"“{title}”" for title in articles.values_list("title", flat=True)[: most + 1]]
    if len(titles) <= most:
        return ", ".join(titles[:-1]) + " and " + titles[-1] if len(titles) > 1 else "".join(titles)
    return f"{', '.join(titles[:most])} and {articles.count() - most} more"


class ArticleActions:
    """ArticleAdmin's actions (its `actions` names them)."""

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish(self, request, queryset):
        # A schedule is kept: it is often an embargo, and a story ticked with the drafts must
        # not go out early. "Publish now" says it does that.
        waiting = queryset.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        waiting = list(waiting.values_list("pk", flat=True))
        drafts = list(queryset.filter(status=Article.Status.DRAFT).values_list("pk", flat=True))
        count = publish_articles(queryset=queryset)
        self._log(request, drafts, "Published.")
        # A draft dated later is scheduled, not live: the editor is told which they got.
        published = Article.objects.filter(pk__in=drafts).order_by("published_at", "pk")
        scheduled = published.filter(published_at__gt=timezone.now())
        live = published.exclude(pk__in=scheduled.values("pk"))
        later = scheduled.count()
        said = []
        if count - later:
            said.append(f"Published {counted(count - later, 'article')}: {_named(live)}.")
        if later:
            first = timezone.localtime(scheduled.first().published_at)
            said.append(
                f"Scheduled {counted(later, 'article')}, dated later: {_named(scheduled)}; each "
                f"goes out at its publication time (the first at {first:%-d %b %Y, %H:%M %Z})."
            )
        if not count:
            said.append("Nothing to publish: the selected articles were published or scheduled.")
        if waiting:
            kept = _named(Article.objects.filter(pk__in=waiting).order_by("published_at", "pk"))
            it = "them" if len(waiting) > 1 else "it"
            said.append(
                f"Left as scheduled: {kept}. To publish {it} now, ahead of schedule, choose "
                "“Publish selected articles now”."
            )
        self.message_user(request, " ".join(said), messages.SUCCESS if count else messages.INFO)

    @admin.action(description="Publish selected articles now", permissions=["change"])
    def publish_now(self, request, queryset):
        # Scheduled ones too, ahead of their time: their publication time becomes now.
        early = queryset.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        early = list(early.values_list("pk", flat=True))
        drafts = list(queryset.filter(status=Article.Status.DRAFT).values_list("pk", flat=True))
        count = publish_articles(queryset=queryset, now_too=True)
        self._log(request, drafts, "Published now.")
        self._log(request, early, "Published now, ahead of its scheduled time.")
        said = (
            [] if count else ["Nothing to publish: the selected articles were already published."]
        )
        for pks, how in [(drafts, ""), (early, ", ahead of schedule")]:
            if pks and count:
                named = _named(Article.objects.filter(pk__in=pks).order_by("pk"))
                said.append(f"Published {counted(len(pks), 'article')} now{how}: {named}.")
        self.message_user(request, " ".join(said), messages.SUCCESS if count else messages.INFO)

    @admin.action(description="Unpublish selected articles", permissions=["change"])
    def unpublish(self, request, queryset):
        pulled = list(queryset.filter(status=Article.Status.PUBLISHED).values_list("pk", flat=True))
        count = unpublish_articles(queryset=queryset)
        self._log(request, pulled, "Unpublished.")
        if not count:  # a green "Unpublished 0 articles." read as done
            said = "Nothing to unpublish: the selected articles were drafts already."
            self.message_user(request, said, messages.INFO)
            return
        pulled = Article.objects.filter(pk__in=pulled).order_by("-published_at", "pk")
        said = f"Unpublished {counted(count, 'article')}: {_named(pulled)}.{picture_stays(pulled)}"
        self.message_user(request, said, messages.SUCCESS)

    def _log(self, request, pks, message: str) -> None:
        # In the story's history, and named to an editor whose form it changed meanwhile.
        for article in Article.objects.filter(pk__in=pks):
            self.log_change(request, article, message)
