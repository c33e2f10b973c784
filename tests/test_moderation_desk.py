"""The moderator's desk in the admin: preset reasons, the commenter's page, blocks, the policy
row, and the index panel."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import strip_tags

from comments.commenter_services import edit_comment
from comments.models import Comment, ModerationPolicy, RejectionReason
from comments.services import reject

CHANGELIST = "/admin/comments/comment/"
COMMENTER = f"{CHANGELIST}commenter/"


def test_a_fresh_install_has_the_preset_reasons_in_order(db):
    labels = list(RejectionReason.objects.values_list("label", flat=True))

    assert labels == ["Off-topic", "Abusive", "Advertising", "Personal information"]


def test_a_comment_s_page_names_each_preset_once_with_what_the_commenter_reads(
    moderator_client, article, make_comment
):
    RejectionReason.objects.create(label="Spam", text="Spammy links are not published.")
    comment = make_comment(article)

    html = moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()

    # A text that begins with its label says it once; one that merely begins alike keeps it.
    assert ">Off-topic: comments need to be about the article.</option>" in html
    assert ">Spam: Spammy links are not published.</option>" in html


def test_a_preset_reason_is_stored_and_named_in_the_confirmation(
    moderator_client, article, make_comment
):
    comment = make_comment(article)
    preset = RejectionReason.objects.get(label="Advertising")

    response = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/reject/", {f"preset-{comment.pk}": preset.pk}, follow=True
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert comment.rejection_reason == preset.text
    # The reason as the moderator's desk wrote it, not lowercased, and one full stop after it.
    assert preset.text.endswith(".")
    assert f"Comment by {comment.name}: rejected: {preset.text}<" in response.content.decode()


def test_words_typed_for_a_comment_win_over_its_preset(moderator_client, article, make_comment):
    comment = make_comment(article)
    preset = RejectionReason.objects.first()

    moderator_client.post(
        f"{CHANGELIST}{comment.pk}/reject/",
        {f"preset-{comment.pk}": preset.pk, f"reason-{comment.pk}": "Too many capitals"},
    )

    comment.refresh_from_db()
    assert comment.rejection_reason == "Too many capitals"


def test_the_queue_answers_the_script_with_json_and_a_lost_race_with_409(
    moderator_client, second_moderator, article, make_comment
):
    comment = make_comment(article)
    url = f"{CHANGELIST}{comment.pk}/approve/"

    won = moderator_client.post(url, HTTP_ACCEPT="application/json")
    reject(comment=comment, by=second_moderator)
    lost = moderator_client.post(url, HTTP_ACCEPT="application/json")

    assert won.status_code == 200
    assert won.json() == {"outcome": "approved", "message": f"Comment by {comment.name}: approved."}
    assert lost.status_code == 409
    assert "had already been approved by moderator" in lost.json()["message"]


def test_a_decision_on_a_comment_its_author_edited_into_spam_says_what_happened(
    moderator_client, article, make_comment
):
    ModerationPolicy.objects.create(blocked_words="casino")
    comment = make_comment(article, body="Fair point")
    read_at = comment.revision  # the queue is open on the first words
    edit_comment(comment=comment, body="Fair point, visit my casino")

    lost = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/approve/",
        {f"seen-{comment.pk}": read_at},
        HTTP_ACCEPT="application/json",
    )

    assert lost.status_code == 409
    assert lost.json()["message"] == (
        f"Comment by {comment.name} was edited by its author since, and the screen marked the "
        "new text as spam; your decision was not applied."
    )


def test_a_search_that_finds_nothing_waiting_does_not_say_the_queue_is_empty(
    moderator_client, article, make_comment
):
    comment = make_comment(article, body="Still waiting")

    found = moderator_client.get(CHANGELIST, {"q": "no such words"}).content.decode()
    moderator_client.post(f"{CHANGELIST}{comment.pk}/approve/")
    empty = moderator_client.get(CHANGELIST).content.decode()

    assert "Nothing waiting matches this search or filter." in found
    assert "every comment has been decided" not in found
    assert 'href="?status=pending">Show the whole queue</a>' in found
    assert "Nothing waiting: every comment has been decided." in empty


def test_deciding_on_a_comments_page_moves_on_to_the_next_waiting_one(
    moderator_client, article, make_comment
):
    now = timezone.now()
    first = make_comment(article, created_at=now - timedelta(hours=2))
    second = make_comment(article, created_at=now - timedelta(hours=1))

    response = moderator_client.post(f"{CHANGELIST}{first.pk}/approve/", {"_next_pending": "1"})

    assert response["Location"] == f"{CHANGELIST}{second.pk}/change/"
    last = moderator_client.post(f"{CHANGELIST}{second.pk}/spam/", {"_next_pending": "1"})
    assert last["Location"] == CHANGELIST


def test_a_comments_page_shows_reasons_as_words_and_dates_day_first(
    moderator_client, article, make_comment
):
    comment = make_comment(
        article,
        held_because=["3 links (held at 2 or more)"],
        created_at=timezone.now().replace(year=2026, month=3, day=4, hour=9, minute=5),
    )

    html = moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()

    assert "<li>3 links (held at 2 or more)</li>" in html
    assert '["3 links' not in html
    assert "4 Mar 2026, 09:05" in html and "04 Mar" not in html
    assert "everything from this e-mail" in html


def test_preset_reasons_are_edited_with_the_policy(db, superuser_client):
    presets = list(RejectionReason.objects.all())
    data = {
        "link_limit": 2,
        "rejection_reasons-TOTAL_FORMS": len(presets) + 1,
        "rejection_reasons-INITIAL_FORMS": len(presets),
    }
    for n, preset in enumerate(presets):
        data |= {
            f"rejection_reasons-{n}-id": preset.pk,
            f"rejection_reasons-{n}-policy": 1,
            f"rejection_reasons-{n}-order": preset.order,
            f"rejection_reasons-{n}-label": preset.label,
            f"rejection_reasons-{n}-text": preset.text,
        }
    n = len(presets)
    data |= {
        f"rejection_reasons-{n}-policy": 1,
        f"rejection_reasons-{n}-order": 9,
        f"rejection_reasons-{n}-label": "Shouting",
        f"rejection_reasons-{n}-text": "Please do not write in capitals.",
    }

    response = superuser_client.post("/admin/comments/moderationpolicy/1/change/", data)

    assert response.status_code == 302
    assert RejectionReason.objects.last().label == "Shouting"


@pytest.mark.parametrize("persona", ["stranger_client", "editor_client", "moderator_client"])
def test_opening_the_policy_never_writes_it(db, request, persona):
    client = request.getfixturevalue(persona)

    client.get("/admin/comments/moderationpolicy/", follow=True)
    client.get("/admin/comments/moderationpolicy/1/change/")

    assert not ModerationPolicy.objects.exists()


def test_someone_who_may_only_view_the_policy_sees_its_defaults_and_cannot_save(
    django_user_model, client
):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_moderationpolicy"))
    client.force_login(viewer)

    page = client.get("/admin/comments/moderationpolicy/", follow=True)
    client.post("/admin/comments/moderationpolicy/1/change/", {"link_limit": 9})

    assert page.status_code == 200
    assert not ModerationPolicy.objects.exists()


def test_the_queue_marks_the_links_and_words_that_held_a_comment(
    moderator_client, article, make_comment
):
    ModerationPolicy.objects.create(moderation_words="casino")
    make_comment(article, body="Win at the Casino: https://spam.example/x <b>now</b>")

    html = moderator_client.get(CHANGELIST).content.decode()

    assert "<mark>Casino</mark>" in html
    assert "<mark>https://spam.example/x</mark>" in html
    assert "&lt;b&gt;now&lt;/b&gt;" in html


def test_the_queue_marks_a_listed_word_however_the_screen_found_it_spelt(
    moderator_client, article, make_comment
):
    ModerationPolicy.objects.create(moderation_words="casino\nfree money")
    make_comment(
        article,
        body="Try the c\u0430sino, the \uff43\uff41\uff53\uff49\uff4e\uff4f and the "
        "cas\u00adino for Free\n money; casinos are fine.",
    )

    html = moderator_client.get(CHANGELIST).content.decode()

    assert "<mark>c\u0430sino</mark>" in html  # a Cyrillic "а"
    assert "<mark>\uff43\uff41\uff53\uff49\uff4e\uff4f</mark>" in html  # full-width letters
    assert "<mark>cas\u00adino</mark>" in html  # a soft hyphen inside
    assert "<mark>Free\n money</mark>" in html  # a phrase broken across lines
    assert "<mark>casinos</mark>" not in html  # another word, as for the screen


def test_the_queue_shows_the_comment_a_reply_answers_and_the_whole_text(
    moderator_client, article, make_comment
):
    parent = make_comment(article, status="approved", name="Early Bird", body="Prices fall.")
    long_text = "word " * 180  # 900 characters
    make_comment(article, parent=parent, body=long_text)

    html = moderator_client.get(CHANGELIST).content.decode()

    assert "In reply to Early Bird:" in strip_tags(html)  # the name in a <bdi> of its own
    assert "Prices fall." in html
    assert long_text.strip() in html


def test_each_card_links_the_story_its_comment_is_on(
    moderator_client, article, make_article, make_comment
):
    other = make_article(title="Batteries & the grid")
    for story in (article, other, article):  # the queue lists them oldest first
        make_comment(story)

    html = moderator_client.get(CHANGELIST).content.decode()

    linked = re.findall(r'<span class="queue-on">on</span> <a href="([^"]+)">([^<]+)</a>', html)
    first, second = (
        (article.get_absolute_url(), article.title),
        (other.get_absolute_url(), "Batteries &amp; the grid"),
    )
    assert linked == [first, second, first]


def test_a_reply_under_a_withdrawn_comment_says_so_instead_of_an_empty_name(
    moderator_client, article, make_comment
):
    from django.utils import timezone

    parent = make_comment(article, status="approved", name="", body="", withdrawn_at=timezone.now())
    make_comment(article, parent=parent, body="Still worth saying.")

    html = moderator_client.get(CHANGELIST).content.decode()

    assert "In reply to a comment its author withdrew." in html
    assert "In reply to :" not in strip_tags(html)


def test_each_list_s_page_title_says_which_list_it_is(moderator_client):
    for query, title in (
        ("", "Comments waiting for review"),
        ("?status=reported", "Reported comments"),
        ("?status=all", "Comments"),
    ):
        html = moderator_client.get(CHANGELIST + query).content.decode()
        assert f"<title>{title} | " in html, query


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_reported_queue_costs_the_same_queries_for_2_or_40_reported(
    moderator_client, article, make_comment
):
    from comments.models import Report

    def add(n):
        for _ in range(n):
            comment = make_comment(article, status="approved", parent=None)
            Report.objects.create(comment=comment, reason="spam", reporter=f"r{comment.pk}")

    url = f"{CHANGELIST}?status=reported"
    _queries(moderator_client, url)
    add(2)
    few = _queries(moderator_client, url)
    add(38)

    assert _queries(moderator_client, url) == few


def test_the_index_panel_offers_review_now_and_a_30_day_chart(
    moderator_client, moderator, article, make_comment
):
    now = timezone.now()
    make_comment(article, created_at=now - timedelta(days=2))
    make_comment(
        article,
        status="approved",
        created_at=now - timedelta(days=3),
        moderated_at=now - timedelta(days=2),
        moderated_by=moderator,
    )

    html = moderator_client.get("/admin/").content.decode()

    assert '<button type="submit" class="button default review-now">Review now</button>' in html
    assert 'action="/admin/comments/comment/"' in html
    assert html.count("<svg viewBox") >= 1
    assert "Comments over the last 30 days" in html
    assert html.count("received</title></rect>") == 30
    day = (timezone.localdate() - timedelta(days=3)).strftime("%-d %b")
    assert f"{day}: 1 received" in html
    day = (timezone.localdate() - timedelta(days=2)).strftime("%-d %b")
    assert f"{day}: 1 decided" in html
    assert "<script" not in html.split('id="moderation-summary"')[1].split("</figure>")[0]


def test_the_chart_follows_the_oldest_wait_per_day(moderator_client, article, make_comment):
    from tests.test_moderation_stats import oldest_waits

    now = timezone.now()
    make_comment(article, created_at=now - timedelta(days=3, hours=1))

    waits = oldest_waits(moderator_client.get("/admin/").content.decode())

    assert len(waits) == 30
    assert waits[-1] == "3 d 1 h"  # today
    assert waits[0] == "–"  # a month ago, before it was written


def test_listed_words_that_overlap_are_marked_once(moderator_client, article, make_comment):
    ModerationPolicy.objects.create(moderation_words="free\nfree money")
    make_comment(article, body="Get free money today.")

    html = moderator_client.get(CHANGELIST).content.decode()

    assert "<mark>free money</mark>" in html
