"""Errors a reader can run into get a readable page in the site's layout."""

from django.test import Client


def test_a_refused_cross_site_post_gets_a_friendly_page(article):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/comments/post/{article.pk}/", {"name": "Ana"}, HTTP_ORIGIN="https://evil.example"
    )

    assert response.status_code == 403
    # Said as it is: not "your form was open for a long time".
    assert "<h1>Not sent</h1>" in response.content.decode()
    assert "Nothing was sent" in response.content.decode()


def test_an_oversized_post_elsewhere_gets_a_readable_400(client, settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = client.post("/admin/login/", {"username": "x" * 5000})

    assert response.status_code == 400
    assert "We could not read that request" in response.content.decode()
