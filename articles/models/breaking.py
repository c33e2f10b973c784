from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone

from articles.models.article import Article
from newsportal.text import clean_pasted_fields


class BreakingNewsQuerySet(models.QuerySet):
    def live(self):
        """Up now: gone up by its "show from" time, not ended, by its time or by hand, and no
        strip gone up after it (by start time). The last holds whatever two editors do at
        once (each ending what it saw up, then adding its own: both would stay up), and a
        strip replaced, by one put up now or by one scheduled for now, never comes back when
        its successor ends."""
        return self.live_at(timezone.now())

    def live_at(self, when):
        return self.filter(_up_at(when))

    def scheduled(self):
        """Waiting for its "show from" time (and not cancelled meanwhile)."""
        return self.filter(_scheduled_at(timezone.now()))

    def with_up(self):
        """Each strip with `up` (live) and `waiting` (scheduled), for a list in one query."""
        now = timezone.now()
        return self.annotate(
            up=ExpressionWrapper(_up_at(now), output_field=BooleanField()),
            waiting=ExpressionWrapper(_scheduled_at(now), output_field=BooleanField()),
        )

    def shown(self):
        """What readers see: live, and its story (where it names one) on the site."""
        return self.filter(_shown_at(timezone.now()))

    def shown_or_next(self):
        """What readers see now, and the next strip scheduled to go up (which replaces it
        then), in one query: a page drawn now is kept no longer than until that start."""
        now = timezone.now()
        following = self.filter(_scheduled_at(now)).order_by("started_at", "pk").values("pk")
        return self.filter(_shown_at(now) | Q(pk=Subquery(following[:1])))


def _went_up(now) -> Q:
    # Ended (cancelled) before its start: it never went up, so it replaced nothing.
    return Q(started_at__lte=now) & (Q(ends_at__isnull=True) | Q(ends_at__gt=F("started_at")))


def _scheduled_at(now) -> Q:
    return Q(started_at__gt=now) & (Q(ends_at__isnull=True) | Q(ends_at__gt=F("started_at")))


def newer_gone_up(now):
    """Strips that went up after the outer one, by start time (save order for the same
    instant): a scheduled strip saved first is still newer than one put up before its time."""
    after = Q(started_at__gt=OuterRef("started_at")) | Q(
        started_at=OuterRef("started_at"), pk__gt=OuterRef("pk")
    )
    return BreakingNews.objects.filter(after, _went_up(now))


def _up_at(now) -> Q:
    not_ended = Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    return Q(started_at__lte=now) & not_ended & ~Exists(newer_gone_up(now))


def _shown_at(now) -> Q:
    return _up_at(now) & (
        Q(article__isnull=True)
        | Q(article__status=Article.Status.PUBLISHED, article__published_at__lte=now)
    )


class BreakingNews(models.Model):
    """The strip across the top of every page that tells readers of news as it breaks, as
    newsrooms run a "Breaking" bar above their site for the hours a story develops. One at a
    time: the newest to go up (put up now, or scheduled for now) replaces the one before it.
    Written through
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
    # When it goes up: saved with a time to come, it is scheduled and replaces the strip up
    # then at that time (one at a time, by this time). Empty or past on a new strip: now.
    started_at = models.DateTimeField(
        "show from",
        default=timezone.now,
        blank=True,
        help_text="Empty: now. A time to come schedules the strip: readers see it from then, "
        "in place of the one up then.",
    )
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
    def is_scheduled(self) -> bool:
        if "waiting" in self.__dict__:  # read with_up()
            return self.waiting
        return type(self).objects.scheduled().filter(pk=self.pk).exists()

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
        if self.ends_at is not None and self.started_at and self.ends_at <= self.started_at:
            raise ValidationError({"ends_at": "Give a time after its “show from” time."})

    def _story_out(self) -> bool:
        return Article.objects.published().filter(pk=self.article_id).exists()
