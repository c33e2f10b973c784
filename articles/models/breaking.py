from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models.article import Article
from newsportal.text import clean_pasted_fields


class BreakingNewsQuerySet(models.QuerySet):
    def live(self):
        """Up now, as far as its own times go (not ended, or ending later)."""
        now = timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now), started_at__lte=now)

    def shown(self):
        """What readers see: live, and its story (where it names one) on the site."""
        now = timezone.now()
        return self.live().filter(
            Q(article__isnull=True)
            | Q(article__status=Article.Status.PUBLISHED, article__published_at__lte=now)
        )


class BreakingNews(models.Model):
    """The strip across the top of every page that tells readers of news as it breaks, as
    newsrooms run a "Breaking" bar above their site for the hours a story develops. One at a
    time: the newest put up replaces the one before it. Written through
    articles.breaking_services."""

    class Label(models.TextChoices):
        BREAKING = "breaking", "Breaking"
        DEVELOPING = "developing", "Developing story"
        LIVE = "live", "Live"

    label = models.CharField(max_length=20, choices=Label.choices, default=Label.BREAKING)
    text = models.CharField(
        max_length=150,
        help_text="One line, as readers will read it: “Storm closes the coast road; police "
        "ask drivers to stay away.” Plain text.",
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="story",
        help_text="The story readers open from the strip, if there is one yet. It must be on "
        "the site; taken down, the strip leaves the pages with it.",
    )
    ends_at = models.DateTimeField(
        "show until",
        null=True,
        blank=True,
        help_text="The strip leaves the pages by itself then (news does not break for days). "
        "Empty: until it is ended or another replaces it.",
    )
    started_at = models.DateTimeField("put up", default=timezone.now, editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="put up by",
    )

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        verbose_name = "breaking news"
        verbose_name_plural = "breaking news"
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.get_label_display()}: {self.text}"

    @property
    def is_live(self) -> bool:
        now = timezone.now()
        return self.started_at <= now and (self.ends_at is None or self.ends_at > now)

    def clean(self):
        if errors := clean_pasted_fields(self, one_line=["text"]):
            raise ValidationError(errors)
        if self.text and not self.text.strip():
            raise ValidationError({"text": "Say what is happening, in one line."})
        if self.article_id and not self._story_out():
            raise ValidationError(
                {
                    "article": "This story is not on the site: readers would open a page that "
                    "is not there. Publish it first, or put the strip up without a story."
                }
            )
        if self.ends_at is not None and self.ends_at <= timezone.now():
            raise ValidationError(
                {
                    "ends_at": "This time has passed: give a later one (or end the strip now "
                    "from the list of breaking news)."
                }
            )

    def _story_out(self) -> bool:
        return Article.objects.published().filter(pk=self.article_id).exists()
