"""Comments sent while a moderator works the queue are counted for their page: its question
about the cards decided meanwhile also asks, at most once a minute, how many came in since the
page was drawn (under its search and its filters by section or date), so its counts go up and
a line says so. On the Reported queue: how many comments were reported since."""

import re
from datetime import timedelta
from html import unescape as html_unescape

from django.utils import timezone
from django.utils.http import urlencode

import comments.admin_queue
from articles.models import Section
from comments.desk import dismiss_reports, report_comment
from comments.models import Comment

CHANGELIST = "/admin/comments/comment/"


def drawn_at(html: str) -> str:
    return re.search(r'data-drawn-at="([^"]+)"', html)[1]


def test_the_queue_learns_how_many_comments_came_in_since_it_was_drawn(
    moderator_client, article, make_comment
):
    make_comment(article, created_at=timezone.now() - timedelta(hours=1))
    since = drawn_at(moderator_client.get(CHANGELIST).content.decode())
    make_comment(article, body="A new one about the budget.")
    make_comment(article, body="Another new one.")
    make_comment(article, status=Comment.Status.APPROVED)  # published at once: not waiting

    asked = moderator_client.get(f"{CHANGELIST}meanwhile/", {"queue": "pending", "since": since})
    searched = moderator_client.get(
        f"{CHANGELIST}meanwhile/", {"queue": "pending", "since": since, "q": "budget"}
    )

    assert asked.json()["arrived"] == 2
    assert searched.json()["arrived"] == 1


def test_the_question_names_the_pages_search_and_a_bad_time_is_ignored(
    moderator_client, article, make_comment
):
    make_comment(article, body="About the budget.")

    html = moderator_client.get(CHANGELIST, {"q": "budget"}).content.decode()
    bad = moderator_client.get(
        f"{CHANGELIST}meanwhile/", {"queue": "pending", "since": "2026-13-40"}
    )

    assert (
        'data-meanwhile-url="/admin/comments/comment/meanwhile/?queue=pending&amp;q=budget"' in html
    )
    assert "arrived" not in bad.json()


def test_the_reported_queue_learns_how_many_comments_were_reported_since_it_was_drawn(
    moderator_client, moderator, article, make_comment
):
    on_the_page, reported_again, newly = (
        make_comment(article, status=Comment.Status.APPROVED) for _ in range(3)
    )
    report_comment(comment=on_the_page, reason="abuse", ip="198.51.100.7")
    report_comment(comment=reported_again, reason="spam", ip="198.51.100.9")
    dismiss_reports(comment=reported_again, by=moderator)  # off the queue when it is drawn
    since = drawn_at(moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode())
    report_comment(comment=on_the_page, reason="spam", ip="198.51.100.8")  # on the page already
    report_comment(comment=newly, reason="abuse", ip="198.51.100.7")
    report_comment(comment=reported_again, reason="abuse", ip="198.51.100.7")

    asked = moderator_client.get(f"{CHANGELIST}meanwhile/", {"queue": "reported", "since": since})

    assert asked.json()["arrived"] == 2


def test_a_comment_sent_while_the_page_is_drawn_is_counted_for_it(
    moderator_client, article, make_comment, monkeypatch
):
    # Stamped after the cards were drawn, the page's time left out a comment that came in after
    # its list was read: on the page neither, nor ever counted.
    make_comment(article, body="Waiting already.")
    drawing = comments.admin_queue.policy_words
    sent = []

    def a_reader_posts_meanwhile():
        if not sent:
            sent.append(make_comment(article, body="Sent while the page was drawn."))
        return drawing()

    monkeypatch.setattr(comments.admin_queue, "policy_words", a_reader_posts_meanwhile)
    html = moderator_client.get(CHANGELIST).content.decode()

    assert "Sent while the page was drawn." not in html
    since = drawn_at(html)
    asked = moderator_client.get(f"{CHANGELIST}meanwhile/", {"queue": "pending", "since": since})
    assert asked.json()["arrived"] == 1


def test_a_queue_filtered_by_section_and_date_counts_what_came_in_under_its_filters(
    moderator_client, article, make_article, make_comment
):
    sport = Section.objects.create(name="Sport", slug="sport", order=2)
    match = make_article(title="The match", section=sport)
    make_comment(match, body="Waiting already.")
    # As the sidebar's "Sport" and "Today" links write them.
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = {"article__section__id__exact": sport.pk, "created_at__gte": str(midnight)}
    html = moderator_client.get(CHANGELIST, today).content.decode()
    make_comment(match, body="Sent since, on the match.")
    make_comment(article, body="Sent since, on another section's story.")
    make_comment(match, status=Comment.Status.APPROVED)  # published at once: not waiting

    # The question the page's script asks: its address, and the moment the page was drawn.
    url = html_unescape(re.search(r'data-meanwhile-url="([^"]+)"', html)[1])
    url += f"&{urlencode({'since': drawn_at(html)})}"
    asked = moderator_client.get(url)

    # A filter the list would refuse (a section since deleted, a date mangled) tells nothing.
    broken = moderator_client.get(url.replace("created_at__gte=", "created_at__gte=x"))

    assert f"article__section__id__exact={sport.pk}" in url and "created_at__gte=" in url
    assert asked.json()["arrived"] == 1
    assert broken.status_code == 200 and "arrived" not in broken.json()
    assert "Waiting already." in html


def test_a_queue_under_a_filter_the_count_cannot_apply_is_not_counted(
    moderator_client, article, make_comment
):
    make_comment(article, body="Waiting already.", email="a@example.com")
    # The editors' picks (never a waiting comment), or a lookup typed in the address.
    for narrowed in ({"pick": "yes"}, {"email": "a@example.com"}):
        html = moderator_client.get(CHANGELIST, {"status": "pending", **narrowed}).content.decode()

        assert "data-drawn-at" not in html  # no count, rather than one of other comments
    assert (
        "data-drawn-at" in moderator_client.get(CHANGELIST, {"status": "pending"}).content.decode()
    )
