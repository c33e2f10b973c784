"""A reload's two waits on others, each bounded and each the operator's to set: a varnishadm
command (PROXY_VARNISHADM_TIMEOUT) and the purge of the old release's pages
(RELOAD_PURGE_TIMEOUT), 60 s each by default. `make reload` waits as long as the stack's steps
may take together, so it waits less when they are lower. The stacks that hang on them are in
test_proxy_reload_varnishadm.py and test_proxy_reload_slow_purge.py."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from deploy import serve
from deploy.origin import reload_seconds


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("PROXY_VARNISHADM_TIMEOUT", "RELOAD_PURGE_TIMEOUT", "SITE_URL", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("name", ["PROXY_VARNISHADM_TIMEOUT", "RELOAD_PURGE_TIMEOUT"])
@pytest.mark.parametrize(
    ("value", "said"), [("0", "must be at least 1, not 0"), ("soon", "must be a whole number")]
)
def test_a_bad_reload_timeout_is_refused_naming_the_variable(clean_env, name, value, said):
    clean_env.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=re.escape(f"{name} {said}")):
        serve.config()


def test_make_reload_waits_as_long_as_the_timeouts_the_stack_runs_with(clean_env):
    # GUNICORN_GRACEFUL_TIMEOUT's 30 s + 5, twice; 125 s for /healthz; five varnishadm
    # commands; the purge; 10 s of room: 565 s as deploy/README.md says.
    assert reload_seconds(35, serve.config()) == 565

    clean_env.setenv("PROXY_VARNISHADM_TIMEOUT", "10")
    clean_env.setenv("RELOAD_PURGE_TIMEOUT", "20")
    assert reload_seconds(35, serve.config()) == 35 + 125 + 5 * 10 + 35 + 20 + 10
