"""The screen: why a comment is held (shown to moderators), and what goes straight to spam."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from comments.models import Comment, ModerationPolicy
from comments.policy_services import update_policy
from comments.services import approve
from tests.mail_helpers import verify


@pytest.fixture
def policy(db):
    return ModerationPolicy.objects.create(
        link_limit=2,
        moderation_words="crypto\nget rich",
        blocked_words="viagra",
        blocked_emails="spammer@example.com\n@junk.example",
        blocked_ips="192.0.2.66",
    )


def test_a_first_time_commenter_waits_with_that_reason(submit, article):
    comment = submit(article)

    assert comment.status == Comment.Status.PENDING
    assert comment.held_because == ["first-time commenter"]


def test_links_at_or_above_the_limit_are_a_reason(submit, article, policy):
    comment = submit(article, body="See https://a.example and www.b.example for more")

    assert "2 links (held at 2 or more)" in comment.held_because


def test_a_word_from_the_moderation_list_is_a_reason(submit, article, policy):
    comment = submit(article, body="Buy CRYPTO now and get rich quick")

    assert "moderation word “crypto”" in comment.held_because
    assert "moderation word “get rich”" in comment.held_because


def test_a_phrase_is_not_made_of_the_end_of_a_name_and_the_start_of_a_comment(
    submit, article, policy
):
    comment = submit(article, name="Ann Get", body="Rich countries buy more cars.")

    assert not any("get rich" in reason for reason in comment.held_because)


@pytest.mark.parametrize(
    "fields",
    [
        {"body": "Cheap Viagra here"},
        {"email": "spammer@example.com"},
        {"email": "anyone@junk.example"},
        {"ip": "192.0.2.66"},
    ],
)
def test_the_block_list_sends_a_comment_straight_to_spam(submit, article, policy, fields):
    comment = submit(article, **fields)

    assert comment.status == Comment.Status.SPAM
    assert comment.held_because[0].startswith("blocked")


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"ip": "198.51.100.77"}, Comment.Status.SPAM),  # in the network
        ({"ip": "198.51.101.1"}, Comment.Status.PENDING),
        ({"ip": "2001:db8::777"}, Comment.Status.SPAM),  # written out in full in the list
        ({"email": "five@mail.junk.example"}, Comment.Status.SPAM),  # under the domain
        ({"email": "five@notjunk.example"}, Comment.Status.PENDING),
        ({"ip": "192.0.2.200"}, Comment.Status.SPAM),  # listed as dual-stack logs write it
    ],
)
def test_blocked_networks_and_domains_hold_everyone_under_them(
    submit, article, policy, fields, status
):
    policy.blocked_ips += "\n198.51.100.0/24\n2001:0DB8:0000:0000:0000:0000:0000:0777"
    policy.blocked_ips += "\n::ffff:192.0.2.200"
    update_policy(policy=policy)

    assert submit(article, **fields).status == status


def test_a_phrase_is_found_however_its_words_are_spaced(submit, article, policy):
    comment = submit(article, body="You will GET   rich\nquickly, they say.")

    assert "moderation word “get rich”" in comment.held_because


@pytest.mark.parametrize(
    "body",
    [
        "Cheap vi\u200bagra here",  # a zero-width space
        "Cheap vi\u00adagra here",  # a soft hyphen
        "Cheap via\u2060gra here",  # a word joiner
        "Cheap ｖｉａｇｒａ here",  # full-width letters
        "Cheap vi\u0430gr\u0430 here",  # Cyrillic "а" for the Latin "a"
        "Cheap V\u0406\u0410GR\u0410 here",  # Cyrillic capitals "І" and "А"
        "Cheap v\u0456agr\u03b1 here",  # Cyrillic "і", Greek "α"
    ],
)
def test_a_blocked_word_hidden_by_invisible_or_look_alike_characters_is_still_blocked(
    submit, article, policy, body
):
    comment = submit(article, body=body)

    assert comment.status == Comment.Status.SPAM
    assert comment.body == body  # kept as written, for the moderator to see


def test_text_in_other_scripts_is_not_taken_for_a_blocked_word_it_does_not_show(
    submit, article, policy
):
    policy.blocked_words = "viagra\nказино\ncop"
    update_policy(policy=policy)

    russian = submit(article, email="ivan@example.com", body="Хорошая статья, спасибо.")
    greek = submit(article, email="eleni@example.com", body="Ευχαριστώ για το άρθρο.")
    numbers = submit(article, email="sam@example.com", body="It cost 10 000 dollars in 2024.")
    cyrillic_word = submit(article, email="oleg@example.com", body="Лучшее КАЗИНО онлайн")

    assert [russian.status, greek.status, numbers.status] == [Comment.Status.PENDING] * 3
    assert cyrillic_word.status == Comment.Status.SPAM  # a word listed in Cyrillic finds itself
    assert "blocked word “казино”" in cyrillic_word.held_because


@pytest.mark.parametrize(
    ("field", "line", "said"),
    [
        ("blocked_ips", "203.0.113.0/33", "“203.0.113.0/33” is not an IP address or network"),
        ("blocked_ips", "spammer.example", "“spammer.example” is not an IP address or network"),
        ("blocked_ips", "0.0.0.0/0", "“0.0.0.0/0” is wider than a /8: it would send the"),
        ("blocked_ips", "96.0.0.0/4", "“96.0.0.0/4” is wider than a /8"),
        ("blocked_ips", "::/0", "“::/0” is wider than a /16"),
        ("blocked_ips", "::ffff:0:0/96", "“::ffff:0:0/96” is wider than a /8"),
        ("blocked_ips", "2000::/3", "“2000::/3” is wider than a /16"),
        ("blocked_emails", "junk.example", "“junk.example” is neither an e-mail address nor"),
        ("blocked_emails", "*@junk.example", "“*@junk.example” is neither an e-mail address"),
        ("blocked_emails", "a@x.example, b@y.example", "“a@x.example, b@y.example” is neither"),
        ("blocked_emails", "@junk", "“@junk” is neither an e-mail address nor"),
    ],
)
def test_a_block_list_line_that_could_never_match_is_refused_by_name(policy, field, line, said):
    setattr(policy, field, f"{getattr(policy, field)}\n{line}")

    with pytest.raises(ValidationError) as refused:
        update_policy(policy=policy)

    assert said in refused.value.message_dict[field][0]
    assert line not in ModerationPolicy.lines(getattr(ModerationPolicy.objects.get(), field))


def test_a_block_of_a_network_as_wide_as_the_check_allows_is_kept(policy):
    policy.blocked_ips = "12.0.0.0/8\n2001::/16"
    update_policy(policy=policy)

    assert ModerationPolicy.lines(ModerationPolicy.objects.get().blocked_ips) == [
        "12.0.0.0/8",
        "2001::/16",
    ]


def test_returning_commenters_still_wait_by_default(submit, article, make_comment):
    make_comment(article, email="maria@example.com", status=Comment.Status.APPROVED)

    comment = submit(article)

    assert comment.status == Comment.Status.PENDING
    assert comment.held_because == []


def post(client, article, data):
    response = client.post(reverse("comments:post", args=[article.pk]), data)
    assert response.status_code == 302
    return response


@pytest.fixture(autouse=True)
def no_flood_limit(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0  # two comments a moment apart, as a test sends them


def test_the_policy_can_auto_approve_a_returning_commenter_and_the_count_follows(
    article, comment_form_data, moderator
):
    ModerationPolicy.objects.create(auto_approve_returning=True)
    marias_browser = Client(REMOTE_ADDR="198.51.100.7")
    first = post(marias_browser, article, comment_form_data(article, body="My first words here."))
    # The browser's proof goes only to the comment endpoints, never to a shared page.
    proof = first.cookies["comments_written"]
    assert (proof["path"], proof["httponly"], proof["samesite"]) == ("/comments/", True, "Lax")
    approve(comment=Comment.objects.get(), by=moderator)
    verify("maria@example.com")  # only a confirmed address skips the queue

    post(marias_browser, article, comment_form_data(article, email="Maria@Example.com"))

    assert Comment.objects.latest("pk").status == Comment.Status.APPROVED
    article.refresh_from_db()
    assert article.approved_comment_count == 2


def test_a_returning_commenter_approved_at_once_is_not_told_it_waits_for_a_review(
    article, comment_form_data, moderator
):
    ModerationPolicy.objects.create(auto_approve_returning=True)
    marias_browser = Client(REMOTE_ADDR="198.51.100.7")
    first = comment_form_data(article, body="My first words here.")
    waits = marias_browser.post(reverse("comments:post", args=[article.pk]), first, follow=True)
    assert "We will review it in the next few hours." in waits.content.decode()
    approve(comment=Comment.objects.get(), by=moderator)
    verify("maria@example.com")

    answer = marias_browser.post(
        reverse("comments:post", args=[article.pk]), comment_form_data(article), follow=True
    )

    page = answer.content.decode()
    assert Comment.objects.latest("pk").status == Comment.Status.APPROVED
    assert "Comment sent successfully! It is published." in page
    assert "We will review it" not in page and "Follow the review" not in page
    assert 'Edit or delete it on its <a class="comment-status-link"' in page


def test_a_regulars_address_typed_in_another_browser_still_waits(
    article, comment_form_data, moderator, make_comment
):
    ModerationPolicy.objects.create(auto_approve_returning=True)
    make_comment(article, email="maria@example.com", status=Comment.Status.APPROVED)
    verify("maria@example.com")
    impostor = Client(REMOTE_ADDR="192.0.2.50")
    # Even a browser that wrote with her address before, but never an approved comment.
    post(impostor, article, comment_form_data(article, body="Pretending to be Maria."))

    post(impostor, article, comment_form_data(article, body="Buy my pills, says Maria."))

    assert Comment.objects.filter(name="Maria Lopez", status="pending").count() == 2
    assert Comment.objects.approved().count() == 1
    # The moderator is told why the regular's address did not skip the queue.
    assert "a regular's address, from another browser" in Comment.objects.latest("pk").held_because


def test_a_regulars_browser_proves_only_her_own_address(
    article, comment_form_data, moderator, make_comment
):
    ModerationPolicy.objects.create(auto_approve_returning=True)
    make_comment(article, email="vic@example.com", status=Comment.Status.APPROVED)
    verify("vic@example.com")
    verify("maria@example.com")
    marias_browser = Client(REMOTE_ADDR="198.51.100.7")
    post(marias_browser, article, comment_form_data(article, body="My first words here."))
    approve(comment=Comment.objects.get(email="maria@example.com"), by=moderator)

    post(marias_browser, article, comment_form_data(article, email="vic@example.com"))

    assert Comment.objects.latest("pk").status == Comment.Status.PENDING


def test_a_signed_in_reader_returns_with_their_account(
    article, comment_form_data, moderator, make_comment, django_user_model
):
    ModerationPolicy.objects.create(auto_approve_returning=True)
    maria = django_user_model.objects.create_user("maria", "maria@example.com", "pw-maria-123")
    make_comment(article, email="maria@example.com", status=Comment.Status.APPROVED, user=maria)
    verify("maria@example.com")
    browser = Client()
    browser.force_login(maria)

    post(browser, article, comment_form_data(article))

    assert Comment.objects.latest("pk").status == Comment.Status.APPROVED


def test_auto_approval_never_skips_another_reason(submit, article, make_comment):
    ModerationPolicy.objects.create(auto_approve_returning=True, moderation_words="crypto")
    make_comment(article, email="maria@example.com", status=Comment.Status.APPROVED)

    assert submit(article, body="crypto!").status == Comment.Status.PENDING


def test_staff_edit_the_policy_in_the_admin(superuser_client):
    response = superuser_client.get("/admin/comments/moderationpolicy/", follow=True)
    assert response.status_code == 200

    superuser_client.post(
        "/admin/comments/moderationpolicy/1/change/",
        {
            "link_limit": 3,
            "moderation_words": "casino",
            "close_after_days": "",
            # The preset rejection reasons below the policy, left as they are.
            "rejection_reasons-TOTAL_FORMS": 0,
            "rejection_reasons-INITIAL_FORMS": 0,
        },
    )

    policy = ModerationPolicy.current()
    assert policy.link_limit == 3
    assert policy.moderation_words == "casino"


def test_a_line_saved_before_lines_were_checked_stops_no_later_save_nor_an_erase(
    policy, article, make_comment, moderator
):
    from comments.privacy import erase_comments

    # Saved when the policy took any line (it never matched anything).
    ModerationPolicy.objects.filter(pk=policy.pk).update(
        blocked_emails="mailinator.com\nmaria@example.com", blocked_ips="203.0.113.*"
    )
    policy.refresh_from_db()
    policy.link_limit = 5
    update_policy(policy=policy)
    assert ModerationPolicy.objects.get().link_limit == 5

    make_comment(article, email="maria@example.com")
    assert erase_comments(email="maria@example.com") == 1
    kept = ModerationPolicy.lines(ModerationPolicy.objects.get().blocked_emails)
    assert "maria@example.com" not in kept and kept[0] == "mailinator.com"
    # Still blocked when she comes back, without the list naming her.
    assert policy.__class__.objects.get().blocked_emails.count("erased:") == 1
