from django.urls import path, re_path

from comments import (
    commenter_views,
    confirm_views,
    privacy_views,
    report_views,
    stale_forms,
    stop_views,
    views,
)
from comments.conversation import in_conversation

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("status/<str:token>/", views.comment_status, name="status"),
    path("form-token/<int:article_id>/", views.form_token_view, name="form-token"),
    # Commenters in control: their status link, and the links mailed to them.
    path("status/<str:token>/edit/", commenter_views.edit, name="edit"),
    path("status/<str:token>/delete/", commenter_views.delete, name="delete"),
    path("status/<str:token>/follow/", commenter_views.follow, name="follow"),
    path("status/<str:token>/ask-again/", commenter_views.ask_again_view, name="ask-again"),
    path("deleted/<int:article_id>/", commenter_views.deleted, name="deleted"),
    path("status/<str:token>/privacy/", privacy_views.status_privacy, name="status-privacy"),
    path("privacy/", privacy_views.privacy, name="privacy"),
    path("privacy/<str:token>/", privacy_views.privacy_action, name="privacy-action"),
    path("confirm/<str:token>/", confirm_views.confirm, name="confirm"),
    path("confirm-comment/<str:token>/", confirm_views.confirm_comment, name="confirm-comment"),
    path("unsubscribe/<str:token>/", stop_views.unsubscribe, name="unsubscribe"),
    path("stop-mail/<str:token>/", stop_views.stop_mail, name="stop-mail"),
    path("report/<int:comment_id>/", report_views.report_view, name="report"),
    path("<int:comment_id>/in-conversation/", in_conversation, name="in-conversation"),
    # Last: a form from a page another release drew, posted to an address this one does not
    # know (a rolling deploy). Only addresses ending in a slash, so that one without still
    # finds a page of ours by the slash redirect first (the view asks for none to itself).
    re_path(r"^(?P<path>.+/)$", stale_forms.unknown_address, name="unknown-address"),
]
