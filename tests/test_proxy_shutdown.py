"""Stopping `make serve` (a deploy, a reboot) never cuts off a reader whose comment the site is
saving: gunicorn finishes the request while Varnish is still there to deliver the answer.
A stack of its own (it is stopped mid-test), on a Redis database of its own."""

import signal
import sqlite3
import threading
import time
import uuid

from django.conf import settings

from tests.proxy_stack import running_stack, scrape_form


def test_a_comment_being_saved_when_the_stack_is_stopped_reaches_its_reader(tmp_path_factory):
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
        stack.process.send_signal(signal.SIGTERM)  # the deploy stops the stack
        time.sleep(1.5)
        holder.execute("ROLLBACK")  # ...and the save goes through
        holder.close()
        sending.join(60)

        assert answers, "the reader got no answer"
        assert answers[0].status == 302, answers[0].text[:2000]
        assert stack.comment_status(body) == "pending"
        stack.process.wait(45)
        assert stack.process.returncode == 0, stack.log()
        # A normal stop alarms nobody: no "Error" from Varnish for the SIGTERM that stops it,
        # no WARNING from the mail worker for its own.
        assert "Error:" not in stack.log() and " WARNING " not in stack.log(), stack.log()
