"""A request gunicorn gives up on (past GUNICORN_TIMEOUT: a database lock held by a migration
or a long transaction) is answered by the proxy as a worker that died: a reader whose comment
was being saved is told it was not sent and where their words are, never a bare "Internal
Server Error". A stack of its own, with a short timeout."""

import json
import time
import uuid

from django.conf import settings

from tests.page_forms import scrape_form
from tests.proxy_stack import running_stack


def test_a_comment_held_past_gunicorn_s_timeout_is_answered_not_sent(tmp_path_factory):
    hung = {"GUNICORN_TIMEOUT": "3", "SERVE_WSGI_APP": "tests.slow_wsgi"}
    with running_stack(tmp_path_factory.mktemp("hung"), **hung) as stack:
        article = stack.articles[0]
        action, fields = scrape_form(stack.get(article).text, "comment-form")
        body = f"Sent while a migration held the table {uuid.uuid4().hex}."
        fields.update(name="Ada Reader", email="ada.reader@example.com", body=body)
        # What comments.js asks for when the reader starts writing.
        token = stack.get(action.replace("/post/", "/form-token/"))
        fields.update(json.loads(token.text))
        csrf = token.cookies[settings.CSRF_COOKIE_NAME]
        time.sleep(1.1)  # COMMENTS_MIN_FORM_SECONDS

        # Held in gunicorn past its timeout, as a lock held by a migration would hold it.
        answer = stack.post(action, fields, cookies={settings.CSRF_COOKIE_NAME: csrf}, timeout=60)

        assert answer.status == 503, answer.text[:2000]
        assert "Not sent" in answer.text
        assert "Back button takes you back to the form with your text" in answer.text
        assert "Internal Server Error" not in answer.text
        assert stack.comment_status(body) is None  # "not received" was the truth
        # The operator reads where it hung, on one line.
        lines = [line for line in stack.log().splitlines() if "timed out; its request" in line]
        assert lines, stack.log()
        assert "slow_wsgi.py" in lines[0]
