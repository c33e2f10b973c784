"""Log lines: one per request error, tagged with the request id, without readers' e-mail
addresses or what they wrote.

These tests read what the configured stderr handler writes, not pytest's caplog: caplog's
handler has neither our filters nor our formatter, and django.request does not propagate to it.
"""

import io
import logging
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import path

import newsportal.urls
from newsportal.middleware import RedactEmailFilter

EMAIL = "reader.name+news@example.org"
BODY = "My private comment body that must stay out of the logs"


def _comment_handler_that_fails(request):
    # What a careless service might do: put the reader's address in an exception message.
    raise RuntimeError(f"could not notify {request.POST['email']} about a new comment")


def _query_fails(request):
    raise OperationalError("connection to server failed")


def _query_fails_quoting(request):
    raise OperationalError(f"connection lost while serving {request.GET['link']}")


urlpatterns = [
    path("test/comment/", _comment_handler_that_fails),
    path("test/db-down/", _query_fails),
    path("test/db-down-quoting/", _query_fails_quoting),
    *newsportal.urls.urlpatterns,
]
handler500 = newsportal.urls.handler500


@pytest.fixture
def log_output():
    """What the production handler writes, captured from its own stream."""
    handler = next(h for h in logging.getLogger("django.request").handlers if h.name == "stderr")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_request_error_is_one_line_with_the_request_id(client, log_output):
    response = client.post(
        "/test/comment/",
        {"email": EMAIL, "body": BODY},
        headers={"X-Request-ID": "req-1234"},
    )

    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-1234"
    lines = log_output.getvalue().splitlines()
    assert len(lines) == 1
    assert " ERROR django.request [req-1234] Internal Server Error: /test/comment/" in lines[0]
    # The traceback is kept, folded onto the same line.
    assert "Traceback (most recent call last):\\n" in lines[0]
    assert "RuntimeError: could not notify [email redacted] about a new comment" in lines[0]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_failed_post_logs_neither_the_email_address_nor_the_comment_body(
    client, log_output, caplog
):
    client.post("/test/comment/", {"email": EMAIL, "body": BODY, "name": "Ana"})

    written = log_output.getvalue()
    assert "Internal Server Error" in written
    assert EMAIL not in written
    assert "example.org" not in written
    assert BODY not in written
    assert "<QueryDict" not in written and "<WSGIRequest" not in written
    assert "Internal Server Error" in caplog.text
    assert EMAIL not in caplog.text and BODY not in caplog.text


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_database_outage_is_one_line_naming_the_cause(client, log_output):
    response = client.get("/test/db-down/", headers={"X-Request-ID": "req-db"})

    assert response.status_code == 503
    lines = log_output.getvalue().splitlines()
    assert len(lines) == 1
    assert "ERROR newsportal.request [req-db] database unavailable: GET /test/db-down/" in lines[0]
    assert "OperationalError: connection to server failed" in lines[0]
    assert "Traceback" not in lines[0]


@pytest.mark.django_db
def test_a_failing_health_check_is_logged_with_the_request_id(client, log_output):
    # Django logs a returned 503 after our middleware has finished with the request.
    error = OperationalError("connection refused")
    with mock.patch.object(connections["default"], "cursor", side_effect=error):
        response = client.get("/healthz", headers={"X-Request-ID": "probe-7"})

    assert response.status_code == 503
    assert "ERROR django.request [probe-7] Service Unavailable: /healthz" in log_output.getvalue()


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_a_bad_one_is_replaced(client):
    generated = client.get("/healthz")["X-Request-ID"]
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})

    assert len(generated) == 32
    assert replaced["X-Request-ID"] != "bad id\nwith newline"
    assert len(replaced["X-Request-ID"]) == 32


def test_any_logger_redacts_email_addresses_in_messages_and_arguments(log_output):
    logging.getLogger("comments.services").warning(
        "mail to %s bounced; moderators %s", EMAIL, ["ed@news.example.com"]
    )
    logging.getLogger("comments.services").warning("also to root@localhost and a@xn--bcher-kva")

    written = log_output.getvalue()
    assert EMAIL not in written and "ed@news.example.com" not in written
    assert "root@localhost" not in written and "xn--bcher-kva" not in written
    assert "mail to [email redacted] bounced; moderators ['[email redacted]']" in written
    assert "[-]" in written  # outside a request the id is a dash


@pytest.mark.parametrize(
    "address",
    [
        "o'brien@example.com",
        "jane&john@example.com",
        "a/b@example.com",
        "marta@exämple.pt",
        '"ann.smith"@example.com',
        "ann@[192.0.2.1]",
    ],
)
def test_every_address_the_comment_form_takes_is_redacted_whole(log_output, address):
    from django.core.validators import validate_email

    validate_email(address)  # the form would take it
    logging.getLogger("comments.services").warning("comment from %s failed", address)

    assert "comment from [email redacted] failed" in log_output.getvalue()


def test_the_redaction_filter_passes_a_malformed_record_on_instead_of_raising():
    # Too few arguments for the format: the handler's usual error report should deal with it,
    # not an exception thrown into the code that logged.
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "to %s and %s", (EMAIL,), None)

    assert RedactEmailFilter().filter(record) is True


@pytest.mark.django_db
def test_a_database_error_quoting_a_row_does_not_copy_it_into_the_log(log_output):
    from django.db import IntegrityError

    error = IntegrityError(
        'null value in column "article_id" violates not-null constraint\n'
        f"DETAIL:  Failing row contains (7, Maria, {EMAIL}, {BODY}, pending).\n"
    )
    try:
        raise error
    except IntegrityError:
        logging.getLogger("django.request").exception("Internal Server Error: /comments/post/1/")

    written = log_output.getvalue()
    assert BODY not in written and "Maria" not in written and EMAIL not in written
    assert "DETAIL: [values redacted]" in written
    assert "violates not-null constraint" in written  # the cause is still there


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_secret_link_in_an_error_is_not_written_down(client, log_output, approved_comment):
    # A status link edits or deletes its comment: whoever reads the logs must not get it.
    status_path = approved_comment.status_url

    client.get("/test/db-down-quoting/", {"link": f"{status_path}edit/"})

    written = log_output.getvalue()
    assert "/comments/status/[link redacted]/edit/" in written
    assert status_path not in written


@pytest.mark.django_db
def test_what_anyone_can_send_is_one_warning_line_without_a_traceback(client, log_output):
    traversal = client.get("/media/..%2f..%2fx", headers={"X-Request-ID": "req-media"})
    forged_host = client.get("/comments/privacy/", headers={"Host": "evil.example"})
    no_token = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "a"})

    assert [traversal.status_code, forged_host.status_code, no_token.status_code] == [400, 400, 403]
    lines = log_output.getvalue().splitlines()
    assert [line.split(" [")[0].split(" ", 2)[2] for line in lines] == [
        "WARNING django.security.SuspiciousFileOperation",
        "WARNING django.security.DisallowedHost",
        "WARNING django.security.csrf",  # still said
    ]
    assert "[req-media] The joined path" in lines[0]
    assert "Invalid HTTP_HOST header: 'evil.example'" in lines[1]
    assert "Traceback" not in log_output.getvalue()
