import re
from datetime import timedelta

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import F
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from articles.images import (
    MODERN_TYPES,
    RENDITION_WIDTHS,
    crop_images,
    fallback_rendition,
    hero_upload_to,
    rendition_urls,
    srcset,
    srcsets,
    validate_image_upload,
)
from articles.models.listing import Author, Section, Tag
from articles.old_addresses import KeepsOldAddresses
from articles.querysets import ArticleManager, last_worked_on
from newsportal.text import clean_pasted_fields

UPDATE_GRACE = timedelta(minutes=10)


# A word by which a credit says what the picture is: first ("Photograph: …", "Illustration by
# …") or after an agency's name, as agencies credit their own ("AP Photo/Jane Doe").
OWN_CREDIT_WORD = re.compile(
    r"\b(photo\w*|picture|image|illustration|graphic|drawing|cartoon|map|chart|video)\b", re.I
)


class Article(KeepsOldAddresses, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The article's address. Changed after publication, the old address still "
        "leads here.",
    )
    standfirst = models.TextField(
        "lead", max_length=600, help_text="One or two sentences shown under the title."
    )
    body = models.TextField(help_text="Markdown. HTML is removed when the article is shown.")
    # The body as sanitised HTML, rendered once when the article is saved (articles.services).
    body_html = models.TextField(blank=True, editable=False)
    # What readers read of body_html, as plain text (articles.search.plain_text), written with
    # it: search looks in it and cuts snippets from it, never from the Markdown source.
    body_text = models.TextField(blank=True, editable=False)
    hero_image = models.ImageField(
        upload_to=hero_upload_to, blank=True, validators=[validate_image_upload]
    )
    hero_alt = models.CharField("hero alt text", max_length=250, blank=True)
    hero_caption = models.CharField(max_length=300, blank=True)
    hero_credit = models.CharField(
        max_length=120,
        blank=True,
        help_text="Printed after “Photo:” under the picture (“Jane Doe/Reuters”), unless it "
        "starts with a word of its own (“Photo:”, “Illustration:”, “Graphic:”…).",
    )
    # Widths -> storage names of the JPEGs, made once when the image is saved (articles.images).
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    # The same widths in AVIF and WebP: MIME type -> {width: storage name}. Empty for a picture
    # saved before they were made (manage.py make_modern_renditions): it is offered as JPEG.
    hero_modern_renditions = models.JSONField(default=dict, blank=True, editable=False)
    # Centre crops in the shapes search engines and social cards ask for: ratio -> {name,
    # width, height} (articles.images.make_crops), made with the renditions.
    hero_crops = models.JSONField(default=dict, blank=True, editable=False)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    # In the byline's order, as the editor set it (Byline.position): the lead reporter first.
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles")
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        help_text=(
            "A time in the future schedules the article: it stays hidden until then. A draft "
            "first published after this time goes out dated when it is published."
        ),
    )
    # When it first went (or is scheduled to go) out: a story taken down for a correction and
    # published again keeps its date; only a draft never published is dated on publication.
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Moved by an edit of what readers read (articles.services), not by closing comments.
    updated_at = models.DateTimeField(default=timezone.now)
    # When the newsroom last worked on it (a save that changed anything of it, its take-down,
    # a correction added): a draft's place in the admin's list (querysets.last_worked_on), a
    # story taken down's too. Never shown to readers, whose "Updated" a retagging must not
    # move: placed by that, a story taken down sat pages down the drafts while being fixed.
    # The database's default too: the release before it (which knows no such column) adds
    # stories on this schema during `make reload MIGRATE=1`.
    worked_on_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    # When readers were last told of a correction (articles.correction_services keeps it): a
    # page reads its corrections only when it has some, as most stories never do.
    corrected_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Live coverage (articles.live_services): since its first update, until an editor ends it.
    # A page reads its updates only when it has some, as corrections above.
    live_since = models.DateTimeField(null=True, blank=True, editable=False)
    live_ended_at = models.DateTimeField(
        "live coverage ended", null=True, blank=True, editable=False
    )
    # Kept by the comment moderation services (comments.services), so lists show counts
    # without counting rows on every request.
    approved_comment_count = models.PositiveIntegerField(default=0, editable=False)
    comments_enabled = models.BooleanField(
        "comments allowed",
        default=True,
        help_text=(
            "Untick to close comments on this article. The moderation policy (Comments › "
            "Moderation policy) may also close them some days after publication."
        ),
    )
    # Coral's "message box", a newsroom's "Tell us": what the story asks its readers, set above
    # the conversation it starts. Not news: changing it moves no "Updated". The database's
    # default too, for the release before it (worked_on_at); "" in Python as before.
    readers_question = models.CharField(
        "question for readers",
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=(
            "Asked above the comments to start the conversation (“Have you driven an electric "
            "car? What made you choose it?”). Leave empty for none."
        ),
    )
    # When the question readers read now was asked (set, or changed): the moderators' queue
    # quotes it as what a comment answers only for one sent since. Empty with no question, and
    # for one set before this was kept (articles 0025): when, nobody knows.
    readers_question_set_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Weighted title/lead/body vector (and the picture's caption and alt text: migration 0020),
    # kept by a PostgreSQL trigger (migration 0002) and GIN-indexed there; unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_listing_idx"),
            # The admin list's first page, read without sorting the whole archive.
            models.Index(last_worked_on().desc(), F("id").desc(), name="article_worked_on_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    def clean(self):
        # Text pasted from Word or InDesign brings its line breaks and, at times, other control
        # characters: the headline and lead go into the feeds and sitemaps (XML, which they
        # break) and every field into the page.
        errors = clean_pasted_fields(
            self,
            one_line=["title", "hero_alt", "hero_caption", "hero_credit", "readers_question"],
            several_lines=["standfirst", "body"],
        )
        if self.hero_image and not self.hero_alt.strip():
            errors.setdefault(
                "hero_alt", "Describe the image for readers who cannot see it (alt text)."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def hero_fallback_url(self) -> str:
        """The <img> src (no srcset), and how an uncropped picture is shared: fallback_rendition."""
        name = fallback_rendition(self.hero_renditions)
        return default_storage.url(name) if name else ""

    @property
    def thumbnail_url(self) -> str:
        urls = rendition_urls(self.hero_renditions)
        return urls[0][1] if urls else ""

    @property
    def hero_crop_images(self) -> list[dict]:
        """[{url, width, height}]: 16:9, 4:3 and 1:1, the first one shared in Open Graph."""
        return crop_images(self.hero_crops)

    @property
    def hero_file_names(self) -> set[str]:
        """Every stored file of its picture: the upload, its renditions and its crops."""
        names = {*self.hero_renditions.values(), *(c["name"] for c in self.hero_crops.values())}
        names.update(*(widths.values() for widths in self.hero_modern_renditions.values()))
        return names | {self.hero_image.name} if self.hero_image else names

    @property
    def hero_srcset(self) -> str:
        return srcset(self.hero_renditions, widest=RENDITION_WIDTHS[-1])

    @property
    def hero_jpeg_srcsets(self) -> dict[str, str]:
        return srcsets(self.hero_renditions)

    @property
    def hero_modern_sources(self) -> list[dict]:
        """[{type, srcset, phone_srcset, dense_srcset}] of the formats it has, best first."""
        return [
            {"type": mime_type, **srcsets(widths)}
            for mime_type in MODERN_TYPES
            if (widths := self.hero_modern_renditions.get(mime_type))
        ]

    @property
    def hero_credit_line(self) -> str:
        """The credit as printed: "Photo: " before it, unless it says what it is ("Photo: …",
        "Illustration by …", "AP Photo/…"), as newsroom credits often do."""
        credit = self.hero_credit.strip()
        if not credit or OWN_CREDIT_WORD.search(credit):
            return credit
        return f"Photo: {credit}"

    @property
    def was_updated(self) -> bool:
        # Saves right after publishing are part of publishing, not an update worth showing.
        return self.updated_at - self.published_at > UPDATE_GRACE

    @property
    def is_live(self) -> bool:
        """Followed as it happens now: "Live" on its page and in the lists."""
        return self.live_since is not None and self.live_ended_at is None

    @property
    def has_gone_out(self) -> bool:
        """Readers have read it (it may be off the site now, taken down for a correction)."""
        return self.first_published_at is not None and self.first_published_at <= timezone.now()

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()


class Byline(models.Model):
    """An author named on a story, at their place in its byline: a newsroom puts the lead
    reporter first, and every page and feed prints them in this order (articles.querysets)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="bylines")
    position = models.PositiveSmallIntegerField("order", default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_names_author_once")
        ]

    def __str__(self):
        return str(self.author)


class OldSlug(models.Model):
    """An address a published article had before its slug was changed: links already out
    (shared, mailed, in feeds and search engines) lead on to it (articles.views)."""

    slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self):
        return self.slug


class RelatedLink(models.Model):
    """A curated link shown in the article's "Related" block, and optionally inside the body."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    target_article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Another article of ours, or leave empty and give a URL.",
    )
    url = models.URLField("external URL", blank=True, max_length=500)
    title = models.CharField(
        max_length=200, blank=True, help_text="Required for external links; optional otherwise."
    )
    order = models.PositiveSmallIntegerField(default=0)
    in_body_after_paragraph = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Also show this link as a heading inside the body, after this paragraph.",
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(target_article__isnull=False, url="")
                    | models.Q(target_article__isnull=True) & ~models.Q(url="")
                ),
                name="related_link_has_one_target",
                # The form checks this too (Model.full_clean): the editor reads these words.
                violation_error_message="Choose either one of our articles or an external URL.",
            )
        ]

    def __str__(self):
        return self.display_title

    def clean(self):
        if errors := clean_pasted_fields(self, one_line=["title"]):
            raise ValidationError(errors)
        # "One of our articles or a URL, not both" is the constraint's (Meta), said once.
        if self.url and not self.title:
            raise ValidationError({"title": "An external link needs a title."})
        if self.target_article_id and self.target_article_id == self.article_id:
            raise ValidationError({"target_article": "An article cannot link to itself."})

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return self.target_article.title if self.target_article_id else self.url

    @property
    def href(self) -> str:
        return self.target_article.get_absolute_url() if self.target_article_id else self.url

    @property
    def is_external(self) -> bool:
        return not self.target_article_id
