"""A story's changes are not lost without a word: leaving the changed form (a link, History, the
sidebar) is asked about first, and a save after the editor was signed out keeps the page as it
is and says how to sign in again, after which Save saves it."""

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from articles.models import Article, LiveUpdate
from tests.browser.helpers import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser

ADDED = " Updated at noon: the plant opens in May."
SIGNED_OUT = (
    "You are signed out: your changes are not saved yet. Sign in again in a new tab, "
    "then press Save again."
)


@pytest.fixture
def editing(page, article, django_user_model):
    """Sam signed in, the story's form open; the browser's questions are kept in `asked`, each
    answered with page.answer ("dismiss": stay; "accept": leave)."""
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.wait_for_load_state("load")
    page.asked = []
    page.answer = "dismiss"

    def on_dialog(dialog):
        page.asked.append(dialog.type)
        dialog.dismiss() if page.answer == "dismiss" else dialog.accept()

    page.on("dialog", on_dialog)
    return page


def _type_into_body(page, text):
    # Typed by hand (clicks and keys): a browser asks before leaving only a page a person used.
    body = page.locator("#id_body")
    body.click()
    body.press("ControlOrMeta+End")
    page.keyboard.type(text)


def _wait_for_question(page):
    for _ in range(100):
        if page.asked:
            return
        page.wait_for_timeout(50)


def test_leaving_a_changed_story_is_asked_about_and_staying_keeps_the_changes(editing, article):
    page = editing
    _type_into_body(page, ADDED)

    page.get_by_role("link", name="Add a correction").click()
    _wait_for_question(page)

    assert page.asked == ["beforeunload"]
    expect(page).to_have_url(re.compile(rf"/admin/articles/article/{article.pk}/change/$"))
    expect(page.locator("#id_body")).to_have_value(article.body + ADDED)

    page.answer = "accept"
    page.get_by_role("link", name="History").click()
    expect(page).to_have_url(re.compile(rf"/admin/articles/article/{article.pk}/history/$"))
    assert page.asked == ["beforeunload", "beforeunload"]
    assert Article.objects.get(pk=article.pk).body == article.body


def test_leaving_an_unchanged_story_is_not_asked_about(editing, article):
    page = editing
    page.locator("#id_body").click()  # looked at, not changed

    page.get_by_role("link", name="Add a correction").click()

    expect(page).to_have_url(re.compile(r"/admin/articles/correction/add/\?article="))
    assert page.asked == []


def test_saving_a_changed_story_is_not_asked_about(editing, article):
    page = editing
    _type_into_body(page, ADDED)

    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert page.asked == []
    assert Article.objects.get(pk=article.pk).body == article.body + ADDED
    page.get_by_role("link", name="History").click()  # saved: nothing to ask about
    expect(page).to_have_url(re.compile(r"/history/$"))
    assert page.asked == []


def test_a_save_after_signing_out_elsewhere_keeps_the_changes_until_signed_in_again(
    editing, article, snap
):
    page = editing
    _type_into_body(page, ADDED)
    elsewhere = page.context.new_page()  # another tab: same cookies
    elsewhere.goto("/admin/")
    elsewhere.get_by_role("button", name="Log out").click()
    expect(elsewhere.get_by_role("heading", name="Logged out")).to_be_visible()
    elsewhere.close()

    page.get_by_role("button", name="Save", exact=True).click()

    note = page.get_by_role("alert")
    expect(note).to_have_text(SIGNED_OUT)
    expect(page).to_have_url(re.compile(rf"/admin/articles/article/{article.pk}/change/$"))
    expect(page.locator("#id_body")).to_have_value(article.body + ADDED)
    assert Article.objects.get(pk=article.pk).body == article.body
    snap("signed-out-note")

    with page.expect_popup() as opened:
        note.get_by_role("link", name="Sign in again in a new tab").click()
    login = opened.value
    expect(login).to_have_url(re.compile(r"/admin/login/"))
    login.get_by_label("Username").fill("sam")
    login.get_by_label("Password").fill(PASSWORD)
    login.get_by_role("button", name="Log in").click()
    expect(login.locator("#site-name")).to_be_visible()
    login.close()

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert Article.objects.get(pk=article.pk).body == article.body + ADDED
    assert page.asked == []


def test_a_save_goes_as_before_when_the_sign_in_check_has_no_answer(editing, article, watch):
    page = editing
    page.route("**/admin/signed-in/", lambda route: route.abort())
    _type_into_body(page, ADDED)

    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert Article.objects.get(pk=article.pk).body == article.body + ADDED
    # The check's failure was made on purpose.
    watch.problems = [problem for problem in watch.problems if "signed-in" not in problem]


def test_a_live_update_typed_after_the_session_ended_stays_on_the_page(editing, article):
    page = editing
    page.goto(f"/admin/articles/liveupdate/add/?article={article.pk}")
    page.get_by_label("Update:", exact=True).fill("The plant's doors open at nine.")
    Session.objects.all().delete()  # expired, or signed out elsewhere

    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("alert")).to_have_text(SIGNED_OUT)
    expect(page.get_by_label("Update:", exact=True)).to_have_value(
        "The plant's doors open at nine."
    )
    assert not LiveUpdate.objects.exists()


def test_the_sign_in_check_is_never_cached_and_gives_a_token_only_to_an_editor(editing):
    signed_in = editing.request.get("/admin/signed-in/")
    assert signed_in.status == 200
    assert "no-store" in signed_in.headers["cache-control"]
    assert signed_in.json()["signed_in"] is True and signed_in.json()["csrf_token"]

    editing.context.clear_cookies()
    stranger = editing.request.get("/admin/signed-in/")
    assert stranger.status == 200
    assert "no-store" in stranger.headers["cache-control"]
    assert stranger.json() == {"signed_in": False, "login_url": "/admin/login/"}
