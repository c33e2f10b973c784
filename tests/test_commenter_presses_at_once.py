"""A commenter's presses that meet on the server, on real connections: Save pressed twice (a double
click), Save (or "Mail me when someone replies") in one tab while Delete is pressed in another,
the mailed Erase link's button pressed twice, and an edit saved while a moderator decides on
the comment. Each press is a request of its own in a thread of its own (its own connection and
transaction), the presses released together by a barrier while a third transaction holds the
comment's row, as a slow one would: on PostgreSQL both have read the comment before either
writes, then one waits on the other's lock. What each person is shown, and what the database
keeps: one edit, one mail, no words lost or published unread, no server error.

The tests with one press patched to land inside the other (tests/test_commenter_edit_twice.py,
test_commenter_edit_other_tab.py, test_commenter_edit_closed.py, test_commenter_erase_twice.py,
test_commenter_follow_meanwhile.py) say the same of each order one at a time."""

import threading
import time
from copy import deepcopy

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments import links
from comments.models import Comment, CommenterAddress, CommentVersion, ReplySubscription
from comments.tokens import comment_id_from_token, status_token
from tests.mail_helpers import queued, verify
from tests.test_commenter_delete_twice import GONE, _published
from tests.test_commenter_edit_twice import UPDATED, _form_as_drawn

CHANGELIST = "/admin/comments/comment/"
NEW_WORDS = "Second thoughts, typed with care"
WITHDRAWN = "Not saved: this comment was withdrawn"
REFUSED = "This comment can no longer be edited."


def _at_the_same_moment(held, *presses, in_turn=False):
    """Each press (a function sending one request) in a thread of its own, released together
    by a barrier while a transaction of this thread holds the `held` rows, then commits. On
    PostgreSQL every press reads what its page shows, then queues on the rows' locks; in_turn:
    each a moment after the one before, so that they take the rows in the order given (both
    orders are tested; left to chance, one request's path was always the quicker). SQLite's
    in-memory test database answers "locked" at once (a 503) where its file waits: that press
    is sent again, as the busy timeout does in production, in any order. Returns the answers,
    in order."""
    barrier = threading.Barrier(len(presses))
    answers, errors = [None] * len(presses), []

    def run(n, press):
        try:
            barrier.wait(timeout=10)
            if in_turn:
                _after_presses_before_it_wait(n)
            for attempt in range(500):
                answers[n] = press()
                if answers[n].status_code != 503 or connection.vendor != "sqlite":
                    break
                time.sleep(0.01 * (attempt % 5 + 1))
        except Exception as exc:  # a server error: reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(presses)]
    with transaction.atomic():
        list(held.select_for_update())
        for thread in threads:
            thread.start()
        time.sleep(0.6)  # every press on its way, waiting on the rows
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return answers


def _after_presses_before_it_wait(n: int) -> None:
    """Press n goes once the n before it queue on a lock (PostgreSQL says so), so that they take
    the rows in the order sent however slow the machine: a fixed pause between them let a
    loaded machine's first press arrive second. SQLite tells nothing of waits: a pause there."""
    if connection.vendor != "postgresql":
        time.sleep(0.15 * n)
        return
    for _ in range(1000):  # 10 s at most: then the order check below says what went wrong
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= n:
                return
        time.sleep(0.01)


def _same_browser(reader) -> Client:
    """Another tab, or the same form sent twice: the browser's cookies as they were."""
    tab = Client(REMOTE_ADDR="198.51.100.7")
    tab.cookies = deepcopy(reader.cookies)
    return tab


def _count(article) -> int:
    return Article.objects.get(pk=article.pk).approved_comment_count


def _rows(comment):
    return Comment.objects.filter(pk=comment.pk)


def _led_to_its_status_page(answer, comment) -> bool:
    # Its address is signed anew each time (a second later, another token): the comment's own.
    [(path, code)] = answer.redirect_chain or [("", 0)]
    token = path.removeprefix("/comments/status/").removesuffix("/")
    return code == 302 and comment_id_from_token(token) == comment.pk


def _in_that_order(first: str, order: list[str]) -> None:
    """On PostgreSQL the presses took the row in the order sent (_at_the_same_moment)."""
    if connection.vendor == "postgresql":
        assert order[0] == first


