"""The change forms of the short rows the newsroom mends beside a story (a live update, a
correction), guarded against two editors' saves as the story's own form is (articles.meanwhile):
a mend over a colleague's, from a form opened before it, is refused, not saved over theirs
unread, both editors having been told "changed successfully" and the first one's words lost."""

from django import forms

from articles.meanwhile import fingerprint, merge, opened_state, read_opened, saved_since

CHANGED_SINCE = "Changed by someone else since you opened this form"


class MendedMeanwhile(forms.ModelForm):
    """Its page carries what it was opened with (`opened_as`, a hidden input its template,
    admin/articles/mended_change_form.html, draws). On save, a field only a colleague changed
    since keeps theirs (a headline mended meanwhile does not block a mend of the text), and one
    both changed differently is refused, saying by whom and when and what theirs says now, this
    editor's words left in the form to merge with theirs; saved again, it counts as opened now.
    Posted without `opened_as` (a script), it is saved as posted."""

    called = "This"  # how its messages name the row: "This update"

    @staticmethod
    def locked(pk):
        """The row as stored, through its service, locked to the end of the admin's transaction
        (in the order its writes lock), so the save that follows finds the same; None: gone."""
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored, self.kept, self.clashed, self.meanwhile = None, [], [], ""

    @property
    def opened_as(self) -> str:
        if self.is_bound and not self.clashed:  # as first opened, whatever else refused it
            return self.data.get("opened_as", "")
        row = self.stored if self.clashed else self.instance
        return opened_state({name: getattr(row, name) for name in self.fields})

    def refused_only_meanwhile(self) -> bool:
        said = [error for errors in self.errors.values() for error in errors]
        return bool(self.clashed) and all(
            e == self.meanwhile or e.startswith(CHANGED_SINCE) for e in said
        )

    def _post_clean(self):
        super()._post_clean()
        if self.instance.pk is None:
            return
        self.stored = self.locked(self.instance.pk)
        if self.stored is None:
            return  # deleted meanwhile: its save says so, the words given back
        mine = {name: getattr(self.instance, name) for name in self.fields}
        mine = {name: value for name, value in mine.items() if name in self.cleaned_data}
        stored = {name: getattr(self.stored, name) for name in mine}
        opened = read_opened(self.data.get("opened_as"))
        if opened is not None:
            self.kept, self.clashed = merge(mine, stored, opened["seen"])
        for name in self.kept:
            setattr(self.instance, name, mine[name])
        # What the save changes of the row as it stands now (not as the admin first read it):
        # what it writes, and what its History says.
        self.changed_data = [
            name for name in mine if fingerprint(mine[name]) != fingerprint(stored[name])
        ]
        if self.kept or self.clashed:
            what = "; ".join(self._now(name) for name in self.kept + self.clashed)
            by = saved_since(self.stored, opened["at"])
            self.meanwhile = f"{self.called} was changed since you opened this form{by}: {what}."
        if self.clashed:
            self._refused(stored)

    def _refused(self, stored: dict) -> None:
        self.add_error(None, self.meanwhile)
        for name in self.clashed:
            self.add_error(
                name,
                f"{CHANGED_SINCE}: theirs is above. Yours, here, was not saved: merge the two, "
                "then save again to put yours in place of theirs.",
            )
        data = self.data.copy()  # what only they changed, shown as it is now
        for name in self.kept:
            if isinstance(self.fields[name].widget, forms.CheckboxInput):
                data.setlist(name, ["on"] if stored[name] else [])
            else:
                data[name] = stored[name]
        self.data = data

    def _now(self, name: str) -> str:
        value, kept = getattr(self.stored, name), " (kept)" if name in self.kept else ""
        label = self.fields[name].label
        if isinstance(value, bool):
            return f"{label} is now {'ticked' if value else 'unticked'}{kept}"
        return f"{label} now says “{value}”{kept}"


def refused_only_meanwhile(context) -> None:
    """The change page's context (ModelAdmin.render_change_form): refused only because a
    colleague mended it meanwhile, the page says so on top (the template's `refused_meanwhile`),
    where Django's "Please correct the error below." sent the editor looking for a mistake."""
    form = context["adminform"].form
    if isinstance(form, MendedMeanwhile) and form.refused_only_meanwhile():
        context["errors"], context["refused_meanwhile"] = [], True
