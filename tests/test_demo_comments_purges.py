"""Loading the demo's comments on a site with a front cache: the pages are purged as the load
commits, and nothing is logged as lost on the way."""

import logging

import pytest
from django.core.management import call_command


# The load commits for real (its own transaction, whose commit sends the purges).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_loading_the_demo_comments_logs_no_purge_as_not_queued(settings, caplog):
    call_command("load_demo_content", "--no-images", "--no-user", verbosity=0)
    # Nothing listens there: each purge is sent, refused, and handed to the worker to retry.
    settings.FRONT_CACHE_PURGE_URLS = ["http://127.0.0.1:9/"]

    with caplog.at_level(logging.WARNING):
        call_command("load_demo_comments", verbosity=0)

    assert "purge not queued" not in caplog.text
