"""Stopping `make serve` (a deploy, a reboot, Ctrl-C) never cuts off a reader whose comment the
site is saving: gunicorn finishes the request while Varnish is still there to deliver the
answer. And serve.py killed outright takes its children with it: nothing is left holding the
ports. Stacks of their own (each is stopped mid-test), on a Redis database of their own."""

import os
import signal
import socket
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.page_forms import scrape_form
from tests.proxy_stack import running_stack


def stop_as_systemd_does(stack):
    stack.process.send_signal(signal.SIGTERM)  # to serve.py alone (KillMode=mixed)


def stop_as_ctrl_c_does(stack):
    # A terminal sends SIGINT to its whole foreground process group: serve.py, and whatever
    # it started there.
    os.killpg(stack.process.pid, signal.SIGINT)


@pytest.mark.parametrize("stop", [stop_as_systemd_does, stop_as_ctrl_c_does])
def test_a_comment_being_saved_when_the_stack_is_stopped_reaches_its_reader(tmp_path_factory, stop):
    with running_stack(tmp_path_factory.mktemp("stopping")) as stack:
        article = stack.articles[0]
        action, fields = scrape_form(stack.get(article).text, "comment-form")
        body = f"Sent just as the site went down for a deploy {uuid.uuid4().hex}."
        fields.update(name="Ada Reader", email="ada.reader@example.com", body=body)
        again = stack.post(action, fields)  # no JavaScript: the form comes back with a token
        csrf = again.cookies[settings.CSRF_COOKIE_NAME]
        action, fields = scrape_form(again.text, "comment-form")
        time.sleep(1.1)  # COMMENTS_MIN_FORM_SECONDS

        # Another writer holds the database: the comment's save waits inside gunicorn.
        holder = sqlite3.connect(stack.db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        answers = []
        sending = threading.Thread(
            target=lambda: answers.append(
                stack.post(action, fields, cookies={settings.CSRF_COOKIE_NAME: csrf}, timeout=60)
            )
        )
        sending.start()
        time.sleep(3)  # through Varnish into gunicorn, where it waits (SQLite waits up to 20 s)
        stop(stack)
        time.sleep(1.5)
        holder.execute("ROLLBACK")  # ...and the save goes through
        holder.close()
        sending.join(60)

        assert answers, "the reader got no answer"
        assert answers[0].status == 302, answers[0].text[:2000]
        assert stack.comment_status(body) == "pending"
        stack.process.wait(45)
        assert stack.process.returncode == 0, stack.log()
        # A normal stop alarms nobody: no "Error" from Varnish for the signal that stops it
        # ("Manager got SIGINT" had Ctrl-C reached it), no WARNING from the mail worker.
        assert "Error:" not in stack.log() and " WARNING " not in stack.log(), stack.log()


def processes_under(pid: int) -> dict[tuple[int, str], str]:
    """Every process `pid` started, and those they started (gunicorn's workers, Varnish's cache
    process): (pid, start time), so that a pid used again is not taken for one, -> command."""
    parents, commands = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        key = (int(entry.name), state[19])
        parents[key], commands[key] = int(state[1]), command
    found, wanted = {}, {pid}
    while grown := {key for key, ppid in parents.items() if ppid in wanted and key not in found}:
        found.update((key, commands[key]) for key in grown)
        wanted |= {key[0] for key in grown}
    return found


def still_running(key: tuple[int, str]) -> bool:
    try:
        state = Path(f"/proc/{key[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return state[19] == key[1] and state[0] != "Z"  # a zombie is only an exit status


def test_a_stack_whose_serve_py_is_killed_outright_leaves_nothing_running(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("killed")) as stack:
        children = processes_under(stack.process.pid)
        commands = " ".join(children.values())
        assert "gunicorn" in commands and "varnishd" in commands and "db_worker" in commands

        stack.process.kill()  # the OOM killer, or kill -9 by an operator
        stack.process.wait()
        deadline = time.monotonic() + 45  # gunicorn's graceful stop, if it had requests
        while (left := [children[key] for key in children if still_running(key)]) and (
            time.monotonic() < deadline
        ):
            time.sleep(0.2)

        assert left == []
        # The next `make serve` finds its port free.
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", stack.port), timeout=2).close()
