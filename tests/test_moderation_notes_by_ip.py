"""A note written on an IP address's commenter page shows on the queue's cards of the comments
sent from that address (an IPv6 sender's whole /64, as its page covers it), as a note on an
e-mail address does, in the same queries however many cards have one."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.desk import add_note

CHANGELIST = "/admin/comments/comment/"
COMMENTER = f"{CHANGELIST}commenter/"


def _card(html, words):
    start = html.index(words)
    return html[start : html.index("</article>", start)]


def test_a_note_on_an_ip_address_shows_on_the_cards_of_comments_sent_from_it(
    moderator_client, moderator, article, make_comment
):
    make_comment(
        article, body="Sock puppet text", email="sock1@example.org", ip_address="203.0.113.99"
    )
    make_comment(article, body="Someone else", email="other@example.org", ip_address="203.0.113.98")
    moderator_client.post(
        f"{COMMENTER}?ip=203.0.113.99", {"action": "note", "text": "Runs sock puppets."}
    )

    html = moderator_client.get(CHANGELIST).content.decode()

    card = _card(html, "Sock puppet text")
    assert "1 moderator note</strong> on" in card
    assert f'<a href="{COMMENTER}?ip=203.0.113.99">this IP</a>' in card
    assert "moderator note" not in _card(html, "Someone else")


def test_an_ipv6_note_covers_its_whole_64_and_one_on_the_e_mail_counts_beside_it(
    moderator_client, moderator, article, make_comment
):
    make_comment(article, body="From home", email="ana@example.org", ip_address="2001:db8:1:2::7")
    make_comment(article, body="Next door", email="bo@example.org", ip_address="2001:db8:1:3::7")
    add_note(by=moderator, text="Same household as the spammer.", ip="2001:db8:1:2::99")
    add_note(by=moderator, text="Warned once.", email="ana@example.org")

    html = moderator_client.get(CHANGELIST).content.decode()

    card = _card(html, "From home")
    assert "2 moderator notes</strong> on" in card
    assert "this e-mail</a> and" in card
    assert ">this IPv6 /64</a>" in card
    assert "moderator note" not in _card(html, "Next door")


def test_cards_with_notes_on_their_addresses_cost_the_same_queries_for_3_or_12(
    moderator_client, moderator, article, make_comment
):
    def queue(first, count):
        for n in range(first, first + count):
            ip = f"2001:db8:{n}::1" if n % 2 else f"192.0.2.{n}"
            make_comment(article, email=f"r{n}@example.org", ip_address=ip)
            add_note(by=moderator, text="Seen before.", ip=ip)

    def page():
        with CaptureQueriesContext(connection) as ctx:
            html = moderator_client.get(CHANGELIST).content.decode()
        return html.count("1 moderator note</strong>"), len(ctx.captured_queries)

    queue(1, 3)
    page()  # warm: the session and permissions
    assert page()[0] == 3
    few = page()[1]

    queue(4, 9)

    assert page() == (12, few)
