"""A commenter's own comment, for the tests of what they do to it from its private status page
(tests/test_commenter_edit.py, tests/test_commenter_delete.py and their neighbours): the links
its status page offers, a comment on the page, and the keys a front cache is sent."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.tokens import status_token


def edit_url(comment):
    return reverse("comments:edit", args=[status_token(comment)])


def delete_url(comment):
    return reverse("comments:delete", args=[status_token(comment)])


@pytest.fixture
def published(article, make_comment):
    def make(**fields):
        comment = make_comment(
            article, status=Comment.Status.APPROVED, moderated_at=timezone.now(), **fields
        )
        Article.objects.filter(pk=article.pk).update(
            approved_comment_count=Comment.objects.approved().filter(article=article).count()
        )
        return comment

    return make


def purged_keys(purges, capture, action) -> set[str]:
    """Every key the front cache at FRONT_CACHE_PURGE_URLS is sent for this action, once it
    commits."""
    received_before = len(purges)
    with capture(execute=True):
        action()
    return set().union(*purges[received_before:])
