"""Write path for the moderation policy: it is on every article page (the comment form, closing
by age), so a save purges the site (newsportal.caching)."""

from comments.models import ModerationPolicy
from newsportal.caching import SITE, purge


def update_policy(*, policy: ModerationPolicy) -> ModerationPolicy:
    """Save the moderation policy. Closing comments by age changes every article page's form,
    so every shared page is dropped."""
    policy.full_clean()
    policy.save()
    purge(SITE)
    return policy
