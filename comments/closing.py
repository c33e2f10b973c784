"""Whether an article takes comments now, and when they close by age: per article (its own
switch, and only while it is public) and by the moderation policy's days after publication."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article
from comments.models import ModerationPolicy


def comments_open(article: Article, policy: ModerationPolicy | None = None) -> bool:
    takes_comments = article.comments_enabled and article.is_public  # else no policy asked
    return takes_comments and open_before(article, comments_close_at(article, policy))


def way_back_to(article: Article) -> tuple[str, str]:
    """A notice's link back to the article (its address, its words): to the comment form while
    comments are open, else to the comments, where "Comments are closed" is (no form there)."""
    place = "#comment-form" if comments_open(article) else "#comments"
    return article.get_absolute_url() + place, "Back to the article"


def open_before(article: Article, closes_at) -> bool:
    """comments_open() for a caller that knows when they close by age (None: they do not)."""
    takes_comments = article.comments_enabled and article.is_public
    return takes_comments and (closes_at is None or timezone.now() < closes_at)


def comments_close_at(article: Article, policy: ModerationPolicy | None = None):
    """When the policy's days after publication run out (None: comments never close by age)."""
    days = (policy or ModerationPolicy.current()).effective_close_after_days
    return article.published_at + timedelta(days=days) if days else None
