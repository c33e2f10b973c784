"""Editors' picks in the admin: the buttons on a published comment's own page (where its whole
text is read), and the list filter that finds an article's picks again (comments.picks)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import path, reverse

from comments.admin_posted import seen_revisions
from comments.models import Comment
from comments.picks import MAX_PICKS, pick, unpick


def pick_context(comment: Comment) -> dict:
    """What the comment's page offers: to pick it (in the words shown) or to take it off."""
    if comment.status != Comment.Status.APPROVED or comment.withdrawn_at is not None:
        return {}
    # As readers see it: not while the comment it answers is off the page, say.
    picked = Comment.objects.picks().filter(pk=comment.pk).exists()
    return {
        "pick_url": reverse("admin:comments_comment_pick", args=[comment.pk]),
        "unpick_url": reverse("admin:comments_comment_unpick", args=[comment.pk]),
        "is_pick": picked,
        "max_picks": MAX_PICKS,
    }


class PickViews:
    """Mixed into CommentAdmin beside DecisionViews (whose _decidable checks the method and the
    moderator's permission)."""

    def pick_urls(self, view) -> list:
        return [
            path(
                f"<path:object_id>/{name}/",
                view(self.pick_view),
                {"picking": name == "pick"},
                name=f"comments_comment_{name}",
            )
            for name in ("pick", "unpick")
        ]

    def pick_view(self, request, object_id, picking: bool):
        comment = self._decidable(request, object_id)
        if not isinstance(comment, Comment):
            return comment
        page = reverse("admin:comments_comment_change", args=[comment.pk])
        if not picking:
            if unpick(comment=comment, by=request.user):
                messages.success(request, f"The comment by {comment.name} is no longer a pick.")
            else:
                messages.warning(request, "That comment was not an editors' pick (any more).")
            return HttpResponseRedirect(page)
        # No revision posted: taken as unread, as a decision takes it.
        seen = seen_revisions(request.POST).get(comment.pk, -1)
        try:
            done = pick(comment=comment, by=request.user, revision=seen)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return HttpResponseRedirect(page)
        if done:
            text = (
                f"The comment by {comment.name} is an editors' pick: it shows above the comments."
            )
            messages.success(request, text)
        else:
            messages.info(request, "That comment already is an editors' pick.")
        return HttpResponseRedirect(page)


class PickFilter(admin.SimpleListFilter):
    title = "editors' picks"
    parameter_name = "pick"

    def lookups(self, request, model_admin):
        return [("yes", "Editors' picks")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.picks()
        return queryset
