"""The shared Redis cache every web process uses (rate limits, pages, sessions, policy)."""

import pytest
from django.contrib.auth import get_user_model

from comments.models import ModerationPolicy
from newsportal.cache import PooledRedisCache


@pytest.fixture
def redis_cache(redis_url):
    cache = PooledRedisCache(redis_url, {"KEY_PREFIX": "np-test", "TIMEOUT": 60})
    cache.clear()
    yield cache
    cache.clear()


def test_redis_cache_round_trips_values_and_reuses_one_client(redis_cache):
    redis_cache.set("page", {"pieces": ["a", ("csrfmiddlewaretoken", "x")]})
    redis_cache.set_many({"a": 1, "b": 2})

    assert redis_cache.get("page") == {"pieces": ["a", ("csrfmiddlewaretoken", "x")]}
    assert redis_cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert redis_cache.add("a", 5) is False
    assert redis_cache.incr("a") == 2
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client


def test_two_processes_share_counts_through_redis(redis_cache, redis_url):
    other_process = PooledRedisCache(redis_url, {"KEY_PREFIX": "np-test", "TIMEOUT": 60})
    redis_cache.add("hits", 0)
    redis_cache.incr("hits")
    other_process.incr("hits")

    assert redis_cache.get("hits") == 2


def test_saving_the_policy_in_the_admin_takes_effect_at_once(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    assert ModerationPolicy.current().link_limit != 7  # now cached
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    policy, _ = ModerationPolicy.objects.get_or_create(pk=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/comments/moderationpolicy/{policy.pk}/change/",
            {
                "link_limit": 7,
                "moderation_words": "",
                "blocked_words": "",
                "blocked_emails": "",
                "blocked_ips": "",
                "close_after_days": "",
            },
        )

    assert response.status_code == 302
    assert ModerationPolicy.current().link_limit == 7
