"""Rotating DJANGO_SECRET_KEY with the old key in DJANGO_SECRET_KEY_FALLBACKS: links mailed before
still open, an address erased before stays known by its keyed hash (its blocks, its owner's stop
of all mail), and a reader who reported a comment before still counts once."""

import pytest
from django.core import signing
from django.urls import reverse

from comments import links
from comments.desk import block_sender, report_comment
from comments.models import Block, Comment, CommenterAddress, ModerationPolicy
from comments.policy_services import update_policy
from comments.privacy import erase_comments
from comments.tokens import STATUS_SALT, status_token
from tests.test_commenter_privacy import mailed_to
from tests.test_settings_deploy import manage, production_env

OLD = "old-" + "o" * 50
NEW = "new-" + "n" * 50
EMAIL = "maria@example.com"


def _rotate(settings, *, keep_old: bool) -> None:
    settings.SECRET_KEY = NEW
    settings.SECRET_KEY_FALLBACKS = [OLD] if keep_old else []


def test_links_mailed_before_a_rotation_open_while_the_old_key_is_a_fallback(
    reader, article, make_comment, settings
):
    settings.SECRET_KEY = OLD
    comment = make_comment(article, email=EMAIL)
    address = CommenterAddress.objects.claim(EMAIL)
    status = reverse("comments:status", args=[status_token(comment)])
    erase = links.privacy_url(address.pk, "erase").removeprefix(settings.SITE_URL)

    _rotate(settings, keep_old=True)
    assert reader.get(status).status_code == 200
    assert reader.get(erase).status_code == 200

    _rotate(settings, keep_old=False)
    assert reader.get(status).status_code == 404
    assert reader.get(erase).status_code == 404


def test_an_address_erased_before_a_rotation_stays_blocked_and_unmailed(
    article, make_comment, moderator, submit, settings
):
    settings.SECRET_KEY = OLD
    make_comment(article, email=EMAIL)
    block_sender(kind="email", value=EMAIL, period="forever", by=moderator)
    policy = ModerationPolicy.current()
    policy.blocked_emails = EMAIL
    update_policy(policy=policy)
    address = CommenterAddress.objects.claim(EMAIL)
    CommenterAddress.objects.filter(pk=address.pk).update(mail_stopped_at=address.created_at)
    erase_comments(email=EMAIL)

    _rotate(settings, keep_old=True)

    back = submit(article, email=EMAIL, notify=True)
    assert back.status == Comment.Status.SPAM
    assert "E-mail address blocked by a moderator" in back.held_because
    assert "blocked e-mail address" in back.held_because  # the policy's list
    assert Block.objects.matching("email", EMAIL).count() == 1  # the commenter's page
    assert mailed_to(EMAIL) == []  # not even a confirmation
    assert CommenterAddress.objects.stopped(EMAIL).exists()
    assert CommenterAddress.objects.claim(EMAIL).mail_stopped_at is not None  # its stop
    assert CommenterAddress.objects.count() == 1


def test_without_the_old_key_an_erased_address_is_no_longer_known(
    article, make_comment, moderator, submit, settings
):
    # What DJANGO_SECRET_KEY_FALLBACKS is for (deploy/README.md says so).
    settings.SECRET_KEY = OLD
    make_comment(article, email=EMAIL)
    block_sender(kind="email", value=EMAIL, period="forever", by=moderator)
    erase_comments(email=EMAIL)

    _rotate(settings, keep_old=False)

    assert submit(article, email=EMAIL).status != Comment.Status.SPAM


def test_a_leaked_key_kept_for_hashes_only_keeps_erased_addresses_known_and_opens_no_link(
    reader, article, make_comment, moderator, submit, settings
):
    settings.SECRET_KEY = OLD
    comment = make_comment(article, email=EMAIL)
    status = reverse("comments:status", args=[status_token(comment)])
    block_sender(kind="email", value=EMAIL, period="forever", by=moderator)
    erase_comments(email=EMAIL)

    _rotate(settings, keep_old=False)
    settings.SECRET_KEYS_HASH_ONLY = [OLD]

    assert reader.get(status).status_code == 404  # what the leaked key signed is not believed
    back = submit(article, email=EMAIL)
    assert back.status == Comment.Status.SPAM
    assert "E-mail address blocked by a moderator" in back.held_because


def test_a_reader_who_reported_before_a_rotation_counts_once(approved_comment, settings):
    settings.SECRET_KEY = OLD
    assert report_comment(comment=approved_comment, reason="spam", ip="198.51.100.7")

    _rotate(settings, keep_old=True)

    assert not report_comment(comment=approved_comment, reason="spam", ip="198.51.100.7")
    assert report_comment(comment=approved_comment, reason="spam", ip="198.51.100.8")
    assert approved_comment.reports.count() == 2


def _status_link_opens(token: str, **env) -> str:
    code = f"from comments.tokens import comment_id_from_token as f; print(f({token!r}))"
    result = manage("shell", "-v", "0", "-c", code, env=production_env(**env))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_variable_gives_django_its_fallback_keys_and_empty_entries_are_ignored():
    token = signing.dumps(7, salt=STATUS_SALT, key=OLD)

    assert _status_link_opens(token, DJANGO_SECRET_KEY=NEW) == "None"
    fallbacks = f" , other-{'x' * 50},{OLD} ,,"
    assert _status_link_opens(token, DJANGO_SECRET_KEY=NEW, DJANGO_SECRET_KEY_FALLBACKS=OLD) == "7"
    got = _status_link_opens(token, DJANGO_SECRET_KEY=NEW, DJANGO_SECRET_KEY_FALLBACKS=fallbacks)
    assert got == "7"


@pytest.mark.parametrize(
    "variable", ["DJANGO_SECRET_KEY_FALLBACKS", "DJANGO_SECRET_KEYS_HASH_ONLY"]
)
def test_the_new_key_listed_among_the_old_ones_stops_start_up_naming_the_variable(variable):
    result = manage(
        "check", env=production_env(DJANGO_SECRET_KEY=NEW, **{variable: f"{OLD},{NEW}"})
    )

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable} must hold the keys used before" in result.stderr


def test_check_deploy_warns_of_a_weak_fallback_key():
    env = production_env(DJANGO_SECRET_KEY=NEW, DJANGO_SECRET_KEY_FALLBACKS="short")
    result = manage("check", "--deploy", env=env)

    assert "security.W025" in result.stderr
    assert "SECRET_KEY_FALLBACKS[0]" in result.stderr
