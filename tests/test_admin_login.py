"""The admin's sign-in: a `next` pointing off the site is refused (Django's check), and the
editor lands on the newsroom's index instead, not on a page the site does not have."""

from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.comment_fixtures import PASSWORD

OFF_SITE = ["https://evil.example/", "//evil.example/", "/\\evil.example", "http:evil.example"]


@pytest.mark.parametrize("next_url", OFF_SITE)
@pytest.mark.parametrize("sent_in", ["query", "form"])
def test_a_sign_in_sent_off_the_site_lands_on_the_admin_index(moderator, next_url, sent_in):
    credentials = {"username": moderator.username, "password": PASSWORD}
    if sent_in == "query":
        url, data = "/admin/login/?" + urlencode({"next": next_url}), credentials
    else:
        url, data = "/admin/login/", {**credentials, "next": next_url}

    response = Client().post(url, data, follow=True)

    assert response.redirect_chain == [("/admin/", 302)]
    assert response.status_code == 200
    assert "Newsroom" in response.content.decode()
