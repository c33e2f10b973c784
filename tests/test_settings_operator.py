"""What an operator sees when DATABASE_URL or REDIS_URL is wrong in the variables' file: start-up
stops with a message naming the variable and the form it takes, never the password a URL holds."""

import pytest

from tests.test_settings_deploy import manage, production_env


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # A placeholder left blank (`DATABASE_URL=`): taken for the default, the site would
        # start on an empty SQLite file in the checkout.
        (
            "",
            "DATABASE_URL is set empty: give the database's URL, like "
            "postgres://user:password@host:5432/name, or leave it unset for the SQLite file",
        ),
        (
            "newsportal",
            "DATABASE_URL is not a valid database URL (it has no scheme): give one like "
            "postgres://user:password@host:5432/name or sqlite:////srv/newsportal/db.sqlite3",
        ),
    ],
)
def test_a_database_url_without_one_stops_start_up_saying_what_it_takes(value, expected):
    result = manage("check", env=production_env(DATABASE_URL=value))

    assert result.returncode != 0
    assert expected in result.stderr
    # Before, both spoke of a "Scheme '://'" and listed every backend Django knows.
    assert "mssql" not in result.stderr


def test_a_misspelt_database_url_never_shows_its_password():
    url = "postgress://newsportal:hunter2-not-for-logs@db.internal:5432/newsportal"
    result = manage("check", env=production_env(DATABASE_URL=url))

    assert result.returncode != 0
    assert "no database is known by postgress://" in result.stderr
    assert "hunter2-not-for-logs" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # redis-py took any path that is no number for database 0: perhaps another site's, whose
        # keys share our default CACHE_KEY_PREFIX (fragments, rate limits, purges mixed).
        (
            "redis://cache.internal:6379/O",
            "REDIS_URL must name its database by number, like redis://host:6379/0, not 'O'",
        ),
        ("redis://cache.internal:6379/?db=one", "REDIS_URL: Invalid value for 'db'"),
    ],
)
def test_a_redis_url_naming_no_database_stops_start_up(value, expected):
    result = manage("check", env=production_env(REDIS_URL=value))

    assert result.returncode != 0
    assert expected in result.stderr


@pytest.mark.parametrize(
    "value",
    [
        "redis://cache.internal:6379",
        "redis://cache.internal:6379/7/",
        "rediss://:p%40ss@cache.internal:6380/3?ssl_cert_reqs=none",
        "unix:///run/redis/redis-server.sock?db=2",
    ],
)
def test_a_redis_url_in_any_form_redis_takes_starts(value):
    result = manage("check", env=production_env(REDIS_URL=value))

    assert result.returncode == 0, result.stderr
