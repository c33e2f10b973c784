"""The article's change form and its related links, which know what they were opened with
(articles.meanwhile): another editor's decision made since (the story pulled, comments closed, a
schedule moved, a byline or a link added) is kept, and two editors' changes to the same field
are never saved over each other unread."""

from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.text import capfirst

from articles.admin_hero_words import typed_for_a_picture_cleared
from articles.admin_slugs import slug_refused
from articles.kept_pictures import keep
from articles.meanwhile import (
    ALONGSIDE,
    GUARDED,
    attname,
    ids,
    links_now,
    opened_state,
    posted_byline,
    posted_links,
    read_opened,
    stored_alongside,
    stored_values,
)
from articles.models import Article, RelatedLink
from articles.picture_field import picture_limits
from articles.querysets import in_byline_order
from articles.services import TEXT_BOXES, edits_since
from newsportal.text import as_a_form_posts, most_text_sent

CHANGED_SINCE = "Changed by someone else since you opened this form."


def said_not_cut(form) -> None:
    """No maxlength on the form's fields: a browser cuts a longer paste there without a word (a
    lead from Word went out ending mid-word, a long link broken); the form says it is too long
    instead, the text kept whole to shorten, as the comment forms do."""
    for field in form.fields.values():
        field.widget.attrs.pop("maxlength", None)


