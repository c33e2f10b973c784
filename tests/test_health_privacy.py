"""/healthz tells a stranger (anyone reaching it through the proxy, or from another machine)
up or down and nothing else; the operator (on this machine, straight to gunicorn, or a monitor
with HEALTHZ_TOKEN) gets the details: mail failing, cron lines missing, the worker's backlog."""

import pytest
from django.core.cache import cache
from django.test import Client

DETAILS = ("database", "cache", "worker", "mail_failed_last_hour", "jobs_overdue")
TOKEN = "monitor-" + "x" * 40


def through_the_proxy() -> Client:
    # Varnish connects from the loopback and writes the reader's address (deploy/).
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stranger",
    [
        through_the_proxy,
        lambda: Client(REMOTE_ADDR="203.0.113.9"),  # a load balancer on another machine
        lambda: Client(REMOTE_ADDR="127.0.0.1", HTTP_FORWARDED="for=203.0.113.9"),
    ],
)
def test_a_stranger_is_told_up_or_down_and_nothing_else(stranger, cron_on_time):
    response = stranger().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_stranger_costs_one_query_and_no_write_to_redis(django_assert_num_queries):
    cache.clear()
    with django_assert_num_queries(1):
        assert through_the_proxy().get("/healthz").status_code == 200
    assert cache.get("healthz") is None


@pytest.mark.django_db
def test_a_stranger_hears_down_with_the_503_a_load_balancer_needs(database_down):
    response = through_the_proxy().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


@pytest.mark.django_db
def test_the_operator_on_this_machine_gets_the_details(cron_on_time):
    health = Client(REMOTE_ADDR="127.0.0.1").get("/healthz").json()

    assert all(field in health for field in DETAILS)


@pytest.mark.django_db
def test_a_monitor_with_the_token_gets_the_details_through_the_proxy(settings, cron_on_time):
    settings.HEALTHZ_TOKEN = TOKEN

    asked = through_the_proxy().get("/healthz", headers={"Authorization": f"Bearer {TOKEN}"})

    assert asked.status_code == 200
    assert all(field in asked.json() for field in DETAILS)
    assert "private" in asked["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("configured", [TOKEN, ""])
@pytest.mark.parametrize("sent", ["Bearer wrong", "Bearer ", TOKEN, ""])
def test_a_wrong_or_missing_token_gets_the_stranger_s_answer(settings, configured, sent):
    settings.HEALTHZ_TOKEN = configured

    asked = through_the_proxy().get("/healthz", headers={"Authorization": sent})

    assert asked.json() == {"status": "ok"}
