"""A page's slug may not be another page's old address (of the same kind: an article's, a
section's, an author's or a tag's): links already out (shared, mailed, in search engines, a
section's feed in readers' apps) lead readers there. Taken, they led to the new page instead,
with no word to whoever saved it, and the other page lost the address for good. Checked by the
models' validate_unique, so every writer is refused alike: the admin's forms, the save services
(which call full_clean), the demo loader, a script."""

from django.core.exceptions import ValidationError


class KeepsOldAddresses:
    """A model whose pages keep their old addresses (`old_slugs`): its validation refuses a
    slug that is another page's old address."""

    @classmethod
    def from_db(cls, db, field_names, values):
        page = super().from_db(db, field_names, values)
        # The slug as read: one unchanged is the page's own already, checked at no cost.
        page.slug_as_read = page.__dict__.get("slug")
        return page

    def validate_unique(self, exclude=None):
        validate_address(self, exclude, super().validate_unique)


def anothers_old_address(page) -> str:
    """Why `page` may not have its slug, or "" when it may. Its own earlier names stay free to
    go back to; unchanged since it was read, no query; otherwise one, a second only in the rare
    case it finds one."""
    if page.pk is not None and page.slug == getattr(page, "slug_as_read", None):
        return ""
    relation = type(page).old_slugs.field  # the old address's link to its page
    old = relation.model.objects.filter(slug=page.slug)
    if page.pk is not None:
        old = old.exclude(**{relation.name: page.pk})
    owner = old.select_related(relation.name).first()
    if owner is None:
        return ""
    if page.pk is not None and type(page).objects.filter(pk=page.pk, slug=page.slug).exists():
        # Already its address (both taken before this rule, or in a race): this save takes
        # nothing from anyone, and must not be refused for it.
        return ""
    return (
        f"“{page.slug}” is an old address of “{getattr(owner, relation.name)}”: links to it "
        "lead readers there. Choose another, or end that old address first (on its form, "
        "under Old addresses)."
    )


def validate_address(page, exclude, validate_unique) -> None:
    """Model.validate_unique(exclude) for a page with old addresses: Django's checks (the slug
    another page's now), then this one, all errors said together."""
    errors = {}
    try:
        validate_unique(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    checked = "slug" not in (exclude or ()) and "slug" not in errors and page.slug
    if checked and (said := anothers_old_address(page)):
        errors["slug"] = [ValidationError(said, code="old_address")]
    if errors:
        raise ValidationError(errors)
