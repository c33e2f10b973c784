"""What gunicorn gets from the stack's environment (deploy/README.md, below "Tunables"): all of
it, with serve.py's own choices set over it (tests/test_serve.py), since the site is configured
from its environment and not only by README's variables; but two that gunicorn reads itself,
and which would undo the stack, stop serve.py naming them, before anything starts."""

import pytest

from deploy import serve
from tests.test_serve import run_serve


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        # Gunicorn's options over gunicorn.conf.py's: it listened on every address, where
        # readers reach Django past Varnish's cache, throttles and body limits.
        (
            "GUNICORN_CMD_ARGS",
            "--bind 0.0.0.0:8001",
            "GUNICORN_CMD_ARGS is set ('--bind 0.0.0.0:8001'): gunicorn would take its options "
            "over gunicorn.conf.py's",
        ),
        # The site mounted under /news: every link Django drew, in shared pages too, moved.
        (
            "SCRIPT_NAME",
            "/news",
            "SCRIPT_NAME is set ('/news'): gunicorn would mount the site under it",
        ),
    ],
)
def test_a_variable_gunicorn_reads_that_would_undo_the_stack_stops_it_naming_it(name, value, said):
    for option in ("--check", "--can-start", "--print-vcl"):
        refused = run_serve(option, **{name: value})

        assert refused.returncode == 2, option
        assert refused.stderr.startswith(f"serve: {said}"), refused.stderr
        assert len(refused.stderr.splitlines()) == 1


def test_set_empty_they_are_not_refused():
    served = run_serve("--print-vcl", GUNICORN_CMD_ARGS="", SCRIPT_NAME="")

    assert served.returncode == 0, served.stderr


def test_gunicorn_gets_what_a_deployment_sets_for_the_libraries_beneath_the_site(monkeypatch):
    # In no table of README's, read beneath the site: libpq (a database that wants TLS with a
    # CA of its own), OpenSSL (an SMTP relay's CA), the C library (the time zone). A list of
    # the variables gunicorn may have would drop them without a word.
    kept = {
        "PGSSLROOTCERT": "/etc/ssl/db-ca.pem",
        "SSL_CERT_FILE": "/etc/ssl/relay-ca.pem",
        "TZ": "Europe/Lisbon",
    }
    for name, value in kept.items():
        monkeypatch.setenv(name, value)

    env = serve.gunicorn_env(serve.config())

    assert {name: env[name] for name in kept} == kept


def test_script_name_in_the_variables_file_stops_the_start_naming_the_file(tmp_path):
    # NEWSPORTAL_ENV_FILE is read by the settings, in gunicorn's master (preload_app): past
    # serve.py's refusal, into the environment gunicorn reads SCRIPT_NAME from at each request.
    variables = tmp_path / "newsportal.env"
    variables.write_text(f"DJANGO_SECRET_KEY={'k' * 50}\nSCRIPT_NAME=/news\n")
    database = f"sqlite:///{tmp_path / 'site.sqlite3'}"

    refused = run_serve("--check", NEWSPORTAL_ENV_FILE=str(variables), DATABASE_URL=database)

    assert refused.returncode != 0
    assert (
        f"SCRIPT_NAME is set ('/news') in {variables} (NEWSPORTAL_ENV_FILE): gunicorn would "
        "mount the site under it"
    ) in refused.stderr