# They commit for real: a class of their own, putting back what the migrations wrote
# (tests/conftest.py says why).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestPressesOnRealConnections:
    def test_save_pressed_twice_saves_one_edit_and_both_answers_say_updated(
        self, reader, article, make_comment, moderator, settings
    ):
        settings.COMMENTS_MODERATOR_MAIL_INTERVAL = 0  # every edit into the queue mails
        comment = _published(article, make_comment, body="Published words")
        form = _form_as_drawn(reader, comment, NEW_WORDS)
        edit = reverse("comments:edit", args=[status_token(comment)])
        first, second = _same_browser(reader), _same_browser(reader)

        answers = _at_the_same_moment(
            _rows(comment),
            lambda: first.post(edit, form, follow=True),
            lambda: second.post(edit, form, follow=True),
        )

        for answer in answers:
            page = answer.content.decode()
            assert _led_to_its_status_page(answer, comment)
            assert UPDATED in page
            assert "Nothing changed" not in page and REFUSED not in page
        saved = Comment.objects.get(pk=comment.pk)
        assert (saved.body, saved.revision, saved.status) == (NEW_WORDS, 1, "pending")
        assert list(CommentVersion.objects.values_list("body", flat=True)) == ["Published words"]
        assert len(queued("moderators")) == 1  # to the one moderator, once
        assert _count(article) == 0  # off the page once, not twice

    @pytest.mark.parametrize("with_reply", [False, True], ids=["alone", "with a reply"])
    @pytest.mark.parametrize("first", ["save", "delete"])
    def test_save_in_one_tab_while_delete_is_pressed_in_another(
        self, reader, article, make_comment, with_reply, first
    ):
        comment = _published(article, make_comment, body="Published words")
        if with_reply:  # the row stays, emptied, under its published reply
            _published(article, make_comment, parent=comment, body="A reply")
        form = _form_as_drawn(reader, comment, NEW_WORDS)
        delete = reverse("comments:delete", args=[status_token(comment)])
        reader.get(delete)  # the Delete page, open in the other tab
        editing, deleting = _same_browser(reader), _same_browser(reader)
        edit = reverse("comments:edit", args=[status_token(comment)])
        presses = {
            "save": lambda: editing.post(edit, form, follow=True),
            "delete": lambda: deleting.post(delete, follow=True),
        }
        order = [first, *(press for press in presses if press != first)]

        answers = dict(
            zip(order, _at_the_same_moment(_rows(comment), *map(presses.get, order), in_turn=True))
        )

        deleted, saved = answers["delete"], answers["save"]
        assert deleted.redirect_chain == [(reverse("comments:deleted", args=[article.pk]), 302)]
        assert "Your comment is deleted" in deleted.content.decode()
        page = saved.content.decode()
        _in_that_order(first, ["save" if saved.redirect_chain else "delete"])
        if saved.redirect_chain:  # saved first, then deleted by its writer
            assert _led_to_its_status_page(saved, comment)
            assert UPDATED in page
        else:  # deleted first: the words typed come back to keep
            assert saved.status_code == 404
            assert WITHDRAWN in page and f"{NEW_WORDS}</textarea>" in page
        assert not Comment.objects.filter(pk=comment.pk, withdrawn_at=None).exists()
        assert not Comment.objects.filter(body=NEW_WORDS).exists()
        assert not CommentVersion.objects.exists()
        assert _count(article) == int(with_reply)  # the reply, under the placeholder
        shown = reader.get(article.get_absolute_url()).content.decode()
        assert NEW_WORDS not in shown and "Published words" not in shown
        assert ("A reply" in shown) is with_reply

    @pytest.mark.parametrize("first", ["follow", "delete"])
    def test_follow_in_one_tab_while_delete_is_pressed_in_another(
        self, reader, article, make_comment, first
    ):
        comment = _published(article, make_comment, body="Published words")
        follow = reverse("comments:follow", args=[status_token(comment)])
        delete = reverse("comments:delete", args=[status_token(comment)])
        reader.get(delete)  # the Delete page in one tab, the status page in the other
        following, deleting = _same_browser(reader), _same_browser(reader)
        presses = {
            "follow": lambda: following.post(follow),
            "delete": lambda: deleting.post(delete, follow=True),
        }
        order = [first, *(press for press in presses if press != first)]

        answers = dict(
            zip(order, _at_the_same_moment(_rows(comment), *map(presses.get, order), in_turn=True))
        )

        assert "Your comment is deleted" in answers["delete"].content.decode()
        followed = answers["follow"]
        _in_that_order(first, ["follow" if followed.status_code == 302 else "delete"])
        if followed.status_code == 302:  # followed, then deleted with its wish
            assert followed["Location"].endswith("#reply-mail")
        else:  # deleted first: said so, as a press a moment later hears it
            assert followed.status_code == 404
            assert GONE in followed.content.decode()
        assert not ReplySubscription.objects.exists()
        assert not Comment.objects.filter(pk=comment.pk).exists()

    def test_the_erase_link_pressed_twice_erases_once_and_both_answers_say_so(
        self, reader, article, make_comment, settings
    ):
        email = "maria@example.com"
        mine = [_published(article, make_comment, email=email, body=f"Mine {n}") for n in (1, 2)]
        _published(article, make_comment, email="other@example.com", body="Someone else's")
        address = CommenterAddress.objects.create(email=email)
        link = links.privacy_url(address.pk, "erase").removeprefix(settings.SITE_URL)
        first, second = Client(), Client()  # a mailed link's page sets no cookie

        answers = _at_the_same_moment(
            Comment.objects.filter(pk__in=[c.pk for c in mine]),
            lambda: first.post(link),
            lambda: second.post(link),
        )

        for answer in answers:
            page = answer.content.decode()
            assert answer.status_code == 200
            assert "Your comments are erased" in page
            assert "2 comments and your address are gone" in page
        assert not Comment.objects.filter(email=email).exists()
        assert not CommenterAddress.objects.filter(email=email).exists()
        assert _count(article) == 1  # the other reader's: the two left the count once
        assert "Someone else&#x27;s" in reader.get(article.get_absolute_url()).content.decode()

    @pytest.mark.parametrize("decision", ["approve", "reject"])
    @pytest.mark.parametrize("first", ["edit", "decision"])
    def test_an_edit_saved_while_a_moderator_decides_is_never_decided_unread(
        self, reader, article, make_comment, moderator, decision, first
    ):
        comment = make_comment(article, body="Waiting words", name="Maria")
        form = _form_as_drawn(reader, comment, NEW_WORDS)
        edit = reverse("comments:edit", args=[status_token(comment)])
        desk = Client()
        desk.force_login(moderator)
        card = {f"seen-{comment.pk}": comment.revision}  # the words the moderator read
        presses = {
            "edit": lambda: reader.post(edit, form, follow=True),
            "decision": lambda: desk.post(
                f"{CHANGELIST}{comment.pk}/{decision}/", card, follow=True
            ),
        }
        order = [first, *(press for press in presses if press != first)]

        answers = dict(
            zip(order, _at_the_same_moment(_rows(comment), *map(presses.get, order), in_turn=True))
        )

        now = Comment.objects.get(pk=comment.pk)
        told = answers["decision"].content.decode()
        saved = answers["edit"]
        page = saved.content.decode()
        edited_first = "was edited since you read it: read it again" in told
        _in_that_order(first, ["edit" if edited_first else "decision"])
        if edited_first:  # the moderator is shown the new words; nothing decided
            assert (now.status, now.moderated_by) == ("pending", None)
        elif decision == "approve":  # approved the words read, then edited: in the queue again
            assert "Comment by Maria: approved." in told
            assert (now.status, now.moderated_by) == ("pending", None)
        else:  # rejected first: the edit is refused, its words given back
            assert "Comment by Maria: rejected" in told
            assert saved.status_code == 403
            assert REFUSED in page and "It was rejected." in page
            assert f"{NEW_WORDS}</textarea>" in page
            assert (now.status, now.body, now.revision) == ("rejected", "Waiting words", 0)
            assert not CommentVersion.objects.exists()
            return
        assert _led_to_its_status_page(saved, comment)
        assert UPDATED in page
        assert (now.body, now.revision) == (NEW_WORDS, 1)
        assert list(CommentVersion.objects.values_list("body", flat=True)) == ["Waiting words"]
        assert _count(article) == 0
        assert NEW_WORDS not in reader.get(article.get_absolute_url()).content.decode()

    def test_it_is_mine_pressed_twice_answers_once_and_never_says_out_of_date(
        self, article, make_comment, settings
    ):
        # Approved while its mail waited for the address's owner to say the comment is theirs.
        verify("maria@example.com")
        comment = _published(
            article,
            make_comment,
            email="maria@example.com",
            owner_vouched=False,
            notify_on_decision=True,
        )
        link = links.confirm_comment_url(comment.pk).removeprefix(settings.SITE_URL)
        first, second = Client(), Client()

        answers = _at_the_same_moment(
            _rows(comment), lambda: first.post(link), lambda: second.post(link)
        )

        thanked, known = sorted(answers, key=lambda answer: answer.status_code)
        assert thanked.status_code == 200 and "Thank you" in thanked.content.decode()
        page = known.content.decode()
        assert known.status_code == 404
        assert "This comment is already known to be yours" in page
        assert "out of date" not in page and "Mail it again" not in page
        assert Comment.objects.filter(pk=comment.pk, owner_vouched=True).exists()
        assert len(queued("decision")) == 1
