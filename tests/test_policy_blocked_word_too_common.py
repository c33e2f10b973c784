"""A blocked word sends every new comment holding it straight to spam, where no moderator
looks. A line too common to block (a single letter, a typo of one; a word many published
comments use) would have silenced a large part of the readers without anyone noticing, as a
network too wide does for addresses: the policy's page refuses it, saying how common it is and
what to do instead. A line saved before stays, so that it never stops a later save."""

import pytest

from comments.models import Comment, ModerationPolicy
from tests.test_policy_changed_meanwhile import PAGE, opened


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
