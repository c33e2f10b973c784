"""Showing comments: approved only, in order, replies under parents, pages, anchors, and a
constant number of queries however many there are."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.services import approve
from comments.tokens import form_token


def _approve_many(article, make_comment, n, **fields):
    comments = [make_comment(article, status=Comment.Status.APPROVED, **fields) for _ in range(n)]
    Article.objects.filter(pk=article.pk).update(approved_comment_count=n)
    return comments


def test_only_approved_comments_are_shown(reader, article, make_comment):
    for status in Comment.Status.values:
        make_comment(article, status=status, body=f"A {status} comment")

    html = reader.get(article.get_absolute_url()).content.decode()

    assert "A approved comment" in html
    for hidden in ("pending", "rejected", "spam"):
        assert f"A {hidden} comment" not in html


def test_comments_are_shown_oldest_first_with_stable_anchors(reader, article, make_comment):
    first, second = _approve_many(article, make_comment, 2)

    html = reader.get(article.get_absolute_url()).content.decode()

    assert html.index(f'id="comment-{first.pk}"') < html.index(f'id="comment-{second.pk}"')
    assert f'href="#comment-{first.pk}"' in html
    assert "2 comments</h2>" in html


def test_replies_are_shown_under_their_parent(reader, article, make_comment):
    parent, later = _approve_many(article, make_comment, 2)
    reply = make_comment(article, parent=parent, status="approved", body="I agree")
    make_comment(article, parent=parent, body="Pending reply")

    html = reader.get(article.get_absolute_url()).content.decode()

    assert (
        html.index(f'id="comment-{parent.pk}"')
        < html.index(f'id="comment-{reply.pk}"')
        < html.index(f'id="comment-{later.pk}"')
    )
    assert "comment-replies" in html
    assert "Pending reply" not in html


def test_many_comments_are_split_into_pages(reader, article, make_comment, settings):
    settings.COMMENTS_PER_PAGE = 5
    comments = _approve_many(article, make_comment, 12)

    first = reader.get(article.get_absolute_url()).content.decode()
    third = reader.get(article.get_absolute_url() + "?comments-page=3").content.decode()

    assert f'id="comment-{comments[4].pk}"' in first
    assert f'id="comment-{comments[5].pk}"' not in first
    assert "?comments-page=2#comments" in first
    assert f'id="comment-{comments[11].pk}"' in third
    assert "Page 3 of 3" in third


def test_the_first_page_of_comments_has_one_address(reader, article, make_comment, settings):
    settings.COMMENTS_PER_PAGE = 5
    _approve_many(article, make_comment, 7)
    url = article.get_absolute_url()

    second = reader.get(url + "?comments-page=2").content.decode()
    asked = reader.get(url + "?comments-page=1&reply-to=5")

    assert f'rel="prev" href="{url}#comments"' in second
    assert asked.status_code == 301
    assert asked["Location"] == url + "?reply-to=5"


def test_a_junk_comment_page_number_leads_to_a_page_not_an_error(reader, article, make_comment):
    """Not the page drawn under that address (a copy of the article at an address without end),
    nor a 404 for the article: a redirect to a page that is there (more in
    tests/test_comment_page_addresses.py)."""
    _approve_many(article, make_comment, 2)
    url = article.get_absolute_url()

    junk = reader.get(url + "?comments-page=abc")
    past_the_end = reader.get(url + "?comments-page=999")

    assert (junk.status_code, junk["Location"]) == (301, url)
    assert (past_the_end.status_code, past_the_end["Location"]) == (302, url)
    assert reader.get(url).status_code == 200


def test_comment_text_is_never_made_into_links(reader, article, make_comment):
    make_comment(article, status="approved", body="Visit https://spam.example now")

    html = reader.get(article.get_absolute_url()).content.decode()

    assert "Visit https://spam.example now" in html
    assert 'href="https://spam.example' not in html


def test_the_email_address_is_never_shown_publicly(reader, article, make_comment):
    make_comment(article, status="approved", email="secret-address@example.com")

    assert (
        "secret-address@example.com" not in reader.get(article.get_absolute_url()).content.decode()
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_article_page_makes_as_many_queries_with_200_comments_as_with_none(
    reader, article, make_article, make_comment
):
    busy = make_article()
    parents = _approve_many(busy, make_comment, 150)
    for parent in parents[:50]:
        make_comment(busy, parent=parent, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=busy.pk).update(approved_comment_count=200)
    # Warm both pages once (first-request work such as filling the HTML cache is not the point).
    _queries(reader, article.get_absolute_url())
    _queries(reader, busy.get_absolute_url())

    assert _queries(reader, busy.get_absolute_url()) == _queries(reader, article.get_absolute_url())


def test_a_cold_cache_does_not_add_queries_either(reader, article, make_article, make_comment):
    busy = make_article()
    _approve_many(busy, make_comment, 200)
    _queries(reader, article.get_absolute_url())

    assert _queries(reader, busy.get_absolute_url()) == _queries(reader, article.get_absolute_url())


def test_approved_comments_are_drawn_once_and_then_served_from_the_cache(
    reader, article, make_comment, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.FRAGMENT_CACHE_SECONDS = 300
    _approve_many(article, make_comment, 3)
    reader.get(article.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        html = reader.get(article.get_absolute_url()).content.decode()

    assert html.count('class="comment"') == 3
    assert not [q for q in queries.captured_queries if "comments_comment" in q["sql"]]


@pytest.mark.django_db
def test_the_reply_link_is_offered_only_while_comments_are_open(reader, make_article, make_comment):
    open_article = make_article()
    closed = make_article(comments_enabled=False)
    make_comment(open_article, status="approved")
    make_comment(closed, status="approved")

    assert "?reply-to=" in reader.get(open_article.get_absolute_url()).content.decode()
    assert "?reply-to=" not in reader.get(closed.get_absolute_url()).content.decode()


def test_an_approved_comment_appears_at_once_despite_the_cached_comment_list(
    reader, article, make_comment, moderator, settings, django_capture_on_commit_callbacks
):
    from comments.services import approve

    settings.FRAGMENT_CACHE_SECONDS = 300
    comment = make_comment(article, body="Worth the wait")
    assert "Worth the wait" not in reader.get(article.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        approve(comment=comment, by=moderator)

    html = reader.get(article.get_absolute_url()).content.decode()
    assert "Worth the wait" in html
    assert "1 comment</h2>" in html
    assert "1 comment<" in reader.get("/").content.decode()


@pytest.mark.parametrize("fragment_seconds", [0, 300])
def test_a_logged_in_reader_gets_everyones_form_and_their_own_name_to_fill_it(
    client, article, settings, fragment_seconds
):
    from django.contrib.auth import get_user_model
    from django.test import Client

    settings.FRAGMENT_CACHE_SECONDS = fragment_seconds
    users = get_user_model().objects
    other = Client()
    other.force_login(users.create_user("ivy", "ivy@example.com", "pw", first_name="Ivy"))
    other.get(article.get_absolute_url())
    me = Client(enforce_csrf_checks=True)
    me.force_login(users.create_user("jo", "jo<b>@example.com", "pw", first_name="Jo & Co"))

    html = me.get(article.get_absolute_url()).content.decode()

    assert "Signed in as <strong>Jo &amp; Co</strong> (jo&lt;b&gt;@example.com)" in html
    assert "ivy@example.com" not in html and "Ivy" not in html
    # The form is everyone's: no token or start time in it, nobody's name or address filled in.
    assert 'name="csrfmiddlewaretoken" value=""' in html and 'name="started" value=""' in html
    assert 'name="name" value=' not in html and 'name="email" value=' not in html
    tokens = me.get(f"/comments/form-token/{article.pk}/").json()
    # Their name as it is; an address the form would refuse is left for them to type.
    assert tokens["name"] == "Jo & Co" and "email" not in tokens
    response = me.post(
        f"/comments/post/{article.pk}/",
        {
            "csrfmiddlewaretoken": tokens["csrfmiddlewaretoken"],
            "started": form_token(article.pk, issued_at=time.time() - 60),
            "email": "jo@example.com",
            "body": "Hi",
        },
    )
    assert response.status_code == 302
    assert Comment.objects.get(body="Hi").name == "Jo & Co"


def test_a_staff_account_s_comment_wears_the_newsroom_badge_and_a_typed_name_does_not(
    client, reader, article, comment_form_data, django_user_model, moderator
):
    reporter = django_user_model.objects.create_user(
        "marta", "marta@newsroom.example", "pw", first_name="Marta", last_name="Ribeiro"
    )
    reporter.is_staff = True
    reporter.save()
    client.force_login(reporter)
    data = comment_form_data(article, name="", email="", body="Reporter here: the date is right.")
    assert client.post(f"/comments/post/{article.pk}/", data).status_code == 302
    impostor = comment_form_data(
        article, name="Marta Ribeiro", email="marta@example.net", body="Reporter here, honest."
    )
    assert reader.post(f"/comments/post/{article.pk}/", impostor).status_code == 302

    # Both wait for a moderator, who is told which came from the newsroom's account.
    ours, theirs = Comment.objects.order_by("pk")
    assert (ours.status, ours.held_because) == ("pending", ["from the staff account “marta”"])
    assert theirs.status == "pending" and "first-time commenter" in theirs.held_because
    for comment in (ours, theirs):
        approve(comment=comment, by=moderator)

    html = reader.get(article.get_absolute_url()).content.decode()
    assert html.count(">Newsroom</span>") == 1
    badge = html.index(">Newsroom</span>")
    assert html.index(f'id="comment-{ours.pk}"') < badge < html.index(f'id="comment-{theirs.pk}"')


def test_a_comments_time_says_which_time_zone_it_is_in(reader, article, make_comment, settings):
    # As the byline above it does: "22:30" in New York is 03:30 the next day in London, and
    # the commenter's status page gives the edit deadline beside it with its zone already.
    from datetime import UTC, datetime

    settings.TIME_ZONE = "America/New_York"
    comment = make_comment(article, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=datetime(2026, 1, 16, 3, 30, tzinfo=UTC)
    )
    shown = '<time datetime="2026-01-15T22:30:00-0500">15 Jan 2026, 22:30 EST</time>'

    for url in (article.get_absolute_url(), comment.status_url, f"/comments/report/{comment.pk}/"):
        assert shown in reader.get(url).content.decode(), url


def test_a_staff_comment_edited_cleanly_stays_published_even_once_its_account_is_gone(
    reader, article, make_comment, django_user_model
):
    from comments.models import ModerationPolicy
    from comments.tokens import status_token

    ModerationPolicy.objects.create(publish_clean_edits=True)
    reporter = django_user_model.objects.create_user("marta", "marta@newsroom.example", "pw")
    published = {"status": "approved", "moderated_at": timezone.now(), "from_newsroom": True}
    typo = make_comment(article, user=reporter, body="Reporter hree.", **published)
    fixed = make_comment(article, user=reporter, body="Thanks, all.", **published)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    edit = "/comments/status/{}/edit/"

    reader.post(edit.format(status_token(typo)), {"body": "Reporter here."})
    reporter.delete()  # a reporter who only commented: nothing of theirs in the admin's log
    answer = reader.post(edit.format(status_token(fixed)), {"body": "Thanks, everyone."})

    assert answer.status_code == 302
    assert list(Comment.objects.order_by("pk").values_list("status", "body")) == [
        ("approved", "Reporter here."),
        ("approved", "Thanks, everyone."),
    ]
    assert "Thanks, everyone." in reader.get(article.get_absolute_url()).content.decode()
