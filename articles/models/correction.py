from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from articles.models.article import Article
from newsportal.text import clean_pasted_fields


class Correction(models.Model):
    """What a story got wrong and what is right, said to readers at its end with the day it was
    corrected, as newsrooms append corrections instead of mending a story in silence; also on
    the site's corrections page. Written through articles.correction_services."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(
        max_length=1000,
        help_text="What the story got wrong and what is right, as readers will read it: “An "
        "earlier version of this article gave the wrong year for the bridge's opening. It "
        "opened in 1932.” Plain text.",
    )
    # When readers were told: set when it is added, never moved by a later fix of its words.
    published_at = models.DateTimeField("corrected", default=timezone.now, editable=False)

    class Meta:
        ordering = ["published_at", "pk"]
        # The corrections page lists the newest first, across the site.
        indexes = [models.Index(fields=["-published_at"], name="correction_latest_idx")]

    def __str__(self):
        return f"Correction of {self.published_at:%d %b %Y} to “{self.article}”"

    def clean(self):
        if errors := clean_pasted_fields(self, several_lines=["text"]):
            raise ValidationError(errors)
        if self.text and not self.text.strip():  # empty: the field's own "required"
            raise ValidationError({"text": "Say what was wrong and what is right."})
        if self.article_id and not self.article.has_gone_out:
            raise ValidationError(
                {
                    "article": "This story has not been out yet: readers have read nothing to "
                    "correct. Mend the story itself before it is published."
                }
            )
