"""One IPv6 /64 is one sender, but a home is often handed a /56 and a free tunnel broker hands
out a /48 (65,536 /64s): a sender walking its own /64s got a fresh limit with each. Every
limit keeps its /64 bucket and adds a looser one per /48 (NETWORK_FACTOR times the /64's,
as an office behind one IPv4 address shares one bucket), and a /48's reports count once
toward hiding a comment. IPv4 is counted as before. (The proxy's throttles:
test_proxy_fake_origin.)"""

from django.test import Client
from django.urls import reverse

from comments.models import Comment, ModerationPolicy, Report
from comments.report_views import REPORTED
from tests.comment_fixtures import send_report
from tests.migration_steps import models_at

LIMIT_WORDS = (
    "Several comments were sent from your connection in a short time; to keep spam out we take "
    "only a few from one connection at a time. Please try again in"
)
# How many /64s' worth a /48 may send (comments.ratelimit.NETWORK_FACTOR).
NETWORK_FACTOR = 4


def _post(ip, article, data):
    return Client(REMOTE_ADDR=ip).post(reverse("comments:post", args=[article.pk]), data)


def _comment_from(ip, article, comment_form_data, n):
    data = comment_form_data(article, email=f"reader{n}@example.com", body=f"Thought {n}")
    return _post(ip, article, data)


def test_comments_from_many_64s_of_one_48_are_refused_past_the_48_s_limit_in_the_same_words(
    article, comment_form_data, settings
):
    settings.COMMENTS_RATE_LIMIT = 2
    settings.COMMENTS_FLOOD_SECONDS = 0
    one_64 = [_comment_from("2001:db8:1::1", article, comment_form_data, n) for n in range(3)]
    # The /64's own limit, as before: its third is refused.
    assert [r.status_code for r in one_64] == [302, 302, 429]
    assert LIMIT_WORDS in one_64[-1].content.decode()

    walked = [
        _comment_from(f"2001:db8:1:{n:x}::1", article, comment_form_data, 10 + n)
        for n in range(1, 12)
    ]

    # Two from the first /64 and one from each next /64 until the /48 has sent its share.
    allowed = 2 * NETWORK_FACTOR - 2
    assert [r.status_code for r in walked] == [302] * allowed + [429] * (11 - allowed)
    refused = walked[-1]
    assert LIMIT_WORDS in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= settings.COMMENTS_RATE_WINDOW_SECONDS
    assert ">\nThought 21</textarea>" in refused.content.decode()  # the text kept
    assert Comment.objects.count() == 2 * NETWORK_FACTOR


def test_a_household_in_another_48_is_unaffected_by_a_full_48(article, comment_form_data, settings):
    settings.COMMENTS_RATE_LIMIT = 1
    settings.COMMENTS_FLOOD_SECONDS = 0
    for n in range(NETWORK_FACTOR + 1):
        _comment_from(f"2001:db8:1:{n:x}::1", article, comment_form_data, n)
    assert _comment_from("2001:db8:1:ff::1", article, comment_form_data, 50).status_code == 429

    assert _comment_from("2001:db8:2::1", article, comment_form_data, 51).status_code == 302
    assert _comment_from("2001:db8:1:ff::1", article, comment_form_data, 52).status_code == 429


def test_one_64_s_refused_posts_do_not_use_up_its_neighbours_share_of_the_48(
    article, comment_form_data, settings
):
    """The /48 counts what each /64 may send: one busy (or hostile) household takes its own
    share of the /48, never its neighbours'."""
    settings.COMMENTS_RATE_LIMIT = 2
    settings.COMMENTS_FLOOD_SECONDS = 0
    statuses = [
        _comment_from("2001:db8:1::1", article, comment_form_data, n).status_code
        for n in range(4 * NETWORK_FACTOR)
    ]
    assert statuses.count(302) == 2

    neighbours = [
        _comment_from(f"2001:db8:1:{n:x}::1", article, comment_form_data, 100 + n).status_code
        for n in range(1, NETWORK_FACTOR)
    ]
    assert neighbours == [302] * (NETWORK_FACTOR - 1)


def test_ipv4_addresses_of_one_network_each_keep_their_own_limit(
    article, comment_form_data, settings
):
    settings.COMMENTS_RATE_LIMIT = 1
    settings.COMMENTS_FLOOD_SECONDS = 0
    statuses = [
        _comment_from(f"192.0.2.{n}", article, comment_form_data, n).status_code
        for n in range(1, 13)
    ]
    assert statuses == [302] * 12
    assert _comment_from("192.0.2.1", article, comment_form_data, 99).status_code == 429


