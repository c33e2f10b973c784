"""Editors' picks: a moderator sets published comments above an article's comments; readers see
them there, each leading to its place in the conversation, and wearing a badge in it."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from comments.commenter_services import edit_comment
from comments.models import Comment, ModerationPolicy
from comments.picks import MAX_PICKS, pick, unpick
from comments.services import take_down


@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300


def _published(article, make_comment, n, **fields):
    comments = [make_comment(article, status=Comment.Status.APPROVED, **fields) for _ in range(n)]
    Article.objects.filter(pk=article.pk).update(approved_comment_count=n)
    return comments


def _picks_box(html: str) -> str:
    start = html.find('class="comment-picks"')
    return html[start : html.index("</section>", start)] if start >= 0 else ""


def test_a_picked_comment_shows_above_the_comments_and_wears_the_badge(
    reader, article, make_comment, moderator
):
    first, chosen = _published(article, make_comment, 2)
    Comment.objects.filter(pk=chosen.pk).update(body="The best answer to the story.")

    assert pick(comment=chosen, by=moderator, revision=0) is True
    html = reader.get(article.get_absolute_url()).content.decode()

    box = _picks_box(html)
    assert "Editors’ pick" in box
    assert "The best answer to the story." in box
    assert chosen.name in box
    assert f'href="{article.get_absolute_url()}#comment-{chosen.pk}"' in box
    # The box comes before the conversation, where the comment stays in its place.
    assert html.index('class="comment-picks"') < html.index(f'id="comment-{first.pk}"')
    thread_card = html[html.index(f'id="comment-{chosen.pk}"') :]
    assert "comment-badge-pick" in thread_card[: thread_card.index("</article>")]
    first_card = html[html.index(f'id="comment-{first.pk}"') :]
    assert "comment-badge-pick" not in first_card[: first_card.index("</article>")]


def test_no_box_without_picks(reader, article, make_comment):
    _published(article, make_comment, 3)

    html = reader.get(article.get_absolute_url()).content.decode()

    assert 'class="comment-picks"' not in html
    assert "Editors’ pick" not in html


def test_a_pick_on_a_later_page_leads_to_that_page_and_stays_out_of_the_first(
    reader, article, make_comment, moderator, settings
):
    settings.COMMENTS_PER_PAGE = 2
    comments = _published(article, make_comment, 5)
    late = comments[4]
    reply = make_comment(
        article, parent=comments[2], status="approved", body="A sharp reply.\n\nIn two parts."
    )
    pick(comment=late, by=moderator, revision=0)
    pick(comment=reply, by=moderator, revision=0)

    url = article.get_absolute_url()
    first = reader.get(url).content.decode()
    box = _picks_box(first)

    # Each leads to the page its thread is on when followed (comments approved meanwhile
    # move it), by an address the box, kept for every reader, can hold.
    links = re.findall(r'href="([^"]+)">In the conversation', box)
    assert [reader.get(link)["Location"] for link in links] == [
        f"{url}?comments-page=3#comment-{late.pk}",
        f"{url}?comments-page=2#comment-{reply.pk}",
    ]
    assert "A sharp reply.\n\nIn two parts." in box  # its paragraphs kept
    # On the first page only in the box: not drawn among that page's threads.
    assert f'id="comment-{late.pk}"' not in first
    assert f'id="comment-{reply.pk}"' not in first
    assert "Page 1 of 3" in first
    later = reader.get(url + "?comments-page=3").content.decode()
    assert 'class="comment-picks"' not in later
    assert f'id="comment-{late.pk}"' in later
    assert "comment-badge-pick" in later


def test_threads_sent_in_the_same_instant_keep_one_page_each(
    reader, article, make_comment, moderator, settings
):
    settings.COMMENTS_PER_PAGE = 2
    instant = timezone.now() - timedelta(hours=1)
    comments = _published(article, make_comment, 4, created_at=instant)
    pick(comment=comments[3], by=moderator, revision=0)

    url = article.get_absolute_url()
    first = reader.get(url).content.decode()
    [link] = re.findall(r'href="([^"]+)">In the conversation', _picks_box(first))

    assert reader.get(link)["Location"] == f"{url}?comments-page=2#comment-{comments[3].pk}"
    assert first.count('class="comment-thread"') == 2
    assert f'id="comment-{comments[3].pk}"' not in first
    second = reader.get(url + "?comments-page=2").content.decode()
    assert f'id="comment-{comments[3].pk}"' in second


def test_the_way_to_a_pick_taken_off_the_page_since_leads_to_the_comments(
    reader, article, make_comment, moderator
):
    from django.urls import reverse

    [chosen] = _published(article, make_comment, 1)
    way = reverse("comments:in-conversation", args=[chosen.pk])
    assert reader.get(way)["Location"] == f"{article.get_absolute_url()}#comment-{chosen.pk}"

    Comment.objects.filter(pk=chosen.pk).update(withdrawn_at=timezone.now())
    assert reader.get(way)["Location"] == f"{article.get_absolute_url()}#comments"
    Comment.objects.filter(pk=chosen.pk).update(status="rejected")
    assert reader.get(way).status_code == 404
    assert reader.get(reverse("comments:in-conversation", args=[9999])).status_code == 404


def test_the_first_page_costs_the_same_queries_with_picks_as_without(
    reader, article, make_article, make_comment, moderator, settings
):
    settings.COMMENTS_PER_PAGE = 2
    plain = make_article(title="Plain", slug="plain")
    _published(plain, make_comment, 6)
    picked = _published(article, make_comment, 6)
    for comment in picked[1:]:
        pick(comment=comment, by=moderator, revision=0)

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert reader.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries(article.get_absolute_url()) == queries(plain.get_absolute_url())


def test_an_edit_since_the_pick_takes_it_off_the_picks(reader, article, make_comment, moderator):
    ModerationPolicy.objects.create(publish_clean_edits=True)
    [chosen] = _published(
        article, make_comment, 1, body="First words.", moderated_at=timezone.now()
    )
    pick(comment=chosen, by=moderator, revision=0)

    edit_comment(comment=chosen, body="Quite different words now.")
    html = reader.get(article.get_absolute_url()).content.decode()

    assert "Quite different words now." in html  # still published: the policy keeps it up
    assert 'class="comment-picks"' not in html
    assert "comment-badge-pick" not in html


def test_a_pick_is_refused_for_words_the_moderator_did_not_read(article, make_comment, moderator):
    [chosen] = _published(article, make_comment, 1)
    Comment.objects.filter(pk=chosen.pk).update(revision=1)  # its author edited it meanwhile

    with pytest.raises(ValidationError, match="edited it after this page was drawn"):
        pick(comment=chosen, by=moderator, revision=0)
    assert not Comment.objects.picks().exists()


@pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
def test_only_a_published_comment_can_be_picked(article, make_comment, moderator, status):
    comment = make_comment(article, status=status)

    with pytest.raises(ValidationError, match="Only a published comment"):
        pick(comment=comment, by=moderator, revision=0)


def test_a_comment_taken_down_leaves_the_picks(reader, article, make_comment, moderator):
    [chosen] = _published(article, make_comment, 1)
    pick(comment=chosen, by=moderator, revision=0)

    take_down(Comment.objects.filter(pk=chosen.pk), by=moderator, reason="Libel")
    html = reader.get(article.get_absolute_url()).content.decode()

    assert 'class="comment-picks"' not in html
    assert chosen.body not in html


def test_an_article_holds_at_most_five_picks(article, make_comment, moderator):
    comments = _published(article, make_comment, MAX_PICKS + 1)
    for comment in comments[:MAX_PICKS]:
        pick(comment=comment, by=moderator, revision=0)

    with pytest.raises(ValidationError, match="Remove one first"):
        pick(comment=comments[-1], by=moderator, revision=0)
    unpick(comment=comments[0], by=moderator)
    assert pick(comment=comments[-1], by=moderator, revision=0) is True
    assert Comment.objects.picks().count() == MAX_PICKS


def test_picking_twice_changes_nothing_and_unpicking_takes_it_off(
    reader, article, make_comment, moderator
):
    [chosen] = _published(article, make_comment, 1)

    assert pick(comment=chosen, by=moderator, revision=0) is True
    assert pick(comment=chosen, by=moderator, revision=0) is False
    assert unpick(comment=chosen, by=moderator) is True
    assert unpick(comment=chosen, by=moderator) is False
    assert 'class="comment-picks"' not in reader.get(article.get_absolute_url()).content.decode()


def test_a_pick_reaches_readers_of_a_kept_page_at_once(
    fragments_on, reader, article, make_comment, moderator, django_capture_on_commit_callbacks
):
    [chosen] = _published(article, make_comment, 1)
    url = article.get_absolute_url()
    assert 'class="comment-picks"' not in reader.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        pick(comment=chosen, by=moderator, revision=0)
    assert 'class="comment-picks"' in reader.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        unpick(comment=chosen, by=moderator)
    assert 'class="comment-picks"' not in reader.get(url).content.decode()


def test_a_pick_purges_the_article_page_at_the_front_cache(
    purges, article, make_comment, moderator, django_capture_on_commit_callbacks
):
    [chosen] = _published(article, make_comment, 1)

    with django_capture_on_commit_callbacks(execute=True):
        pick(comment=chosen, by=moderator, revision=0)
    assert f"article-{article.pk}" in purges.pop()
    with django_capture_on_commit_callbacks(execute=True):
        unpick(comment=chosen, by=moderator)
    assert f"article-{article.pk}" in purges.pop()


def test_picks_are_in_the_admin_history(article, make_comment, moderator):
    from django.contrib.admin.models import LogEntry

    [chosen] = _published(article, make_comment, 1)
    pick(comment=chosen, by=moderator, revision=0)
    unpick(comment=chosen, by=moderator)

    messages = list(
        LogEntry.objects.filter(object_id=str(chosen.pk)).values_list("change_message", flat=True)
    )
    assert sorted(messages) == ["Picked as an editors' pick", "Removed from the editors' picks"]


def test_the_demo_lead_story_shows_two_editors_picks(db, client):
    from django.core.management import call_command

    call_command("load_demo_content", "--no-images", "--no-user")
    call_command("load_demo_comments", verbosity=0)
    lead = Article.objects.filter(comments__picked_at__isnull=False).distinct().get()

    box = _picks_box(client.get(lead.get_absolute_url()).content.decode())

    assert "Editors’ picks" in box
    assert box.count("In the conversation") == 2
    assert "Henrik Larsen" in box


def test_its_writer_reads_on_the_status_page_that_it_is_a_pick(
    reader, article, make_comment, moderator
):
    from comments.tokens import status_token

    [chosen] = _published(article, make_comment, 1)
    status = f"/comments/status/{status_token(chosen)}/"
    assert "editors’ pick" not in reader.get(status).content.decode()

    pick(comment=chosen, by=moderator, revision=0)

    assert "chose it as an <strong>editors’ pick</strong>" in reader.get(status).content.decode()
    Comment.objects.filter(pk=chosen.pk).update(revision=1)  # edited since: off the picks
    assert "editors’ pick" not in reader.get(status).content.decode()


def test_leaving_the_page_ends_a_pick(reader, article, make_comment, moderator):
    from comments.report_undo import undo_take_downs
    from comments.services import approve, return_to_queue

    taken, requeued, *others = _published(article, make_comment, MAX_PICKS + 2)
    for comment in (taken, requeued, *others[: MAX_PICKS - 2]):
        pick(comment=comment, by=moderator, revision=0)
    take_down(Comment.objects.filter(pk=taken.pk), by=moderator, reason="Libel")
    return_to_queue([requeued], by=moderator)
    pick(comment=others[-2], by=moderator, revision=0)
    pick(comment=others[-1], by=moderator, revision=0)

    # Put back by mistake's Undo, approved again: published, not picked.
    undo_take_downs([Comment.objects.get(pk=taken.pk)], by=moderator)
    approve(comment=Comment.objects.get(pk=requeued.pk), by=moderator)

    assert Comment.objects.approved().filter(pk__in=[taken.pk, requeued.pk]).count() == 2
    assert Comment.objects.picks().count() == MAX_PICKS
    assert not Comment.objects.picks().filter(pk__in=[taken.pk, requeued.pk]).exists()


def test_a_pick_readers_reports_hide_is_no_longer_one(article, make_comment, moderator):
    from comments.desk import report_comment
    from comments.services import approve

    ModerationPolicy.objects.create(hide_after_reports=1)
    [chosen] = _published(article, make_comment, 1)
    pick(comment=chosen, by=moderator, revision=0)

    report_comment(comment=chosen, reason="abuse", ip="192.0.2.1")
    assert not Comment.objects.picks().exists()
    approve(comment=Comment.objects.get(pk=chosen.pk), by=moderator)  # kept after a look

    assert Comment.objects.approved().filter(pk=chosen.pk).exists()
    assert not Comment.objects.picks().exists()