class OpenedAsField(forms.CharField):
    """What the form was opened with. Never a change to the story: its time is new on every
    post, and the admin's log would say "Changed opened_as" of every save."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data) -> bool:
        return False


class TextBoxField(forms.CharField):
    """The lead's and the body's box: a browser posts its text with "\r\n" line ends, and its
    leading spaces as typed (four start a Markdown code block: trimmed, the story's first code
    block became a paragraph); the blanks at its very end are dropped. Shown a story a script
    wrote ("\n", a last one too) and posted back unchanged, it is no change: the draft keeps its
    place in the list (admin_saving.save_related). Blanks alone are no text: "required" holds."""

    def __init__(self, **kwargs):
        super().__init__(**{**kwargs, "strip": False})

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            value = as_a_form_posts(value, text_box=True) or self.empty_value
        return value

    def has_changed(self, initial, data) -> bool:
        return super().has_changed(self.to_python(initial), data)


class ArticleForm(forms.ModelForm):
    """ArticleAdmin's form (the admin makes it a form for Article, with the fields shown)."""

    opened_as = OpenedAsField(required=False)

    class Meta:
        field_classes = dict.fromkeys(TEXT_BOXES, TextBoxField)

    # The preview's (articles.admin_preview): what others changed since is taken in as a save
    # takes it in, unlocked; what both changed is shown as this editor's, and said, not refused.
    previewing = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        said_not_cut(self)
        if "hero_image" in self.fields:
            self.fields["hero_image"].help_text = picture_limits()
            # Far over it, the proxy refused the form with a bare page, the text lost with it:
            # the browser refuses such a file first (static/js/admin-forms.js).
            self.fields["hero_image"].widget.attrs["data-max-bytes"] = settings.IMAGE_MAX_BYTES
        if "body" in self.fields:
            # A longer story was refused by a bare error page, its limit unnamed: named here,
            # and checked by the browser before sending (static/js/admin-forms.js).
            body = self.fields["body"]
            body.help_text = f"{body.help_text} One save takes at most {most_text_sent()} of text."
            body.widget.attrs["data-max-bytes"] = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            # A story's length, not Django's 10 rows: its stylesheet sizes it to the screen
            # (static/css/admin-article-form.css), this where that is not loaded.
            body.widget.attrs["rows"] = 30
        if "readers_question" in self.fields:
            # Set on a story closed to comments that has none, it showed nowhere, unsaid.
            question = self.fields["readers_question"]
            question.help_text = (
                f"{question.help_text} Once comments close (“Comments allowed” unticked, or the "
                "moderation policy’s days after publication run out), readers see it only on a "
                "story with comments."
            )
        self.opened, self.kept, self.clashed, self.meanwhile = None, [], [], ""
        self.picture_refused = None
        self.stored_before = {}  # the story as its save found it (articles.admin_saving)
        if self.instance.pk is not None:
            self.fields["opened_as"].initial = opened_state(stored_values(self.instance))

    def old_words_for_new_picture(self) -> str:
        """Said once saved, when a picture replaced another and its alt text and caption stayed
        as they were: written for the one replaced, they may not describe this one."""
        replaced = self.initial.get("hero_image") and self.instance.hero_image
        described = {"hero_alt", "hero_caption"} & set(self.changed_data)
        if not replaced or "hero_image" not in self.changed_data or described:
            return ""
        return (
            "The new picture kept the alt text and caption of the one it replaced "
            f"(“{self.instance.hero_alt}”): check that they describe it."
        )

    def validate_unique(self):
        # Said by name, with a free slug (articles.admin_slugs); the slug refused here is left
        # out of Django's own check, which would say it again in its words.
        checked = "slug" in self.fields and "slug" not in self._errors
        if checked and (refused := slug_refused(self.instance)):
            self.add_error("slug", refused)
        super().validate_unique()

    def _post_clean(self):
        super()._post_clean()
        self._take_in_meanwhile()
        if said := typed_for_a_picture_cleared(self):
            self.add_error("hero_image", said)

    def _take_in_meanwhile(self):
        if self.instance.pk is None:
            return
        # A form posted without it (a script) is saved as posted, as before.
        self.opened = read_opened(self.data.get(self.add_prefix("opened_as")))
        if self.opened is None:
            return
        mine = self._written()
        self.kept, self.clashed = edits_since(
            article=self.instance,
            seen=self.opened["seen"],
            mine=mine,
            lock=not self.previewing,
            trimmed=self.opened["trimmed"],
        )
        clashed = self.clashed
        for name in self.kept:
            if name in GUARDED:
                setattr(self.instance, attname(name), mine[name])
            elif name in self.fields:  # authors, tags: saved after the story, from these
                self.cleaned_data[name] = self.fields[name].queryset.filter(pk__in=mine[name])
        if not (self.kept or clashed):
            return
        current = Article.objects.get(pk=self.instance.pk)
        self.meanwhile = self._said(current, self.kept + clashed)
        if not clashed or self.previewing:
            # Saved, with theirs kept, the editor told (ArticleAdmin.save_model); previewed, with
            # this editor's where both changed, as saving again would write it (the page says so).
            return
        self.add_error(None, self.meanwhile)
        if "hero_image" in clashed:
            # Refused, the upload leaves cleaned_data: the admin keeps it for the next save
            # (ArticleAdmin.render_change_form), or the editor's picture was lost unseen.
            self.picture_refused = self.cleaned_data.get("hero_image")
        for name in clashed:
            if name in self.fields:  # the related links say it themselves (RelatedLinkFormSet)
                self.add_error(
                    name,
                    f"{CHANGED_SINCE} Your version, below, was not saved: read theirs (View on "
                    "site, or History), then save again to replace it with yours.",
                )
        self._show_as_now(current, self.kept)

    def _written(self) -> dict:
        """What this form writes of the story, as posted (by name, as articles.meanwhile has it);
        a field refused on its own (no author left, say) is left out."""
        written = {name: getattr(self.instance, attname(name)) for name in GUARDED}
        for name in ALONGSIDE:
            if name in self.cleaned_data:
                written[name] = ids(self.cleaned_data[name])
        authors = posted_byline(self.data)  # the byline's rows (articles.admin_bylines)
        if authors is not None:
            written["authors"] = authors
        links = posted_links(self.data)
        if links is not None:
            written["related_links"] = links
        return written

    def _said(self, current: Article, names: list[str]) -> str:
        # Everyone who saved it since, each at their last save: the log cannot say which of
        # them made which change (History can).
        entries = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Article),
                object_id=str(current.pk),
                action_time__gt=self.opened["at"],
            )
            .select_related("user")
            .order_by("action_time")
        )
        last_saves = {entry.user: entry.action_time for entry in entries}
        by = " and ".join(
            f"{user.get_full_name() or user.get_username()} at {timezone.localtime(at):%H:%M}"
            for user, at in last_saves.items()
        )
        what = "; ".join(self._now(current, name) for name in names)
        return (
            f"This story was changed since you opened this form{f' by {by}' if by else ''}: {what}."
        )

    def _now(self, current: Article, name: str) -> str:
        label = str(self.fields[name].label) if name in self.fields else name
        kept = " (kept)" if name in self.kept else ""
        if name == "related_links":
            return f"{capfirst(RelatedLink._meta.verbose_name_plural)} were changed{kept}"
        if name == "authors":  # the byline's inline, in its order
            names = ", ".join(map(str, in_byline_order(current.authors.all())))
            return f"The byline is now “{names}”{kept}"
        if name in ALONGSIDE:
            names = ", ".join(map(str, getattr(current, name).all()))
            return f"{label} are now “{names}”{kept}" if names else f"{label} are now none{kept}"
        value = getattr(current, name)
        if name == "status":
            value = current.get_status_display()
        elif isinstance(value, str | FieldFile):
            return f"{label} was edited{kept}"  # the words are on the site, and in the form
        elif isinstance(value, bool):
            value = "ticked" if value else "unticked"
        elif isinstance(value, datetime):
            value = f"{timezone.localtime(value):%-d %b %Y, %H:%M}"
        return f"{label} is now “{value}”{kept}"

    def _show_as_now(self, current: Article, names: list[str]) -> None:
        """Back with an error, the form shows what another editor changed, where this editor
        left it as it was (or saving again would undo it), and this editor's changes; and it
        now counts as opened now: saved again, this editor's words replace theirs, knowingly."""
        data = self.data.copy()
        for name in names:
            if name in ("authors", "related_links"):
                continue  # their inlines show them as they are now (BylineFormSet too)
            widget, key = self.fields[name].widget, self.add_prefix(name)
            if name in ALONGSIDE:
                data.setlist(key, [str(pk) for pk in stored_alongside(current, [name])[name]])
                continue
            value = getattr(current, attname(name))
            if isinstance(widget, forms.CheckboxInput):
                data.setlist(key, ["on"] if value else [])
            elif isinstance(widget, forms.MultiWidget):  # the date and the time
                for i, (part, sub) in enumerate(
                    zip(widget.decompress(value), widget.widgets, strict=True)
                ):
                    data[f"{key}_{i}"] = sub.format_value(part)
            else:
                data[key] = "" if value is None else str(value)
        data[self.add_prefix("opened_as")] = opened_state(stored_values(current))
        self.data = data


