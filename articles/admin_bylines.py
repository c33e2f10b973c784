"""The article's byline in its change form: its authors in the order the editor sets (the lead
reporter first), each found by name (autocomplete), and guarded against another editor's change
made meanwhile (articles.meanwhile) as the rest of the story is."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME

from articles.admin_forms import CHANGED_SINCE, GuardedInlineFormSet
from articles.meanwhile import byline, bylines_now, fingerprint, posted_byline, read_opened
from articles.models import Article, Author, Byline
from articles.querysets import LINE_ORDER
from articles.services import edits_since, set_bylines

NO_BYLINE = "Name at least one author: a story goes out with a byline."


class BylineForm(forms.ModelForm):
    position = forms.IntegerField(
        label="Order",
        required=False,
        min_value=0,
        help_text="Lower comes first in the byline. Left empty: after the others.",
    )

    class Meta:
        model = Byline
        fields = ["author", "position"]

    def clean_position(self):
        # Kept as given (None: last, BylineFormSet.authors), the row valid either way.
        self.order_given = self.cleaned_data["position"]
        return self.order_given or 0


class BylineFormSet(GuardedInlineFormSet):
    """Saved as one whole, the authors in their order (articles.services.set_bylines). Changed
    by another editor since the form was opened and left as it was by this one: the byline is
    theirs. Changed by both: the save is refused, the form showing this editor's byline over
    theirs (saved again, it goes over it, knowingly)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A row's boxes named for its author, as a screen reader says them: the table's headings
        # ("Order", "Delete?") named none of them, and every row's Order box was the same
        # "spin button". Each name starts with its heading's word (WCAG's label in name).
        author = _shown_author(form)
        who = author.name if author else "the new name"
        form.fields["position"].widget.attrs["aria-label"] = f"Order of {who} in the byline"
        if DELETION_FIELD_NAME in form.fields:
            deletion = form.fields[DELETION_FIELD_NAME].widget
            deletion.attrs["aria-label"] = f"Delete {who} from the byline"

    def _merged(self, data, article: Article, prefix: str):
        opened = read_opened(data.get("opened_as"))
        mine = posted_byline(data, prefix)
        if opened is None or mine is None or "authors" not in opened["seen"]:
            return data  # posted without them (a script): saved as posted
        kept, clashed = edits_since(article=article, seen=opened["seen"], mine={"authors": mine})
        self.clashed = bool(clashed)
        if fingerprint(byline(article)) == opened["seen"]["authors"]:
            return data  # nobody else changed it
        # Theirs where this editor left it, else this editor's over theirs (the same as theirs,
        # or refused): in rows numbered for the bylines as they are now.
        return bylines_now(data, article, theirs=bool(kept), prefix=prefix)

    def clean(self):
        super().clean()
        if self.clashed:
            raise ValidationError(
                f"{CHANGED_SINCE} Your byline was not saved: it is shown below over the byline "
                "as it is now (an author ticked for deletion is one you left out). Read theirs "
                "(View on site, or History), then save again to make yours replace it."
            )
        if not any(self._counted(form) for form in self.forms):
            raise ValidationError(NO_BYLINE)

    def _counted(self, form) -> bool:
        return bool(form.cleaned_data.get("author")) and not self._should_delete_form(form)

    def authors(self) -> list:
        """The authors the rows name, in the order given (a row left unnumbered after those
        numbered, in the order of the rows)."""

        def key(row):
            given = getattr(row[1], "order_given", None)
            return (float("inf") if given is None else given, row[0])

        rows = [(i, form) for i, form in enumerate(self.forms) if self._counted(form)]
        return [form.cleaned_data["author"] for _, form in sorted(rows, key=key)]

    def save(self, commit=True):
        # Saved after the story's save_model (ModelAdmin.save_related), in its transaction.
        ranks = {pk: rank for rank, pk in enumerate(byline(self.instance), start=1)}
        added, moved, removed = set_bylines(
            article=self.instance, authors=self.authors(), with_save=True
        )
        # A byline a script gave (authors.set(): every name numbered 0, read by name) is
        # numbered 1, 2… at its first save: no move, and a form saved unchanged read "Changed
        # Order for byline" of every name. Moved: a name whose place in the byline changed.
        moved = [line for line in moved if ranks.get(line.author_id) != line.position]
        # For the story's history (ModelAdmin.construct_change_message).
        self.new_objects, self.deleted_objects = added, removed
        self.changed_objects = [(line, ["position"]) for line in moved]
        return added + moved


def _shown_author(form):
    """The author a byline row shows: as posted (a form sent back with an error), else as
    given (a reporter's own name on a new story) or saved; None for an empty row."""
    if form.is_bound:
        chosen = str(form.data.get(form.add_prefix("author")) or "")
    else:
        chosen = str(form.initial.get("author") or form.instance.author_id or "")
    if not chosen.isdigit():
        return None
    if int(chosen) == form.instance.author_id:
        return form.instance.author  # the rows' query brought it (BylineInline.get_queryset)
    return Author.objects.filter(pk=chosen).first()


class BylineInline(admin.TabularInline):
    model = Byline
    form = BylineForm
    formset = BylineFormSet
    fk_name = "article"
    extra = 1
    autocomplete_fields = ["author"]
    ordering = LINE_ORDER
    # Not "author": its "Add another author" link and each author box's "+" (a new author)
    # were the same words to a screen reader, for two different things.
    verbose_name = "byline name"
    verbose_name_plural = "Byline (its authors in the order printed, lowest first)"

    def get_queryset(self, request):
        # Each row's boxes are named for its author (BylineFormSet.add_fields): one query.
        return super().get_queryset(request).select_related("author")

    # Part of the story, as its authors field was: whoever may write a story writes its byline,
    # whatever group gave them the story's permissions (none of their own for Byline rows, and
    # a form without the rows saved a story with no author).
    def _may(self, request, action: str) -> bool:
        return request.user.has_perm(f"articles.{action}_article")

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view") or self._may(request, "change")

    def has_add_permission(self, request, obj=None):
        return self._may(request, "change" if obj is not None else "add")

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


def own_byline(request) -> list[dict]:
    """A new story's first byline row, for a reporter (an author's account): their own name, as
    most of their stories have it. Given to the add form as it opens, never to its post: a row
    posted as it opened would count as left empty, and the story refused for want of a byline.
    Without JavaScript, whose author box lists nobody, it is how they give a story a byline."""
    mine = Author.objects.filter(user=request.user.pk).values_list("pk", flat=True).first()
    return [{"author": mine}] if mine is not None else []
