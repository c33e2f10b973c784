"""A reader's report of a published comment.

Every comment of a shared page links here: without JavaScript the link opens this page, a form
of the reader's own. comments.js instead opens the page's one report form under the comment; being
in a shared page it carries no CSRF token until comments.js fills one in from comments:form-token,
and a post that still lacks one comes back once as this page, with a token and the reader's
choice kept (see comments.csrf_views.csrf_failure), exactly like the comment form.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat, timezone
from django.utils.html import format_html

from articles.models import Article
from comments.desk import report_comment
from comments.links import public_path
from comments.models import Comment, Report
from comments.ratelimit import Verdict, client_ip, hit_report_limit
from comments.tokens import cookie_not_kept
from newsportal.caching import personal_page
from newsportal.methods import get_or_post

REPORTED = "Thank you: a moderator will look at this comment."
REPORTED_BEFORE = "You have already reported this comment: a moderator will look at it."
REPORTED_AND_HIDDEN = (
    "Thank you: the comment is hidden from the page until a moderator has looked at it."
)
SEND_AGAIN = "To protect your report, please press “Send report” once more."
COOKIE_BLOCKED = (
    "Your report was not sent: your browser did not send back the cookie that protects this "
    "form (we set it for nothing else; your browser may block cookies for this site). Allow "
    "cookies for this site, then press “Send report”: your choice and words are kept."
)


# The words box's label says when it is needed: "(optional)" above a box then refused as
# empty for "Something else" misled readers. The article's in-page form
# (includes/report_form.html) draws the same label and says the same error.
WORDS_LABEL = "Anything to add (needed for “Something else”)"
WORDS_NEEDED = "Tell the moderators what is wrong with it."


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why should a moderator look at it?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why a moderator should look at it."},
    )
    text = forms.CharField(
        label=WORDS_LABEL,
        required=False,
        max_length=Report._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == Report.Reason.OTHER and not data.get("text", "").strip():
            self.add_error("text", WORDS_NEEDED)
        return data


def _reportable(comment_id: int) -> Comment:
    # What readers see: not a placeholder of a withdrawn comment (it says nothing), nor a
    # reply hidden under a comment back in the queue.
    published = Comment.objects.counted().filter(article__in=Article.objects.published())
    return get_object_or_404(published.select_related("article"), pk=comment_id)


def report_page(request, comment, form, *, status=200):
    context = {"comment": comment, "form": form}
    return personal_page(render(request, "comments/report.html", context, status=status))


def too_many_reports(request, comment, form, limit: Verdict):
    """The report page again, with the reader's reason and words to send once the wait is
    over (the back button, all the wait page offered, loses them on many phones)."""
    retry_at = timezone.localtime(timezone.now() + timedelta(seconds=limit.retry_after))
    form.is_valid()  # drawn as sent, its own errors too
    form.add_error(
        None,
        format_html(
            "You have sent several reports in a short time. To keep spam out, we accept only a "
            "few reports from one connection at a time. Please try again in {}, after "
            '<time datetime="{}">{}</time>. Your report was not sent: your choice and words are '
            "kept below.",
            limit.wait,
            dateformat.format(retry_at, "Y-m-d\\TH:i:sO"),
            dateformat.format(retry_at, "H:i T"),
        ),
    )
    response = report_page(request, comment, form, status=429)
    response["Retry-After"] = str(limit.retry_after)
    return response


@get_or_post
def report_view(request, comment_id):
    comment = _reportable(comment_id)
    if request.method != "POST":
        return report_page(request, comment, ReportForm())
    limit = hit_report_limit(client_ip(request))
    form = ReportForm(request.POST)
    if not limit.allowed:
        return too_many_reports(request, comment, form, limit)
    if not form.is_valid():
        return report_page(request, comment, form)
    data = form.cleaned_data
    counted = report_comment(
        comment=comment, reason=data["reason"], text=data["text"], ip=client_ip(request)
    )
    # The thanks are drawn at the top of the comments, where the reader lands, with a link
    # back to the comment (the list itself is the same for every reader), unless this report
    # hid it until a moderator looks.
    if not Comment.objects.approved().filter(pk=comment.pk).exists():
        messages.success(request, REPORTED_AND_HIDDEN)
    else:
        said = REPORTED if counted else REPORTED_BEFORE
        messages.success(request, said, extra_tags=f"comment-{comment.pk}")
    return redirect(public_path(comment, anchor="comments"))


def report_again(request, comment_id):
    """CSRF failure of a report sent from a shared page without JavaScript: the reader's
    choice back, with a token, to send once more."""
    comment = Comment.objects.counted().select_related("article").filter(pk=comment_id).first()
    if comment is None or not comment.article.is_public:
        return None
    initial = {"reason": request.POST.get("reason", ""), "text": request.POST.get("text", "")}
    messages.warning(request, COOKIE_BLOCKED if cookie_not_kept(request) else SEND_AGAIN)
    return report_page(request, comment, ReportForm(initial=initial))
