from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("status/<str:token>/", views.comment_status, name="status"),
    path("form-token/<int:article_id>/", views.form_token_view, name="form-token"),
]
