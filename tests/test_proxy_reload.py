"""`make reload` (serve.py --reload) puts a new release in place of the running one without a
reader noticing: a new gunicorn starts beside the old one, Varnish switches to it once it
answers, and the old one finishes what it holds (a comment being saved reaches its reader).
A release that does not come up leaves the old one serving. A stack of its own."""

import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid

from django.conf import settings

from tests.page_forms import scrape_form
from tests.proxy_stack import BASE_DIR, running_stack

SERVE = [sys.executable, str(BASE_DIR / "deploy" / "serve.py")]


def _reload(stack, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SERVE, "--reload"],
        env={**stack.env, **env},
        capture_output=True,
        text=True,
        timeout=240,
    )


def _answers(stack, port) -> bool:
    try:
        return stack.get("/healthz", port=port, timeout=2).status == 200
    except OSError:
        return False


def _comment_ready(stack, article, body):
    action, fields = scrape_form(stack.get(article).text, "comment-form")
    fields.update(name="Ada Reader", email="ada.reader@example.com", body=body)
    again = stack.post(action, fields)  # no JavaScript: the form comes back with a token
    csrf = again.cookies[settings.CSRF_COOKIE_NAME]
    action, fields = scrape_form(again.text, "comment-form")
    time.sleep(1.1)  # COMMENTS_MIN_FORM_SECONDS
    return action, fields, {settings.CSRF_COOKIE_NAME: csrf}


def test_a_reload_swaps_gunicorn_while_every_reader_is_answered(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("reload")) as stack:
        article = stack.articles[0]
        first_port, other_port = stack.backend_port, int(stack.env["RELOAD_BACKEND_PORT"])
        body = f"Sent just as the new release went in {uuid.uuid4().hex}."
        action, fields, cookies = _comment_ready(stack, article, body)

        # Readers all along: the cached article, and the origin itself (/healthz).
        failures, probes, probing = [], [0], threading.Event()

        def probe():
            while not probing.is_set():
                for path in (article, "/healthz"):
                    try:
                        status = stack.get(path, timeout=10).status
                    except OSError as exc:
                        status = repr(exc)
                    probes[0] += 1
                    if status != 200:
                        failures.append((path, status))
                time.sleep(0.05)

        prober = threading.Thread(target=probe)
        prober.start()
        # Another writer holds the database: the comment's save waits in the old gunicorn.
        holder = sqlite3.connect(stack.db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        answers = []
        sending = threading.Thread(
            target=lambda: answers.append(stack.post(action, fields, cookies=cookies, timeout=90))
        )
        sending.start()
        time.sleep(3)
        reloading = threading.Thread(target=lambda: answers.append(_reload(stack)))
        reloading.start()
        deadline = time.monotonic() + 120
        while not _answers(stack, other_port) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # the switch made; the old gunicorn drains
        holder.execute("ROLLBACK")  # ...and the save goes through
        holder.close()
        sending.join(90)
        reloading.join(240)
        probing.set()
        prober.join(30)

        posted, reloaded = sorted(answers, key=lambda a: isinstance(a, subprocess.CompletedProcess))
        assert reloaded.returncode == 0, reloaded.stdout + reloaded.stderr + stack.log()
        assert "serve: reloaded" in reloaded.stdout
        assert posted.status == 302, posted.text[:2000]
        assert stack.comment_status(body) == "pending"
        assert failures == [], (failures, probes)
        assert probes[0] > 20
        # The new release serves from the other port; the old one is gone.
        assert _answers(stack, other_port) and not _answers(stack, first_port)
        assert stack.get(article).status == 200
        later = f"Posted to the new release {uuid.uuid4().hex}."
        action, fields, cookies = _comment_ready(stack, article, later)
        assert stack.post(action, fields, cookies=cookies).status == 302
        assert stack.comment_status(later) == "pending"

        # The next reload comes back to the first port.
        again = _reload(stack)
        assert again.returncode == 0, again.stdout + again.stderr + stack.log()
        assert _answers(stack, first_port) and not _answers(stack, other_port)
        assert stack.process.poll() is None
        # Two reloads, the mail worker restarted each time: nothing an operator must look at.
        assert " WARNING " not in stack.log() and "Error:" not in stack.log(), stack.log()


def test_a_release_that_does_not_come_up_leaves_the_old_one_serving(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("bad-release")) as stack:
        # The new gunicorn cannot start: the port it needs is taken.
        other_port = int(stack.env["RELOAD_BACKEND_PORT"])
        with socket.socket() as squatter:
            squatter.bind(("127.0.0.1", other_port))
            squatter.listen()
            failed = _reload(stack)
        assert failed.returncode == 1
        assert "reload failed, the old release still serves" in failed.stdout
        assert stack.get(stack.articles[1]).status == 200
        assert _answers(stack, stack.backend_port)
        assert stack.process.poll() is None
