"""`make reload` when another program already answers on the port the new release is to start
on (RELOAD_BACKEND_PORT, PORT + 3: a second stack started with that PORT, say): the reload is
refused, naming the port, and the old release goes on serving. It used to take that program's
200 on /healthz for the new release's, switch Varnish to it, and then stop the whole stack
when the new gunicorn, which never got the port, exited. A stack of its own."""

import contextlib
import http.server
import socket
import subprocess
import sys
import threading
import time

from tests.page_forms import scrape_form
from tests.proxy_stack import BASE_DIR, running_stack
from tests.test_proxy_reload import _answers

SERVE = [sys.executable, str(BASE_DIR / "deploy" / "serve.py")]
SOMEONE_ELSE = b"Another site altogether"
OUTPUT = {"capture_output": True, "text": True, "timeout": 240}


def _held(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@contextlib.contextmanager
def someone_else_on(port: int):
    other = http.server.ThreadingHTTPServer(("127.0.0.1", port), SomeoneElse)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        yield
    finally:
        other.shutdown()
        other.server_close()


class SomeoneElse(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(SOMEONE_ELSE)))
        self.end_headers()
        self.wfile.write(SOMEONE_ELSE)

    def log_message(self, *args):
        pass


def test_a_reload_port_another_program_answers_on_is_refused_naming_it(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("reload-port-taken")) as stack:
        reload_port = int(stack.env["RELOAD_BACKEND_PORT"])
        with someone_else_on(reload_port):
            reloaded = subprocess.run(
                [*SERVE, "--reload"], env=stack.env, capture_output=True, text=True, timeout=240
            )
            article = stack.get(stack.articles[0])

        assert reloaded.returncode == 1, reloaded.stdout + reloaded.stderr + stack.log()
        assert (
            "serve: reload failed, the old release still serves: something already answers on "
            f"127.0.0.1:{reload_port} (RELOAD_BACKEND_PORT)"
        ) in reloaded.stdout, reloaded.stdout + stack.log()
        assert article.status == 200 and SOMEONE_ELSE not in article.body
        assert stack.get("/healthz", port=stack.backend_port).status == 200
        assert stack.process.poll() is None, stack.log()

        # Once the port is free again, the reload goes through.
        again = subprocess.run(
            [*SERVE, "--reload"], env=stack.env, capture_output=True, text=True, timeout=240
        )
        assert again.returncode == 0, again.stdout + again.stderr + stack.log()
        assert stack.get("/healthz", port=reload_port).status == 200


def test_make_reload_refuses_a_reload_port_another_program_holds_before_any_step(tmp_path_factory):
    # It used to install, check, collect and migrate (MIGRATE=1: migrations the operator meant
    # to go in with the new release) and only then be refused by the stack.
    with running_stack(tmp_path_factory.mktemp("reload-port-taken-make")) as stack:
        reload_port = int(stack.env["RELOAD_BACKEND_PORT"])
        make_reload = ["make", "reload", "MIGRATE=1"]
        with someone_else_on(reload_port):
            refused = subprocess.run(make_reload, cwd=BASE_DIR, env=stack.env, **OUTPUT)

        assert refused.returncode != 0, refused.stdout + refused.stderr + stack.log()
        assert (
            "serve: reload failed, the old release still serves: something already answers on "
            f"127.0.0.1:{reload_port} (RELOAD_BACKEND_PORT), where the new release would start: "
            "another program or stack holds it. Stop it, or set RELOAD_BACKEND_PORT to a free "
            "port (that takes a restart)"
        ) in refused.stdout, refused.stdout + stack.log()
        for step in ("collectstatic", "migrate", "serve.py --check", "serve.py --reload"):
            assert step not in refused.stdout, refused.stdout
        assert "serve: reloading" not in stack.log()
        assert stack.process.poll() is None, stack.log()


def test_a_reload_right_after_another_waits_for_the_old_release_to_finish_its_requests(
    tmp_path_factory,
):
    # The gunicorn the first reload stopped still holds a comment being saved (slow_wsgi: up
    # to its graceful time of 12 s), and with it the port the second reload goes back to: the
    # second waits for it, where it used to fail on it ("/healthz never answered").
    held = {"GUNICORN_GRACEFUL_TIMEOUT": "12", "SERVE_WSGI_APP": "tests.slow_wsgi"}
    with running_stack(tmp_path_factory.mktemp("reload-twice"), **held) as stack:
        action, fields = scrape_form(stack.get(stack.articles[0]).text, "comment-form")
        sending = threading.Thread(target=stack.post, args=(action, fields), kwargs={"timeout": 60})
        sending.start()
        time.sleep(1)  # in the first gunicorn
        reload = [*SERVE, "--reload"]
        first = subprocess.run(reload, env=stack.env, capture_output=True, text=True, timeout=240)
        assert first.returncode == 0, first.stdout + first.stderr + stack.log()
        assert _held(stack.backend_port), "the first gunicorn is gone already"
        # Held by the stack's own gunicorn: make reload's first step lets the reload go on.
        first_step = subprocess.run(
            [*SERVE, "--running"], env=stack.env, capture_output=True, text=True, timeout=60
        )
        assert first_step.returncode == 0, first_step.stdout + first_step.stderr
        assert _held(stack.backend_port), "the first gunicorn was gone before make reload asked"
        second = subprocess.run(reload, env=stack.env, capture_output=True, text=True, timeout=240)
        sending.join(60)

        assert second.returncode == 0, second.stdout + second.stderr + stack.log()
        assert "serve: reloaded" in second.stdout
        assert _answers(stack, stack.backend_port)
        assert not _answers(stack, int(stack.env["RELOAD_BACKEND_PORT"]))
        assert stack.process.poll() is None, stack.log()
