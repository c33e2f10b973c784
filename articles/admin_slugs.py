"""A slug the story's form may not take, said by name: whose it is (the story's headline, published
or a draft, linked to its form), and a free one to take instead. Django's own "Article with this
Slug already exists." left the editor to hunt for that story and guess a free slug, which could
be another story's old address (articles.old_addresses), refused in turn."""

import re

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.models import Article, OldSlug
from articles.old_addresses import anothers_old_address


class Linked(str):
    """Words with a link where they are drawn as HTML: the change form draws its errors as HTML
    ({{ error }}), the preview's list of what to fix as text (articles.admin_preview)."""

    def __new__(cls, text: str, html: str):
        words = super().__new__(cls, text)
        words.html = html
        return words

    def __str__(self):
        return self

    def __html__(self):
        return self.html


def slug_refused(article: Article) -> ValidationError | None:
    """Why `article` may not have its slug, with a free one, or None when it may (or has none)."""
    slug = article.slug
    if not slug or (article.pk is not None and slug == getattr(article, "slug_as_read", None)):
        return None  # none, or its own already (unchanged since read): no query
    holder = Article.objects.filter(slug=slug).exclude(pk=article.pk).first()
    if holder is None:
        said = anothers_old_address(article)
        if not said:
            return None
        return ValidationError(f"{said} “{free_slug(slug, article)}” is free.", code="old_address")
    text = "“{}” is the address of another story, “{}” ({}). Choose another: “{}” is free."
    args = (slug, _state(holder), free_slug(slug, article))
    link = format_html(
        '<a href="{}">{}</a>', reverse("admin:articles_article_change", args=[holder.pk]), holder
    )
    html = format_html(text, args[0], link, *args[1:])
    return ValidationError(Linked(text.format(args[0], holder, *args[1:]), html), code="unique")


class TakenMeanwhile(Exception):
    """The slug was free when the form was checked, and another story's save took it before
    this one's (a race): `refused` says whose it is now, as the form says it."""

    def __init__(self, refused: ValidationError):
        super().__init__(refused)
        self.refused = refused


def refusing_slug(form_class, refused: ValidationError):
    """The form class, refusing its slug as `refused` says, unless its own check says so."""

    class RefusingSlug(form_class):
        def validate_unique(self):
            super().validate_unique()
            if "slug" not in self._errors:
                self.add_error("slug", refused)

    return RefusingSlug


def free_slug(slug: str, article: Article) -> str:
    """`slug` numbered ("-2", "-3"…, or one more than its own number) to one no other story has,
    now or as an old address: the story's own earlier names are free to it."""
    numbered = re.fullmatch(r"(.+)-(\d+)", slug)
    base, n = (numbered[1], int(numbered[2]) + 1) if numbered else (slug, 2)
    base = base[: Article._meta.get_field("slug").max_length - 8]
    taken = set(
        Article.objects.filter(slug__startswith=f"{base}-")
        .exclude(pk=article.pk)
        .values_list("slug", flat=True)
    )
    old = OldSlug.objects.filter(slug__startswith=f"{base}-")
    if article.pk is not None:
        old = old.exclude(article=article.pk)
    taken.update(old.values_list("slug", flat=True))
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _state(story: Article) -> str:
    if story.status == Article.Status.DRAFT:
        return "a draft"
    return "scheduled" if story.published_at > timezone.now() else "published"
