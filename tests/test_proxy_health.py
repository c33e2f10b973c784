"""/healthz through the real stack: a reader (or a bot) reaching it through Varnish is told up
or down; the operator on the machine, asking gunicorn straight, gets the details."""

import json

from tests.proxy_stack import request_id


def test_through_the_proxy_healthz_says_up_and_nothing_more(stack):
    rid = request_id()
    response = stack.get("/healthz", headers={"X-Request-ID": rid})

    assert response.status == 200
    assert json.loads(response.body) == {"status": "ok"}
    assert stack.reached_gunicorn(rid)  # never a copy: the answer is now, every time


def test_on_the_machine_straight_to_gunicorn_the_operator_gets_the_details(stack):
    response = stack.get("/healthz", port=stack.backend_port)

    assert response.status == 200
    health = json.loads(response.body)
    assert health["database"] == "up"
    assert health["worker"] in ("keeping up", "behind")
    assert "mail_failed_last_hour" in health and "jobs_overdue" in health
