from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from articles.models.article import Article
from newsportal.text import clean_pasted_fields


class BreakingNewsQuerySet(models.QuerySet):
    def live(self):
        """Up now: not ended, by its time or by hand, and no strip put up after it. The last
        holds whatever two editors do at once (each ending what it saw up, then adding its own:
        both would stay up), and a strip replaced never comes back when its successor ends."""
        return self.filter(_up_now())

    def with_up(self):
        """Each strip with `up` (live), for a list of them in one query."""
        return self.annotate(up=ExpressionWrapper(_up_now(), output_field=BooleanField()))

    def shown(self):
        """What readers see: live, and its story (where it names one) on the site."""
        now = timezone.now()
        return self.live().filter(
            Q(article__isnull=True)
            | Q(article__status=Article.Status.PUBLISHED, article__published_at__lte=now)
        )


def _up_now() -> Q:
    newer = BreakingNews.objects.filter(pk__gt=OuterRef("pk"))
    return (Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now())) & ~Exists(newer)


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
    # A story deleted leaves the strip's record (articles.services.delete_articles ends it).
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
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
        if "up" in self.__dict__:  # read with_up()
            return self.up
        return type(self).objects.live().filter(pk=self.pk).exists()

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