def shown_again(context) -> None:
    """The change form's context (ModelAdmin.render_change_form), back with errors: its own or
    an inline's. A browser cannot show a chosen file again: the picture is kept for the next
    save, and the form says so, or the editor fixes the rest, saves, and the story goes out
    without it. Refused only because another editor changed the story meanwhile, it says that
    on top (`refused_meanwhile`, the template), where Django's "Please correct the errors
    below." sent the editor looking for a mistake of theirs."""
    form = context["adminform"].form
    formsets = [inline.formset for inline in context.get("inline_admin_formsets", [])]
    has_errors = form.errors or any(f.total_error_count() for f in formsets)
    upload = getattr(form, "cleaned_data", {}).get("hero_image")
    if "hero_image" in form.errors:  # refused for itself, unless only for another's change
        upload = form.picture_refused
    if has_errors and isinstance(upload, UploadedFile):
        kept = keep(upload)
        if kept:
            form.fields["hero_image"].widget.kept = kept
        else:
            form.add_error(
                "hero_image",
                "The picture you chose was not saved because of the errors on this page: "
                "choose it again before you save.",
            )
    if has_errors and _only_for_changes_meanwhile(form, formsets):
        context["errors"], context["refused_meanwhile"] = [], True


def changed_in_form(form, formsets) -> bool:
    """Whether this editor changed anything of the story: its fields, its byline or related
    links (what another editor changed meanwhile is not this one's: the form shows it as
    opened, the rows are taken as they are now). A field only another editor changed since
    differs from the form's post too, which still holds it as opened: theirs, kept (`kept`)."""
    mine = [name for name in form.changed_data if name not in form.kept]
    return bool(mine) or any(f.has_changed() for f in formsets)


