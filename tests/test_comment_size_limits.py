"""A comment post larger than any comment: refused with a readable page, before its body is
read (the CSRF check included), and no file part it carries is ever written anywhere."""

from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from comments.models import Comment


def test_an_oversized_request_gets_a_readable_page(reader, article, comment_form_data, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    data = comment_form_data(article, body="x" * 20_000)

    response = reader.post(reverse("comments:post", args=[article.pk]), data)

    assert response.status_code == 413
    assert "Your comment is too large to send" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_file_posted_with_a_comment_is_never_written_anywhere(
    reader, article, comment_form_data, settings
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # any file part larger goes to disk normally
    data = {**comment_form_data(article), "upload": SimpleUploadedFile("big.bin", b"x" * 20_000)}
    with mock.patch("django.core.files.temp.NamedTemporaryFile") as temporary_file:
        response = reader.post(reverse("comments:post", args=[article.pk]), data)

    assert response.status_code == 302
    temporary_file.assert_not_called()
    assert Comment.objects.count() == 1


def test_a_body_larger_than_any_comment_is_refused_before_it_is_read(
    reader, article, comment_form_data, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    data = {**comment_form_data(article), "upload": SimpleUploadedFile("big.bin", b"x" * 50_000)}
    with mock.patch("django.http.multipartparser.MultiPartParser.parse") as parse:
        response = reader.post(reverse("comments:post", args=[article.pk]), data)

    assert response.status_code == 413
    parse.assert_not_called()
    assert not Comment.objects.exists()


def test_an_oversized_request_is_refused_before_the_csrf_check_reads_it(
    article, comment_form_data, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(
        reverse("comments:post", args=[article.pk]), comment_form_data(article, body="x" * 20_000)
    )

    assert response.status_code == 413
