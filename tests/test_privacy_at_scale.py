"""A prolific commenter's privacy requests cost the same whatever they wrote: an erase moves the
approved counts of all their articles at once, not one article after another."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comments.models import Comment
from comments.privacy import erase_comments


def _erase_cost(email, articles, make_comment) -> int:
    for article in articles:
        make_comment(article, email=email, status=Comment.Status.APPROVED)
        Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    ContentType.objects.clear_cache()  # each erase looks its types up afresh
    with CaptureQueriesContext(connection) as queries:
        erase_comments(email=email)
    assert set(Article.objects.values_list("approved_comment_count", flat=True)) == {0}
    return len(queries)


def test_an_erase_costs_the_same_for_comments_on_2_or_12_articles(make_article, make_comment):
    few = _erase_cost("few@example.com", [make_article() for _ in range(2)], make_comment)
    many = _erase_cost("many@example.com", [make_article() for _ in range(12)], make_comment)

    assert few == many