def _only_for_changes_meanwhile(form, formsets) -> bool:
    if not form.meanwhile or any(any(row) for f in formsets for row in f.errors):
        return False
    said = [*(e for errors in form.errors.values() for e in errors)]
    said += [e for f in formsets for e in f.non_form_errors()]
    return all(e == form.meanwhile or e.startswith(CHANGED_SINCE) for e in said)


class GuardedInlineFormSet(BaseInlineFormSet):
    """An inline of the article's form guarded as one whole (articles.meanwhile): its post is
    taken in by _merged(data, article, prefix) before the rows are read, which sets `clashed`
    where this editor and another both changed it."""

    def __init__(self, data=None, *args, **kwargs):
        self.clashed = False
        article = kwargs.get("instance")
        if data is not None and article is not None and article.pk is not None:
            data = self._merged(data, article, kwargs.get("prefix") or self.get_default_prefix())
        super().__init__(data, *args, **kwargs)

    def _merged(self, data, article: Article, prefix: str):
        raise NotImplementedError

    def get_unique_error_message(self, unique_check):
        # Django's names only the field ("Please correct the duplicate data for author."): the
        # editor read every row for the name given twice. Django asks for this once for each row
        # that repeats an earlier one, in the rows' order, and then drops that row's values: the
        # row meant is the first still repeating an earlier one.
        names = [name for name in unique_check if name not in self.unique_fields]
        seen = set()
        for form in self.forms:
            values = tuple(getattr(form, "cleaned_data", {}).get(name) for name in names)
            if not names or None in values or not form.is_valid() or form in self.deleted_forms:
                continue
            if values not in seen:
                seen.add(values)
                continue
            which = ", ".join(
                f"{capfirst(form.fields[name].label)} “{value}”"
                for name, value in zip(names, values, strict=True)
            )
            return f"{which} is in more than one row: keep one, and delete the others."
        return super().get_unique_error_message(unique_check)


class RelatedLinkFormSet(GuardedInlineFormSet):
    """The article's related links (RelatedLinkInline), which know what the form was opened with
    (articles.meanwhile), as one whole. Changed by another editor since, and left as they were
    by this one: the rows posted back are taken as the links are now, so nothing of them is
    saved (posted as they were, they would put the old links back). Changed by both: the save
    is refused, the article's form saying by whom, and the form shows this editor's changes
    over the links as they are now: saved again, they go over the other's, knowingly."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        said_not_cut(form)

    def _merged(self, data, article: Article, prefix: str):
        opened = read_opened(data.get("opened_as"))
        mine = {"related_links": posted_links(data, prefix)}
        if opened is None or mine["related_links"] is None:
            return data  # posted without them (a script): saved as posted
        kept, clashed = edits_since(article=article, seen=opened["seen"], mine=mine)
        if not (kept or clashed):
            return data
        self.clashed = bool(clashed)
        now = stored_alongside(article, ["related_links"])["related_links"]
        return links_now(data, now, opened["seen"].get("related_link_rows", {}), prefix)

    def clean(self):
        super().clean()
        if self.clashed:
            raise ValidationError(
                f"{CHANGED_SINCE} Your changes to the related links were not saved: they are "
                "shown below over the links as they are now. Read theirs (View on site, or "
                "History), then save again to make your changes over theirs."
            )
