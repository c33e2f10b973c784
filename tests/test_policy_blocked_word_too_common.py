"""A blocked word sends every new comment holding it straight to spam, where no moderator
looks. A line too common to block (a single letter, a typo of one; a word many published
comments use) would have silenced a large part of the readers without anyone noticing, as a
network too wide does for addresses: the policy's page refuses it, saying how common it is and
what to do instead. A line saved before stays, so that it never stops a later save; and a list
left as the page showed it is no line of that save's, though another staffer changed it since."""

import pytest

from comments.models import Comment, ModerationPolicy
from comments.policy_services import update_policy
from tests.test_policy_changed_meanwhile import PAGE, opened, staffers  # noqa: F401


def _saved(response) -> bool:
    return response.status_code == 302


@pytest.mark.parametrize("line", ["a", "I", "ü"])
def test_a_single_letter_is_refused_as_a_blocked_word(superuser_client, line):
    response = superuser_client.post(PAGE, opened(superuser_client, blocked_words=f"spam\n{line}"))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"“{line.lower()}” is a single character" in page
    assert "every new comment with it" in page
    assert "spam" in page  # the words typed are kept in the box
    assert not ModerationPolicy.objects.filter(blocked_words__contains="spam").exists()


def test_a_word_many_published_comments_use_is_refused(superuser_client, article, make_comment):
    for n in range(12):
        words = "the market" if n % 3 else "a new model"
        make_comment(article, body=f"Comment {n}: {words}.", status=Comment.Status.APPROVED)
    make_comment(article, body="market market", status=Comment.Status.PENDING)  # not published

    response = superuser_client.post(PAGE, opened(superuser_client, blocked_words="Market"))

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "“market” is in 8 of the last 12 published comments: every new comment with it would "
        "go straight to spam, unseen by moderators"
    ) in page
    assert "moderation words" in page  # where to put it instead
    assert not ModerationPolicy.objects.exists()

    # As a moderation word it only holds such comments for a look: accepted.
    response = superuser_client.post(PAGE, opened(superuser_client, moderation_words="market"))
    assert _saved(response)


def test_a_rare_word_and_a_phrase_are_blocked(superuser_client, article, make_comment):
    for n in range(12):
        make_comment(article, body=f"Comment {n} on the market.", status=Comment.Status.APPROVED)
    make_comment(article, body="Buy followers here", status=Comment.Status.APPROVED)

    lines = "buy followers\ncasino bonus\nxx"
    response = superuser_client.post(PAGE, opened(superuser_client, blocked_words=lines))

    assert _saved(response), response.content.decode()[:3000]
    assert ModerationPolicy.current().lines(ModerationPolicy.objects.get().blocked_words) == [
        "buy followers",
        "casino bonus",
        "xx",
    ]


def test_a_common_line_saved_before_does_not_stop_a_later_save(
    superuser_client, article, make_comment
):
    ModerationPolicy.objects.create(blocked_words="a\nmarket")
    for n in range(5):
        make_comment(article, body=f"A market {n}", status=Comment.Status.APPROVED)

    response = superuser_client.post(PAGE, opened(superuser_client, link_limit="3"))

    assert _saved(response), response.content.decode()[:3000]
    assert ModerationPolicy.objects.get().link_limit == 3


@pytest.fixture
def market_in_six(article, make_comment):
    for n in range(6):
        make_comment(article, body=f"The market {n}", status=Comment.Status.APPROVED)


def _saved_after_bens(clients, *, stored: str, anns: dict, bens: str):
    """Ann's page, drawn with the blocked words `stored`, saved with her changes after Ben
    saved the list as `bens`."""
    update_policy(policy=ModerationPolicy(blocked_words=stored))
    ann, ben = clients
    anns_page = opened(ann, **anns)
    assert _saved(ben.post(PAGE, opened(ben, blocked_words=bens)))
    return ann.post(PAGE, anns_page, follow=True)


@pytest.mark.usefixtures("market_in_six")
def test_a_common_word_taken_out_meanwhile_does_not_stop_an_unrelated_save(
    staffers,  # noqa: F811
):
    # Ann's page shows "market", blocked long ago; Ben takes it out; Ann, who left the list as
    # it was, changes the closing time: her save is not refused for a word she never typed,
    # and does not put it back.
    anns = {"close_after_days": "30"}
    response = _saved_after_bens(staffers, stored="casino\nmarket", anns=anns, bens="casino")

    assert "is in 6 of the last 6 published comments" not in response.content.decode()
    policy = ModerationPolicy.objects.get()
    assert (policy.close_after_days, policy.blocked_words) == (30, "casino")
    said = " ".join(str(m) for m in response.context["messages"])
    assert "by ben at" in said and "Blocked words (kept)" in said


@pytest.mark.usefixtures("market_in_six")
def test_a_common_word_typed_is_refused_though_the_list_changed_meanwhile(
    staffers,  # noqa: F811
):
    # Ann changed the list herself: what she typed is judged as any new line is, however
    # the list changed meanwhile (only a list left as her page showed it is spared).
    anns = {"blocked_words": "casino\nmarket"}
    response = _saved_after_bens(staffers, stored="casino", anns=anns, bens="casino\nloans")

    assert response.status_code == 200
    assert "“market” is in 6 of the last 6 published comments" in response.content.decode()
    assert ModerationPolicy.objects.get().blocked_words == "casino\nloans"
