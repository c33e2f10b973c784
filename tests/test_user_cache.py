"""Signed-in readers' user rows come from the shared cache, and never outlive a change."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from newsportal.auth import user_cache_key


@pytest.fixture
def reader_client(db):
    user = get_user_model().objects.create_user(
        "kim", "kim@example.com", "pw-kim-123", first_name="Kim"
    )
    client = Client()
    client.force_login(user)
    return client, user


def test_a_signed_in_reader_costs_no_query_for_their_user_once_it_is_cached(
    reader_client, article, django_assert_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 300  # the shared page itself is cached too
    client, _ = reader_client
    client.get(article.get_absolute_url())  # reads the row, caches it (and the page)

    with django_assert_num_queries(0):
        response = client.get(article.get_absolute_url())

    assert 'value="Kim"' in response.content.decode()


def test_a_password_change_still_ends_the_other_sessions(reader_client, article):
    client, user = reader_client
    client.get(article.get_absolute_url())

    user.set_password("a-new-password-456")
    user.save()

    html = client.get(article.get_absolute_url()).content.decode()
    assert 'value="Kim"' not in html
    assert "kim@example.com" not in html


def test_a_deactivated_user_is_signed_out_at_once(reader_client, article):
    client, user = reader_client
    client.get(article.get_absolute_url())

    user.is_active = False
    user.save()

    assert 'value="Kim"' not in client.get(article.get_absolute_url()).content.decode()


def test_a_renamed_user_is_read_afresh(reader_client, article):
    client, user = reader_client
    client.get(article.get_absolute_url())

    user.first_name = "Kimberly"
    user.save()

    assert 'value="Kimberly"' in client.get(article.get_absolute_url()).content.decode()


def test_a_deleted_user_leaves_nothing_behind(reader_client, article):
    client, user = reader_client
    client.get(article.get_absolute_url())
    user_id = user.pk

    user.delete()

    assert cache.get(user_cache_key(user_id)) is None
    assert 'value="Kim"' not in client.get(article.get_absolute_url()).content.decode()


def test_a_cache_outage_costs_the_query_not_the_sign_in(reader_client, article):
    from unittest import mock

    client, _ = reader_client
    with mock.patch("newsportal.auth.cache.get", side_effect=ConnectionError):
        html = client.get(article.get_absolute_url()).content.decode()

    assert 'value="Kim"' in html
