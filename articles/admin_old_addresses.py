"""The old addresses that lead on to a page, on its change form: an article's (its slugs before
a corrected headline's), a section's, an author's or a tag's. One deleted (a name that must not
stand: an author's former name, say) answers "not found" from that save on: the save purges
the page, its redirects with them (articles.services, articles.listing_services)."""

from django.contrib import admin

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
