from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from articles.models.article import Article
from newsportal.text import clean_pasted_fields


class LiveUpdate(models.Model):
    """One entry of a story's live coverage, as newsrooms follow a storm, a count or a trial
    minute by minute on the story's page: dated, the newest first, the key events listed above
    them. The first one posted makes the story live ("Live" on its page and in the lists) until
    an editor ends the coverage. Written through articles.live_services."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="live_updates", verbose_name="story"
    )
    headline = models.CharField(
        max_length=120,
        blank=True,
        help_text="Optional, one line: “Coast road closed at Kilbride”. A key event needs one: "
        "it is how the list of key events names it.",
    )
    text = models.TextField(
        "update",
        max_length=5000,
        help_text="What happened, as readers will read it. Markdown: **bold**, *italics*, "
        "[links](https://example.org), lists.",
    )
    # The text as sanitised HTML, rendered once when it is posted or mended (live_services).
    text_html = models.TextField(blank=True, editable=False)
    key_event = models.BooleanField(
        default=False,
        help_text="Listed under “Key events” at the top of the coverage, for readers arriving "
        "late.",
    )
    # When readers were told: set when posted, never moved by a later mend of its words.
    posted_at = models.DateTimeField("posted", default=timezone.now, editable=False)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-posted_at", "-pk"]
        indexes = [models.Index(fields=["article", "-posted_at"], name="live_update_story_idx")]

    def __str__(self):
        said = self.headline or self.text[:60]
        return f"{timezone.localtime(self.posted_at):%H:%M} “{said}”"

    def clean(self):
        errors = clean_pasted_fields(self, one_line=["headline"], several_lines=["text"])
        if self.text and not self.text.strip() and "text" not in errors:
            errors["text"] = ValidationError("Say what happened.")
        if self.key_event and not self.headline.strip() and "headline" not in errors:
            errors["headline"] = ValidationError(
                "A key event is listed by its headline: give it one, or untick “Key event”."
            )
        if errors:
            raise ValidationError(errors)
        # Posted, that is: words already posted may be mended with the story taken down.
        if self.pk is None and self.article_id and not self.article.is_public:
            raise ValidationError(
                {
                    "article": "This story is not on the site: readers could not follow its "
                    "coverage. Publish it first."
                }
            )

    @property
    def anchor(self) -> str:
        return f"update-{self.pk}"
