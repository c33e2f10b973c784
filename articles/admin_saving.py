"""The article's change form, saved: through articles.services (which dates the story and
purges what it changed), and the editor told what readers see now (out, taken down, moved,
scheduled) and what another editor changed meanwhile that the save kept."""

import json
import logging

from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from articles.admin_deletion import picture_stays
from articles.admin_forms import changed_in_form
from articles.admin_slugs import TakenMeanwhile, refusing_slug, slug_refused
from articles.kept_pictures import forget_on_commit
from articles.meanwhile import ALONGSIDE, stored_values
from articles.models import Article
from articles.services import TEXT_BOXES, draft_edited, save_article
from newsportal.text import as_a_form_posts

logger = logging.getLogger(__name__)


class ArticleSaving:
    """ArticleAdmin's save of its change form (ModelAdmin.save_model and save_related)."""

    def save_model(self, request, obj, form, change):
        before = Article.objects.filter(pk=obj.pk).first() if change else None
        if before is not None:  # what this save changes of it, for its History
            form.stored_before = _as_stored(before, form)
        form.words_cleared = _words_cleared(before, obj, form)
        try:
            save_article(
                article=obj,
                hero_changed="hero_image" in form.changed_data,
                date_set="published_at" in form.changed_data,
            )
        except (IntegrityError, ValidationError):
            # Refused for a slug the form found free: another story took it since (the save's
            # own check saw it, or only the database). Its savepoint rolled back, the database
            # says whose it is; anything else is raised as before.
            _drop_unsaved_upload(obj, before, form)
            if (refused := slug_refused(obj)) is None:
                raise
            raise TakenMeanwhile(refused) from None
        forget_on_commit(form.cleaned_data.get("hero_image"))
        self._say_what_readers_see(request, obj, before)
        if said := form.old_words_for_new_picture():
            self.message_user(request, said, messages.WARNING)
        if form.words_cleared:
            said = (
                f"The picture was removed with its {form.words_cleared}. These words are kept "
                "in the story's History: copy them from there to use them with another picture."
            )
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
        if said := _question_unseen(obj):
            self.message_user(request, said, messages.WARNING)
        if form.meanwhile:  # another editor's decision kept, around this editor's changes
            self.message_user(
                request, f"{form.meanwhile} Your changes are saved with it.", messages.WARNING
            )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except TakenMeanwhile as taken:
            # Django's own words ("Article with this Slug already exists.", or the database's,
            # a server error) named neither the story nor a free slug. Nothing was saved (the
            # admin's transaction is undone): the form is drawn again with the editor's input
            # and the slug refused as any clash is (admin_slugs), as the save met it, whatever
            # a second look finds (the other save may be undone by now).
            request.slug_taken = taken.refused
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        taken = getattr(request, "slug_taken", None)
        return form if taken is None else refusing_slug(form, taken)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A draft's byline, tags, links or section alone: edited too, up the list of drafts
        # (a status only a colleague changed meanwhile, kept, is not this editor's change).
        status_mine = "status" in form.changed_data and "status" not in form.kept
        if change and not status_mine and changed_in_form(form, formsets):
            draft_edited(article=form.instance)

    def construct_change_message(self, request, form, formsets, add=False):
        if not add:
            # Django names every field whose post differs from what the form was given. One
            # another editor changed since this form was opened differs too, though the save
            # kept theirs (articles.meanwhile): a form saved unchanged wrote "Changed Title and
            # Tags" in the story's History, over the colleague's own entry. Named: what this
            # save changed of the story as it stood (its byline and links say it themselves),
            # text as the form posts it (a body a script wrote is not changed by "\r\n"; one
            # whose first line's indentation was taken away is).
            now = _as_stored(form.instance, form)
            form.changed_data = [
                name
                for name in form.changed_data
                if name not in now
                or as_a_form_posts(now[name], text_box=name in TEXT_BOXES)
                != as_a_form_posts(form.stored_before.get(name), text_box=name in TEXT_BOXES)
            ]
        message = super().construct_change_message(request, form, formsets, add)
        if getattr(form, "words_cleared", ""):
            # The only place the words of a picture removed are kept (the save erased them): a
            # credit owed, a caption checked. Said in words, which History shows as they are.
            said = LogEntry(change_message=json.dumps(message)).get_change_message()
            message = f"{said} The picture removed had its {form.words_cleared}."
        return message

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


def _drop_unsaved_upload(article: Article, before: Article | None, form) -> None:
    """A picture chosen in this form, written to storage by the refused save (Django stores an
    upload before the row's write that failed), deleted: no story refers to it, the admin's
    transaction undone, and no job sweeps heroes/ (only kept-pictures/, which keeps it for the
    form drawn again). Never the stored story's own picture; nothing when the save refused
    before writing it (the file's name is then still the one the browser sent)."""
    picture = article.hero_image
    if "hero_image" not in form.changed_data or not picture or not picture._committed:
        return
    if before is not None and picture.name == before.hero_image.name:
        return
    try:
        picture.storage.delete(picture.name)
    except OSError as exc:
        logger.warning("could not delete %s: %s", picture.name, exc)


def _question_unseen(article: Article) -> str:
    """Once comments close, the question for readers shows only above comments it drew: on a
    story closed with none, nobody reads it, and the save said nothing of it. (Closed by the
    moderation policy's days, a matter of the comments app, its help says so.)"""
    if not article.readers_question or article.comments_enabled:
        return ""
    stored = Article.objects.filter(pk=article.pk).values_list("approved_comment_count", flat=True)
    if stored.first():
        return ""
    return (
        f"Readers will not see the question for readers: comments on “{article.title}” are "
        "closed and it has no comments. Tick “Comments allowed” to ask it."
    )


def _words_cleared(before: Article | None, article: Article, form) -> str:
    """The words of a picture this save removes ("Clear"), which it erases with it (they
    described that picture: articles.services.save_article), quoted: "" for none."""
    if before is None or not before.hero_image or article.hero_image:
        return ""
    if "hero_image" not in form.changed_data:
        return ""
    words = [
        f"{label} “{text}”"
        for label, text in (
            ("alt text", before.hero_alt),
            ("caption", before.hero_caption),
            ("credit", before.hero_credit),
        )
        if text
    ]
    return ", ".join(words)


def _as_stored(article: Article, form) -> dict:
    """What the story holds, as stored, of what the form writes: its row's fields, its tags."""
    return stored_values(article, alongside=[name for name in ALONGSIDE if name in form.fields])
