"""serve.py killed outright (SIGKILL, the OOM killer): its guard (deploy/guard.py) stops the
children as serve.py would, gunicorn gracefully, and gives them as long as serve.py's own stop
does: gunicorn's graceful timeout (GUNICORN_GRACEFUL_TIMEOUT), not a fixed 45 s that cut the
requests of a deployment giving gunicorn longer. A stack of its own."""

import threading
import time

from tests.proxy_stack import running_stack

# gunicorn may take 60 s to finish its requests, and may spend 90 s on one.
LONG_REQUESTS = {
    "SERVE_WSGI_APP": "tests.long_request_wsgi",
    "GUNICORN_GRACEFUL_TIMEOUT": "60",
    "GUNICORN_TIMEOUT": "90",
}


def test_a_request_gunicorn_holds_when_serve_py_is_killed_gets_its_graceful_time(
    tmp_path_factory,
):
    with running_stack(tmp_path_factory.mktemp("killed-long"), **LONG_REQUESTS) as stack:
        answers, errors = [], []

        def ask():
            try:
                # From gunicorn itself: the guard stops Varnish at once, with the others.
                answers.append(stack.get("/long-request/", port=stack.backend_port, timeout=120))
            except OSError as exc:
                errors.append(exc)

        asking = threading.Thread(target=ask)
        asking.start()
        time.sleep(2)  # in gunicorn, for 50 s
        stack.process.kill()
        asking.join(120)

        assert errors == [], f"the request was cut: {errors}"
        assert answers and answers[0].status == 200
        assert answers[0].text == "answered after the whole request\n"
