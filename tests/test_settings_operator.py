"""What an operator sees when DATABASE_URL is wrong in the variables' file: start-up stops with a
message naming the variable and the form it takes, never the password the URL holds."""

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
