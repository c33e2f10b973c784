from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from articles.old_addresses import KeepsOldAddresses
from articles.querysets import SectionQuerySet
from newsportal.text import clean_pasted_fields


class ListingEntry(KeepsOldAddresses, models.Model):
    """A section, an author or a tag: a name printed in pages, menus and feeds (XML, which
    control characters break), and a page listing its articles (the URL named `kind`)."""

    kind = ""
    one_line = ("name",)  # text fields printed in one line (a page's head, a feed's title)
    several_lines = ()  # text fields beside the name, kept with their line breaks

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(f"articles:{self.kind}", args=[self.slug])

    @classmethod
    def page_key(cls, slug: str) -> str:
        """The surrogate key of the address of the entry's page, found or not: a new tag is on
        no page but there, where a cache may keep the "not found" a reader was answered."""
        return f"{cls.kind}-page-{slug}"

    def clean(self):
        if errors := clean_pasted_fields(
            self, one_line=self.one_line, several_lines=self.several_lines
        ):
            raise ValidationError(errors)


class Section(ListingEntry):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first in the menu.")
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the section covers, in a sentence or two: shown under its name on its "
        "page, and the description search engines, social cards and its feeds show. Left "
        "empty, they say “The latest from” and its name.",
    )

    objects = SectionQuerySet.as_manager()
    kind = "section"
    one_line = ("name", "description")

    class Meta:
        ordering = ["order", "name"]


# Why an author with stories cannot be deleted (articles.listing_services.delete_listing_entries).
BYLINE_KEPT = (
    "An author named on stories cannot be deleted: their stories would be left without a "
    "byline. Give those stories another author first (or keep the author: their page lists "
    "what they wrote)."
)


class Author(ListingEntry):
    name = models.CharField("byline name", max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField("short bio", blank=True, max_length=1000)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    kind = "author"
    several_lines = ["bio"]

    class Meta:
        ordering = ["name"]


class Tag(ListingEntry):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    kind = "tag"

    class Meta:
        ordering = ["name"]


class OldEntrySlug(models.Model):
    """An address a section's, an author's or a tag's page had before its slug was changed:
    links already out (shared, in search engines, a section's feed in readers' apps) lead on to
    its page (articles.views.listing), kept by articles.listing_services."""

    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        abstract = True
        verbose_name = "old address"

    def __str__(self):
        return self.slug


class OldSectionSlug(OldEntrySlug):
    entry = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="old_slugs")


class OldAuthorSlug(OldEntrySlug):
    entry = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="old_slugs")


class OldTagSlug(OldEntrySlug):
    entry = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="old_slugs")
