"""A reader's comment through the moderator's hands in the Django admin, and back to readers."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.browser.helpers import decide_in_queue, log_in_to_admin, post_comment

pytestmark = pytest.mark.browser


@pytest.fixture
def article(make_article):
    return make_article(title="Xiaomi will mass-produce its car", slug="xiaomi-car")


@pytest.fixture(autouse=True)
def fragment_cache_on(settings):
    # As in production: the comment list comes from the cache, which the moderator's decision
    # must move on.
    settings.FRAGMENT_CACHE_SECONDS = 300


def test_moderator_approves_from_the_queue_and_the_reader_sees_it_after_reload(
    page, new_page, article, moderator, snap, assert_accessible
):
    # Markup in a comment is text: were it markup, the watchdog would see the blocked script
    # (CSP) or the broken image request.
    # A long unbroken address must not push the page sideways on a phone.
    body = (
        'Prices are falling. <script>alert("x")</script><img src="nowhere.png"> See '
        "https://example.com/" + "a-very-long-unbroken-path" * 6
    )
    page.goto(article.get_absolute_url())
    post_comment(page, name="Maria Lopez", email="maria@example.com", body=body)
    expect(page.locator(".comment-list")).to_have_count(0)

    admin = new_page()
    log_in_to_admin(admin, moderator.username)
    expect(admin.locator("#moderation-summary .moderation-pending")).to_have_text("1")
    snap("admin-index", on=admin)
    decide_in_queue(admin, excerpt="Prices are falling.", action="Approve selected comments")
    expect(admin.locator(".messagelist")).to_contain_text("1 comment approved.")
    snap("admin-approved", on=admin)

    page.reload()
    comment = page.locator(".comment-list .comment")
    expect(comment).to_have_count(1)
    expect(comment.locator(".comment-author")).to_have_text("Maria Lopez")
    expect(comment.locator(".comment-body")).to_have_text(body)
    expect(comment.locator(".comment-body script, .comment-body img")).to_have_count(0)
    expect(page.locator("#comments-heading")).to_have_text("1 comment")
    expect(comment).not_to_contain_text("maria@example.com")  # never shown publicly
    snap("article-with-comment", phone_layout=True)
    assert_accessible("article with a comment")


def test_reply_is_posted_moderated_and_shown_under_its_parent(
    page, new_page, article, moderator, snap, assert_accessible, make_comment
):
    parent = make_comment(article, name="Early Bird", status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)

    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Reply to Early Bird").click()
    expect(page.locator("#comment-form-heading")).to_have_text("Reply to Early Bird")
    snap("reply-form")
    post_comment(page, name="Maria Lopez", email="maria@example.com", body="I agree with you.")
    reply = Comment.objects.get(parent=parent)
    assert reply.status == Comment.Status.PENDING
    expect(page.locator(".comment-replies")).to_have_count(0)

    admin = new_page()
    log_in_to_admin(admin, moderator.username)
    decide_in_queue(admin, excerpt="I agree with you.", action="Approve selected comments")
    expect(admin.locator(".messagelist")).to_contain_text("1 comment approved.")

    page.reload()
    thread = page.locator(".comment-list > li", has=page.locator(f"#comment-{parent.pk}"))
    shown = thread.locator(f".comment-replies #comment-{reply.pk}")
    expect(shown.locator(".comment-body")).to_have_text("I agree with you.")
    expect(shown.locator(".comment-author")).to_have_text("Maria Lopez")
    snap("article-with-reply", phone_layout=True)
    assert_accessible("article with a reply")


def test_rejected_comment_status_link_shows_the_reason(
    page, new_page, article, moderator, snap, assert_accessible
):
    page.goto(article.get_absolute_url())
    post_comment(page, name="Sam Spammy", email="sam@example.com", body="Buy my car instead.")
    page.locator(".messages").get_by_role("link", name="private status page").click()
    expect(page).to_have_url(re.compile(r"/comments/status/[^/]+/$"))
    expect(page.locator(".comment-status")).to_contain_text("waiting for review")
    status_url = page.url

    admin = new_page()
    log_in_to_admin(admin, moderator.username)
    decide_in_queue(
        admin,
        excerpt="Buy my car instead.",
        action="Reject selected comments (with the reason)",
        reason="Advertising is not allowed in comments.",
    )
    expect(admin.locator(".messagelist")).to_contain_text(
        "1 comment rejected with the reason “Advertising is not allowed in comments.”."
    )

    page.goto(status_url)
    expect(page.locator(".comment-status")).to_contain_text("rejected")
    expect(page.locator(".rejection-reason")).to_have_text(
        "Moderator’s reason: Advertising is not allowed in comments."
    )
    snap("status-rejected", phone_layout=True)
    assert_accessible("comment status")
    page.goto(article.get_absolute_url())
    expect(page.locator("#comments")).not_to_contain_text("Buy my car instead.")
