"""The old addresses that lead on to a page, on its change form: an article's (its slugs before
a corrected headline's), a section's, an author's or a tag's. One deleted (a name that must not
stand: an author's former name, say) answers "not found" from that save on: the save purges
the page, its redirects with them (articles.services, articles.listing_services)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from articles.models import OldAuthorSlug, OldSectionSlug, OldSlug, OldTagSlug


class OldAddressInline(admin.StackedInline):
    extra = 0
    # Each row's heading names its address: the slug as a field too said it twice.
    exclude = ["slug"]
    verbose_name = "old address"
    verbose_name_plural = "Old addresses (links to them lead here; delete one to end it)"

    def has_add_permission(self, request, obj=None):
        return False  # kept by the page's save when its slug changes


class OldSlugInline(OldAddressInline):
    model = OldSlug


# Each listing entry's model, its old addresses' inline.
OLD_ADDRESSES = {
    model.entry.field.related_model: type(
        f"{model.__name__}Inline", (OldAddressInline,), {"model": model}
    )
    for model in (OldSectionSlug, OldAuthorSlug, OldTagSlug)
}


def not_anothers_old_address(instance, slug: str) -> str:
    """A page's slug as its form is saving it, refused when it is another page's old address
    (of the same kind): links already out lead readers there. Taken, they led here instead,
    with no word to the editor, and that page lost the address for good. Its own earlier names
    stay free to go back to; its slug unchanged costs no query."""
    if slug == instance.slug:
        return slug
    relation = type(instance).old_slugs.field  # the old address's link to its page
    old = relation.model.objects.filter(slug=slug).exclude(**{relation.name: instance.pk})
    owner = old.select_related(relation.name).first()
    if owner is not None:
        raise ValidationError(
            f"“{slug}” is an old address of “{getattr(owner, relation.name)}”: links to it "
            "lead readers there. Choose another, or end that old address first (on its form, "
            "under Old addresses)."
        )
    return slug


class ListingEntryForm(forms.ModelForm):
    """A section's, an author's or a tag's form (the admin makes it one for its model)."""

    def clean_slug(self):
        return not_anothers_old_address(self.instance, self.cleaned_data["slug"])
