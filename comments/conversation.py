"""Where a published comment is in its article's conversation, found when asked: the editors'
picks above the first page lead here for a comment on a later page, since comments approved
meanwhile move it from page to page and the box is kept for every reader."""

from django.shortcuts import get_object_or_404, redirect

from articles.models import Article
from comments.links import public_path
from comments.models import Comment
from newsportal.caching import mark_personal
from newsportal.methods import read_only


@read_only
def in_conversation(request, comment_id):
    article = get_object_or_404(
        Article.objects.published(), comments__pk=comment_id, comments__status="approved"
    )
    comment = Comment.objects.counted().filter(pk=comment_id).first()
    if comment is None:  # taken off the page since: its article's comments, where it was
        return mark_personal(redirect(article.get_absolute_url() + "#comments"))
    comment.article = article
    return mark_personal(redirect(public_path(comment)))
