"""Two staff members on the moderation policy: a page opened before someone else's change (or
a commenter's erase) never undoes it unseen, and the staffer's own changes are never lost."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client

from comments.models import Comment, ModerationPolicy, RejectionReason, erased_email
from comments.policy_services import update_policy
from comments.privacy import erase_comments
from tests.page_forms import FormScraper

PAGE = "/admin/comments/moderationpolicy/1/change/"


class Browser(FormScraper):
    """The policy's form as a browser posts it back: a ticked box without a value sends "on",
    and a text box loses the line break that follows its tag."""

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self._form["fields"][attrs["name"]] = attrs.get("value") or "on"


def opened(client, **changes) -> dict:
    """The page as the staffer's browser drew it now, to be posted later with their changes."""
    browser = Browser()
    browser.feed(client.get(PAGE).content.decode())
    fields = browser.forms["moderationpolicy_form"]["fields"]
    fields = {name: value.removeprefix("\n") for name, value in fields.items()}
    return {name: value for name, value in fields.items() if "__prefix__" not in name} | changes


def shown_again(response) -> dict:
    """The page the staffer got back, as their browser posts it when they save again."""
    browser = Browser()
    browser.feed(response.content.decode())
    fields = browser.forms["moderationpolicy_form"]["fields"]
    return {n: v.removeprefix("\n") for n, v in fields.items() if "__prefix__" not in n}


@pytest.fixture
def staffers(django_user_model):
    def signed_in(name):
        user = django_user_model.objects.create_superuser(name, f"{name}@newsroom.example", "pw")
        client = Client()
        client.force_login(user)
        return client

    return signed_in("ann"), signed_in("ben")


@pytest.fixture
def policy(db):
    return update_policy(policy=ModerationPolicy(blocked_emails="troll@example.net"))


def _said(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_a_page_opened_before_a_blocked_word_and_an_erase_keeps_both(
    staffers, policy, article, make_comment
):
    ann, ben = staffers
    make_comment(article, email="troll@example.net", status="spam")
    anns_page = opened(ann, link_limit="3")
    assert ben.post(PAGE, opened(ben, blocked_words="buy followers")).status_code == 302
    erase_comments(email="troll@example.net")

    response = ann.post(PAGE, anns_page, follow=True)

    policy = ModerationPolicy.objects.get()
    assert policy.link_limit == 3
    assert policy.blocked_words == "buy followers"
    assert policy.blocked_emails == erased_email("troll@example.net")
    said = _said(response)
    assert "changed since you opened this page" in said and "by ben at" in said
    assert "Blocked words (kept)" in said
    assert "troll@example.net" not in response.content.decode()


def test_a_word_taken_out_meanwhile_stays_out(staffers, db):
    update_policy(policy=ModerationPolicy(blocked_words="casino\nloans"))
    ann, ben = staffers
    anns_page = opened(ann, link_limit="5")
    assert ben.post(PAGE, opened(ben, blocked_words="casino")).status_code == 302

    assert ann.post(PAGE, anns_page).status_code == 302

    policy = ModerationPolicy.objects.get()
    assert (policy.blocked_words, policy.link_limit) == ("casino", 5)


def test_the_history_names_only_what_the_save_changed(staffers, policy):
    ann, ben = staffers
    anns_page = opened(ann, link_limit="4")
    ben.post(PAGE, opened(ben, moderation_words="crypto"))

    ann.post(PAGE, anns_page)

    entry = LogEntry.objects.filter(user__username="ann").get()
    assert "Link limit" in entry.get_change_message()
    assert "Moderation words" not in entry.get_change_message()


def test_both_changing_the_same_list_is_refused_with_the_words_kept(staffers, policy):
    ann, ben = staffers
    anns_page = opened(ann, blocked_words="free money")
    ben.post(PAGE, opened(ben, blocked_words="buy followers"))

    response = ann.post(PAGE, anns_page)

    assert response.status_code == 200
    assert ModerationPolicy.objects.get().blocked_words == "buy followers"
    page = response.content.decode()
    assert "Not saved" in page and "by ben at" in page
    assert "now reads “buy followers”" in page
    again = shown_again(response)
    assert again["blocked_words"] == "free money"

    assert ann.post(PAGE, again).status_code == 302  # read theirs, and saved again: replaced
    assert ModerationPolicy.objects.get().blocked_words == "free money"


def test_a_refused_page_shows_what_others_changed_elsewhere_as_it_is_now(staffers, policy):
    ann, ben = staffers
    anns_page = opened(ann, blocked_words="free money")
    ben.post(PAGE, opened(ben, blocked_words="buy followers", link_limit="7"))

    again = shown_again(ann.post(PAGE, anns_page))
    assert ann.post(PAGE, again).status_code == 302

    policy = ModerationPolicy.objects.get()
    assert (policy.blocked_words, policy.link_limit) == ("free money", 7)


def test_an_address_erased_meanwhile_never_comes_back_in_clear(
    staffers, policy, article, make_comment
):
    ann, _ = staffers
    make_comment(article, email="troll@example.net", status="spam")
    anns_page = opened(ann, blocked_emails="troll@example.net\nspam@junk.example")
    erase_comments(email="troll@example.net")

    response = ann.post(PAGE, anns_page)

    assert response.status_code == 200  # both changed the list: refused, said
    assert ModerationPolicy.objects.get().blocked_emails == erased_email("troll@example.net")
    assert ann.post(PAGE, shown_again(response)).status_code == 302
    lines = ModerationPolicy.objects.get().blocked_emails.splitlines()
    assert lines == [erased_email("troll@example.net"), "spam@junk.example"]
    assert not Comment.objects.filter(email="troll@example.net").exists()


def test_a_preset_reason_edited_meanwhile_keeps_its_new_words(staffers, policy):
    ann, ben = staffers
    anns_page = opened(ann, link_limit="3")
    reason = RejectionReason.objects.first()
    ben.post(PAGE, opened(ben, **{"rejection_reasons-0-text": "Keep to the story, please."}))

    assert ann.post(PAGE, anns_page).status_code == 302

    reason.refresh_from_db()
    assert reason.text == "Keep to the story, please."
    assert ModerationPolicy.objects.get().link_limit == 3


def test_both_editing_the_preset_reasons_is_refused(staffers, policy):
    ann, ben = staffers
    anns_page = opened(ann, **{"rejection_reasons-0-label": "Astray"})
    ben.post(PAGE, opened(ben, **{"rejection_reasons-0-text": "Keep to the story, please."}))

    response = ann.post(PAGE, anns_page)

    assert response.status_code == 200
    assert "preset rejection reasons were changed" in response.content.decode()
    assert RejectionReason.objects.first().text == "Keep to the story, please."
    assert ann.post(PAGE, shown_again(response)).status_code == 302
    assert RejectionReason.objects.first().label == "Astray"
