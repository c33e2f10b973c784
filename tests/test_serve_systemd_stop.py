"""A systemd unit gives the stack TimeoutStopSec to stop (deploy/README.md's gives 45 s) before it
kills what is left (KillMode=mixed): gunicorn's graceful stop (GUNICORN_GRACEFUL_TIMEOUT) must
end before that, or the requests it holds are cut at every stop and restart. serve.py says so at
its start, naming the variable and the unit's setting to raise. Units as in
tests/systemd_units.py, a serve.py whose gunicorn cannot load its app (it stops at once)."""

import re
from pathlib import Path

from tests.test_reload_systemd_shell import WITH_EXEC, start

BASE_DIR = Path(__file__).resolve().parent.parent
# The unit deploy/README.md gives ("Under systemd").
README_STOP = re.search(
    r"^TimeoutStopSec=(\d+)$", (BASE_DIR / "deploy/README.md").read_text(), re.M
)


def test_serve_says_at_its_start_that_the_unit_would_cut_gunicorn_s_graceful_stop(
    tmp_path, systemd
):
    unit, _, err = start(
        tmp_path, systemd, WITH_EXEC, stop_timeout="45s", GUNICORN_GRACEFUL_TIMEOUT="60"
    )

    assert (
        f"serve: GUNICORN_GRACEFUL_TIMEOUT=60 does not fit {unit}'s TimeoutStopSec=45s: at each "
        "stop and restart systemd kills the stack after 45s, before gunicorn has had its 60 s to "
        "finish the requests it holds (they are cut). Set TimeoutStopSec=75 or more in the unit "
        "(deploy/README.md, 'Under systemd') and run systemctl daemon-reload, or lower "
        "GUNICORN_GRACEFUL_TIMEOUT"
    ) in err, err


def test_the_unit_deploy_readme_gives_fits_the_default_graceful_timeout(tmp_path, systemd):
    _, _, err = start(tmp_path, systemd, WITH_EXEC, stop_timeout=f"{README_STOP[1]}s")

    assert "TimeoutStopSec" not in err, err


def test_a_unit_with_no_stop_timeout_is_said_nothing(tmp_path, systemd):
    _, _, err = start(
        tmp_path, systemd, WITH_EXEC, stop_timeout="infinity", GUNICORN_GRACEFUL_TIMEOUT="600"
    )

    assert "TimeoutStopSec" not in err, err
