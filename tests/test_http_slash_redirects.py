"""An address typed or linked without its trailing slash is sent on to the page (APPEND_SLASH)
with a 301 that shared caches keep as they keep the page, so a popular slashless link is
answered by the proxy, not by Django each time; never for the admin or the comment endpoints."""

import pytest
from django.test import Client

from tests.test_http_caching import assert_personal


def assert_shared_redirect(response, to):
    assert response.status_code == 301
    assert response["Location"] == to
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "s-maxage=300" in cache_control
    assert "private" not in cache_control and "no-store" not in cache_control
    assert "site" in response["Surrogate-Key"].split()
    assert not response.cookies


def test_a_public_page_without_its_slash_is_a_shared_redirect(client, article):
    section = article.section.get_absolute_url()

    assert_shared_redirect(client.get(section.rstrip("/")), section)
    assert_shared_redirect(client.head(section.rstrip("/")), section)
    assert_shared_redirect(
        client.get(article.get_absolute_url().rstrip("/")), article.get_absolute_url()
    )
    assert_shared_redirect(client.get("/feed"), "/feed/")


def test_the_query_string_goes_along_and_the_redirect_stays_shared(client, article):
    assert_shared_redirect(client.get("/search?q=car"), "/search/?q=car")


@pytest.mark.parametrize("url", ["/admin", "/comments/privacy", "/comments/status/abc"])
def test_the_admin_and_the_comment_endpoints_redirect_privately(db, url):
    response = Client().get(url)

    assert response.status_code == 301
    assert response["Location"] == url + "/"
    assert_personal(response)


def test_a_signed_in_reader_is_redirected_privately(client, article, django_user_model):
    client.force_login(django_user_model.objects.create_user("ivy", "ivy@example.com", "pw"))

    response = client.get(article.section.get_absolute_url().rstrip("/"))

    assert response.status_code == 301
    assert_personal(response)