def test_the_flood_interval_holds_a_48_to_a_few_comments_at_once(
    article, comment_form_data, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 15
    statuses = [
        _comment_from(f"2001:db8:1:{n:x}::1", article, comment_form_data, n).status_code
        for n in range(NETWORK_FACTOR + 2)
    ]
    assert statuses == [302] * NETWORK_FACTOR + [429] * 2

    refused = _comment_from("2001:db8:1:ff::1", article, comment_form_data, 20)
    assert refused.status_code == 429
    assert "Please wait 15 seconds before sending another comment." in refused.content.decode()
    assert refused["Retry-After"] == "15"
    assert _comment_from("2001:db8:2::1", article, comment_form_data, 21).status_code == 302
    assert _comment_from("192.0.2.1", article, comment_form_data, 22).status_code == 302
    assert _comment_from("192.0.2.2", article, comment_form_data, 23).status_code == 302


def test_a_flood_refusal_from_a_full_48_starts_no_wait_for_its_own_64(
    article, comment_form_data, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 15
    for n in range(NETWORK_FACTOR):
        _comment_from(f"2001:db8:1:{n:x}::1", article, comment_form_data, n)
    assert _comment_from("2001:db8:1:ff::1", article, comment_form_data, 10).status_code == 429

    # The same household from its own /64 of another network (a second line, say) is not
    # told to wait because of the refused post.
    assert _comment_from("2001:db8:2::1", article, comment_form_data, 10).status_code == 302


def _ask_privacy(ip, n):
    # Another inbox each time: the inbox's own daily limit is not what is tested here.
    return Client(REMOTE_ADDR=ip).post(
        reverse("comments:privacy"), {"email": f"asker{n}@example.com", "action": "export"}
    )


def test_privacy_links_from_many_64s_of_one_48_are_refused_past_the_48_s_limit(db):
    asks_per_64 = 5  # comments.privacy_views._refused
    answers = [_ask_privacy(f"2001:db8:1:{n:x}::1", n) for n in range(asks_per_64 * 2)]
    answers += [_ask_privacy("2001:db8:1:ff::1", 100)]
    assert [a.status_code for a in answers] == [200] * (asks_per_64 * 2 + 1)

    more = [_ask_privacy(f"2001:db8:1:{n:x}::2", 200 + n) for n in range(asks_per_64 * 2)]
    # No /64 has asked more than twice: only the /48 can refuse.
    shared = asks_per_64 * NETWORK_FACTOR - len(answers)
    assert [a.status_code for a in more] == [200] * shared + [429] * (len(more) - shared)
    assert "You have asked for several links. Please try again in" in more[-1].content.decode()

    assert _ask_privacy("2001:db8:2::1", 300).status_code == 200
    assert _ask_privacy("192.0.2.1", 301).status_code == 200


def _reader(reader_with_token, comment, ip):
    return reader_with_token(comment.article, ip=ip)


def test_reports_from_one_48_count_once_toward_hiding_a_comment(
    reader_with_token, client, approved_comment
):
    ModerationPolicy.objects.create(hide_after_reports=3)
    page = approved_comment.article.get_absolute_url()
    for n in range(3):
        reader = _reader(reader_with_token, approved_comment, f"2001:db8:7:{n}::1")
        landed = reader.get(send_report(reader, approved_comment)["Location"])
        # Each reader's report is taken, and said so, as any reader's is.
        assert REPORTED in landed.content.decode()

    assert Report.objects.filter(comment=approved_comment).count() == 3
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED
    assert "Early Bird" in client.get(page).content.decode()

    for ip in ("2001:db8:8::1", "2001:db8:9:1::1"):
        send_report(_reader(reader_with_token, approved_comment, ip), approved_comment)

    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.PENDING
    assert "hidden after 5 reader reports" in approved_comment.held_because
    assert "Early Bird" not in client.get(page).content.decode()


def test_reports_from_three_ipv4_addresses_of_one_network_still_hide_a_comment(
    reader_with_token, client, approved_comment
):
    ModerationPolicy.objects.create(hide_after_reports=3)
    for n in range(1, 4):
        send_report(_reader(reader_with_token, approved_comment, f"192.0.2.{n}"), approved_comment)

    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.PENDING
    assert "hidden after 3 reader reports" in approved_comment.held_because


def test_reports_from_many_64s_of_one_48_are_refused_past_the_48_s_limit(
    reader_with_token, settings, article, make_comment
):
    settings.COMMENTS_REPORT_LIMIT = 1
    comments = [make_comment(article, status="approved") for _ in range(NETWORK_FACTOR + 2)]
    statuses = [
        send_report(_reader(reader_with_token, c, f"2001:db8:7:{n:x}::1"), c).status_code
        for n, c in enumerate(comments)
    ]

    assert statuses == [302] * NETWORK_FACTOR + [429] * 2
    other = send_report(_reader(reader_with_token, comments[-1], "2001:db8:8::1"), comments[-1])
    assert other.status_code == 302


def test_reports_the_release_before_writes_on_this_schema_count_by_their_reader(
    reader_with_token, approved_comment
):
    """`make reload MIGRATE=1` runs the release before on this schema for a while: its reports
    leave the network out (the database fills it in), and each counts as its own reader."""
    ModerationPolicy.objects.create(hide_after_reports=3)
    old = models_at([("comments", "0024_editors_picks")])
    old_comment = old.get_model("comments", "Comment").objects.get(pk=approved_comment.pk)
    for reader in ("reader-a", "reader-b"):
        old.get_model("comments", "Report").objects.create(
            comment=old_comment, reason="abuse", reporter=reader
        )

    send_report(_reader(reader_with_token, approved_comment, "2001:db8:7::1"), approved_comment)

    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.PENDING
    assert "hidden after 3 reader reports" in approved_comment.held_because
