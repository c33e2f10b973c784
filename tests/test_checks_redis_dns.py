"""`check --deploy` (which `make serve` runs first) ends in bounded time when REDIS_URL names a
host whose name lookup never answers (a resolver down, a wrong search domain): it says so
instead of hanging the start."""

import subprocess
import sys
import time

from tests.test_settings_deploy import BASE_DIR, production_env

# manage.py with the resolver hanging for one name, as a DNS server that never answers.
HANGING_RESOLVER = """
import runpy, socket, sys, time
real = socket.getaddrinfo
def getaddrinfo(host, *args, **kwargs):
    if host == "redis.hangs.example":
        time.sleep(600)
    return real(host, *args, **kwargs)
socket.getaddrinfo = getaddrinfo
sys.argv = ["manage.py", *sys.argv[1:]]
runpy.run_path("manage.py", run_name="__main__")
"""


def test_check_deploy_stops_in_bounded_time_on_a_redis_host_whose_lookup_hangs():
    env = production_env(REDIS_URL="redis://:not-for-the-log@redis.hangs.example:6379/0")
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-c", HANGING_RESOLVER, "check", "--deploy"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=40,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError("check --deploy still waited on the name lookup after 40 s") from None

    assert time.monotonic() - started < 20
    assert result.returncode == 1
    assert "newsportal.E001" in result.stderr
    assert (
        "REDIS_URL is redis://:***@redis.hangs.example:6379/0, and its host "
        "'redis.hangs.example' was not resolved within 5 s." in result.stderr
    )
    assert "not-for-the-log" not in result.stdout + result.stderr
