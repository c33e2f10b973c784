"""A save of the moderation policy's page that is refused (a line that is no address, a number
out of range, a change another staffer made meanwhile to the same field) writes nothing: not
the policy's row with its defaults, which the save's check of what changed meanwhile wrote
first (to have a row to lock) and left behind when the page came back with its errors, nor any
preset reason, nor a line in the history."""

import pytest
from django.contrib.admin.models import LogEntry

from comments.models import ModerationPolicy, RejectionReason
from comments.policy_services import policy_values
from tests.test_policy_changed_meanwhile import PAGE, opened


def _as_stored():
    policy = ModerationPolicy.objects.filter(pk=1).first()
    return policy and policy_values(policy), list(RejectionReason.objects.values())


@pytest.mark.parametrize(
    "refused",
    [
        {"blocked_emails": "not an address"},
        {"link_limit": "-1"},
        {"rejection_reasons-0-text": ""},
    ],
)
def test_a_first_save_refused_leaves_the_policy_unsaved(superuser_client, refused):
    page = opened(superuser_client, **refused)
    presets = list(RejectionReason.objects.values())

    response = superuser_client.post(PAGE, page)

    assert response.status_code == 200 and "Please correct the error" in response.content.decode()
    assert not ModerationPolicy.objects.exists()  # still the defaults, unsaved
    assert list(RejectionReason.objects.values()) == presets
    assert not LogEntry.objects.exists()


def test_a_first_save_clashing_with_anothers_writes_nothing_of_its_own(
    superuser_client, django_user_model, client
):
    ann, ben = superuser_client, client
    ben.force_login(django_user_model.objects.create_superuser("ben", "ben@newsroom.example"))
    anns_page = opened(ann, blocked_words="free money", link_limit="4")
    assert ben.post(PAGE, opened(ben, blocked_words="buy followers")).status_code == 302
    theirs = _as_stored()

    response = ann.post(PAGE, anns_page)

    assert response.status_code == 200 and "Not saved" in response.content.decode()
    assert _as_stored() == theirs
    assert not LogEntry.objects.exclude(user__username="ben").exists()
