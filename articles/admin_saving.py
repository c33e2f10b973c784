"""The article's change form, saved: through articles.services (which dates the story and
purges what it changed), and the editor told what readers see now (out, taken down, moved,
scheduled) and what another editor changed meanwhile that the save kept."""

from django.contrib import messages
from django.utils import timezone

from articles.admin_deletion import picture_stays
from articles.admin_forms import changed_in_form
from articles.kept_pictures import forget_on_commit
from articles.models import Article
from articles.services import draft_edited, save_article


class ArticleSaving:
    """ArticleAdmin's save of its change form (ModelAdmin.save_model and save_related)."""

    def save_model(self, request, obj, form, change):
        before = Article.objects.filter(pk=obj.pk).first() if change else None
        save_article(
            article=obj,
            hero_changed="hero_image" in form.changed_data,
            date_set="published_at" in form.changed_data,
        )
        forget_on_commit(form.cleaned_data.get("hero_image"))
        self._say_what_readers_see(request, obj, before)
        if said := form.old_words_for_new_picture():
            self.message_user(request, said, messages.WARNING)
        if obj.status == Article.Status.PUBLISHED and not obj.is_public:
            # "Published" with a date to come saves as "added successfully", which reads as
            # live: the editor is told when it goes out, as the Publish action tells them.
            when = timezone.localtime(obj.published_at)
            self.message_user(
                request,
                f"Scheduled: “{obj.title}” goes out at its publication time, "
                f"{when:%-d %b %Y, %H:%M %Z}. Until then only staff see it (View on site).",
                messages.INFO,
            )
        elif obj.status == Article.Status.DRAFT and obj.published_at > timezone.now():
            # The time's help says a time to come schedules the story: as a draft it never
            # goes out, and the list shows it dated then all the same.
            when = timezone.localtime(obj.published_at)
            self.message_user(
                request,
                f"Not scheduled: “{obj.title}” is a draft, so it will not go out at its "
                f"publication time, {when:%-d %b %Y, %H:%M %Z}. To schedule it, set its status "
                "to Published and save.",
                messages.WARNING,
            )
        if form.meanwhile:  # another editor's decision kept, around this editor's changes
            self.message_user(
                request, f"{form.meanwhile} Your changes are saved with it.", messages.WARNING
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A draft's byline, tags, links or section alone: edited too, up the list of drafts
        # (a status only a colleague changed meanwhile, kept, is not this editor's change).
        status_mine = "status" in form.changed_data and "status" not in form.kept
        if change and not status_mine and changed_in_form(form, formsets):
            draft_edited(article=form.instance)

    def _say_what_readers_see(self, request, obj, before: Article | None) -> None:
        # "Changed successfully" read the same whether the story went out, came down or moved:
        # the editor is told which, as the Publish and Unpublish actions tell them.
        was_public = before is not None and before.is_public
        if obj.is_public and not was_public:
            said = f"Published: “{obj.title}” is on the site now."
            self.message_user(request, said, messages.SUCCESS)
        elif was_public and obj.status == Article.Status.DRAFT:
            said = (
                f"Unpublished: “{obj.title}” is a draft again: readers no longer see it, and "
                "its address answers “not found” until it is published again."
            )
            said += picture_stays(Article.objects.filter(pk=obj.pk))
            self.message_user(request, said, messages.INFO)
        if obj.is_public and before and obj.old_slugs.filter(slug=before.slug).exists():
            old = Article(slug=before.slug).get_absolute_url()
            said = (
                f"Its address is now {obj.get_absolute_url()}: links to the old one, {old}, "
                "lead readers here."
            )
            self.message_user(request, said, messages.INFO)
