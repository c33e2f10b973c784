"""Editors of the newsroom, each signed in in a browser of their own: the desk chief (Dana)
and a sub-editor (Sam), for the tests of two editors on one story; and the desk, an editor
with the Editors group's rights alone."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client


def signed_in_editor(username: str, first_name: str) -> Client:
    user = get_user_model().objects.create_superuser(username, f"{username}@example.com", "pw")
    user.first_name = first_name
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def chief(db):
    return signed_in_editor("chief", "Dana")


@pytest.fixture
def sub(db):
    return signed_in_editor("sub", "Sam")


@pytest.fixture
def desk(db):
    """Staff in the Editors group, as the newsroom's editors are."""
    client = Client()
    user = Group.objects.get(name="Editors").user_set.create(username="desk", is_staff=True)
    client.force_login(user)
    return client
