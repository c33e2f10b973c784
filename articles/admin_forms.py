"""The article's change form, which knows what it was opened with (articles.meanwhile): another
editor's decision made since (the story pulled, comments closed, a schedule moved) is kept, and
two editors' words on the same field are never saved over each other unread."""

from datetime import datetime

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from articles.meanwhile import opened_state, read_opened, stored_values
from articles.models import Article
from articles.services import edits_since


class OpenedAsField(forms.CharField):
    """What the form was opened with. Never a change to the story: its time is new on every
    post, and the admin's log would say "Changed opened_as" of every save."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data) -> bool:
        return False


class ArticleForm(forms.ModelForm):
    """ArticleAdmin's form (the admin makes it a form for Article, with the fields shown)."""

    opened_as = OpenedAsField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened, self.kept, self.meanwhile = None, [], ""
        if self.instance.pk is not None:
            self.fields["opened_as"].initial = opened_state(stored_values(self.instance))

    def _post_clean(self):
        super()._post_clean()
        if self.instance.pk is None:
            return
        # A form posted without it (a script) is saved as posted, as before.
        self.opened = read_opened(self.data.get(self.add_prefix("opened_as")))
        if self.opened is None:
            return
        self.kept, clashed = edits_since(article=self.instance, seen=self.opened["seen"])
        if not (self.kept or clashed):
            return
        current = Article.objects.get(pk=self.instance.pk)
        self.meanwhile = self._said(current, self.kept + clashed)
        if not clashed:
            return  # saved, with theirs kept; the editor is told (ArticleAdmin.save_model)
        self.add_error(None, self.meanwhile)
        for name in clashed:
            self.add_error(
                name,
                "Changed by someone else since you opened this form. Your version, below, was "
                "not saved: read theirs (View on site, or History), then save again to replace "
                "it with yours.",
            )
        self._show_as_now(current, self.kept)

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
        value = getattr(current, name)
        kept = " (kept)" if name in self.kept else ""
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
            value = getattr(current, "section_id" if name == "section" else name)
            widget, key = self.fields[name].widget, self.add_prefix(name)
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
