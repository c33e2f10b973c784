"""A commenter under an article: a comment sent, bad input shown back, the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.helpers import (
    COMMENT_RECEIVED,
    fill_comment_form,
    log_in_to_admin,
    post_comment,
    unlabelled_fields,
)

pytestmark = pytest.mark.browser

FORM_FIELDS = ["#id_name", "#id_email", "#id_body", "#id_notify"]


@pytest.fixture
def article(make_article):
    return make_article(title="Xiaomi will mass-produce its car", slug="xiaomi-car")


@pytest.fixture
def page_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    context.set_default_timeout(5_000)
    yield context.new_page()
    context.close()


def test_commenter_sees_the_exact_message_and_a_reload_does_not_post_again(page, article, snap):
    page.goto(article.get_absolute_url())
    expect(page.locator("#comment-form-heading")).to_have_text(
        "Add a comment on Xiaomi will mass-produce its car"
    )
    assert unlabelled_fields(page) == []
    snap("comment-form")

    post_comment(
        page, name="Maria Lopez", email="maria@example.com", body="Good to see prices falling."
    )
    expect(page).to_have_url(re.compile(r"/articles/xiaomi-car/#comments$"))
    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED)
    # Focus on what they were told: a status region that came with the page is not always read.
    page.wait_for_load_state("load")
    expect(page.locator("#comments .messages")).to_be_focused()
    expect(page.locator(".messages")).to_contain_text("private status page")
    # Pending: stored, but shown to nobody, not even its author.
    expect(page.locator("#comments-heading")).to_have_text("0 comments")
    expect(page.locator(".comment-list")).to_have_count(0)
    snap("comment-sent", phone_layout=True)

    page.reload()
    expect(page.locator(".messages")).to_have_count(0)
    comment = Comment.objects.get()
    assert (comment.name, comment.status) == ("Maria Lopez", Comment.Status.PENDING)


def test_commenter_sees_the_errors_with_the_text_kept(
    page, watch, article, snap, assert_accessible
):
    page.goto(article.get_absolute_url())
    body = "My words <b>stay</b> here, even when the rest is wrong."
    fill_comment_form(page, name="", email="not-an-address", body=body)
    page.get_by_role("button", name="Send comment").click()

    # At its summary (comments.js moves there from #comment-form, where the post lands).
    expect(page).to_have_url(re.compile(r"/comments/post/\d+/#comment-form-errors$"))
    expect(page.locator("#error_1_id_name")).to_have_text("This field is required.")
    expect(page.locator("#error_1_id_email")).to_have_text(
        "Enter an e-mail address such as name@example.com."
    )
    expect(page.locator("#id_email")).to_have_value("not-an-address")
    expect(page.locator("#id_body")).to_have_value(body)
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".messages")).to_have_count(0)
    assert unlabelled_fields(page) == []
    snap("comment-errors", phone_layout=True)
    assert_accessible("comment errors")
    assert not Comment.objects.exists()

    # Put it right on the same page: the kept text goes through.
    page.locator("#comment-form").get_by_label(re.compile(r"^\s*Name\s*\*?\s*$")).fill(
        "Maria Lopez"
    )
    page.locator("#id_email").fill("maria@example.com")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED)
    assert Comment.objects.get().body == body


def test_a_form_sent_back_with_errors_says_so_first_and_leads_to_each_field(
    page, article, snap, assert_accessible
):
    page.goto(article.get_absolute_url())
    fill_comment_form(page, name="K", email="not-an-email", body="")
    page.get_by_role("button", name="Send comment").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert").filter(has_text="Your comment was not sent")
    expect(summary).to_be_focused()
    expect(page.locator("#comment-form-heading")).to_be_in_viewport(ratio=1)
    expect(summary.get_by_role("listitem")).to_have_text(
        [
            "E-mail: Enter an e-mail address such as name@example.com.",
            "Comment: This field is required.",
        ]
    )
    snap("comment-error-summary", phone_layout=True)
    assert_accessible("comment error summary")

    # Tab goes from the summary to its links; each takes the reader to its field.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name="E-mail")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_email")).to_be_focused()
    label = page.locator("label[for=id_email]").bounding_box()
    assert label["y"] >= 0, "the field's label is above the top of the window"


def test_without_javascript_a_form_sent_back_with_errors_lands_on_its_summary(
    page_without_javascript, article
):
    page = page_without_javascript
    # A page drawn for this reader (errors come back with a token), then sent wrong.
    page.goto(article.get_absolute_url())
    page.get_by_role("button", name="Send comment").click()
    fill_comment_form(page, name="K", email="not-an-email", body="")
    page.get_by_role("button", name="Send comment").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert").filter(has_text="Your comment was not sent")
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("link")).to_have_text(["E-mail", "Comment"])


def test_without_javascript_a_form_from_a_shared_page_says_what_is_wrong_at_the_first_press(
    page_without_javascript, article
):
    """The first press (no token on a shared page) came back with only "press Send comment once
    more: your text is kept", whatever was missing; the errors came at the second press."""
    page = page_without_javascript
    page.goto(article.get_absolute_url())
    fill_comment_form(page, name="Nora Script", email="nora@example", body="")
    page.get_by_role("button", name="Send comment").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert").filter(has_text="Your comment was not sent")
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("link")).to_have_text(["E-mail", "Comment"])
    expect(page.locator("#comment-form")).not_to_contain_text("once more")
    expect(page.locator("#id_name")).to_have_value("Nora Script")

    page.locator("#id_email").fill("nora@example.com")
    page.locator("#id_body").fill("Put right, sent with one press.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED)
    assert Comment.objects.get().body == "Put right, sent with one press."


def test_commenter_can_do_it_all_with_the_keyboard(page, article, snap):
    page.goto(article.get_absolute_url())
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    focused = None
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.id")
        if focused == "id_name":
            break
    assert focused == "id_name", "Tab never reached the comment form's name field"

    page.keyboard.type("Kim Keyboard")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_email"
    page.keyboard.type("kim@example.com")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_body"
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_notify"
    page.keyboard.press("Space")
    expect(page.locator("#id_notify")).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_notify_reply"
    page.keyboard.press("Tab")  # past the honeypot (tabindex -1) to the button
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Send comment"
    snap("keyboard-focus-on-send")
    page.keyboard.press("Enter")

    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED)
    comment = Comment.objects.get()
    assert (comment.name, comment.body, comment.notify_on_decision) == (
        "Kim Keyboard",
        "Typed without a mouse.",
        True,
    )
    snap("keyboard-comment-sent")


def test_without_javascript_a_comment_from_a_shared_page_is_sent_once_more(
    page_without_javascript, article
):
    page = page_without_javascript
    page.goto(article.get_absolute_url())
    body = "Sent without JavaScript, from the page everyone shares."
    fill_comment_form(page, name="Nora Script", email="nora@example.com", body=body)
    page.get_by_role("button", name="Send comment").click()

    expect(page.locator(".messages")).to_contain_text("once more")
    expect(page.locator("#id_body")).to_have_value(body)
    assert not Comment.objects.exists()

    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED)
    assert Comment.objects.get().body == body


def test_a_signed_in_staff_member_finds_their_name_filled_in_and_the_way_to_the_desk(
    page, article, moderator, snap
):
    moderator.first_name, moderator.last_name = "Mo", "Derator"
    moderator.save()
    log_in_to_admin(page, "moderator")

    page.goto(article.get_absolute_url())
    bar = page.get_by_role("complementary", name="Your account")
    expect(bar).to_contain_text("Signed in as Mo Derator (moderator@newsroom.example)")
    # The way to their desk; not to the article's editor, which a moderator may not open.
    expect(bar.get_by_role("link", name="Comments waiting for review")).to_have_attribute(
        "href", "/admin/comments/comment/"
    )
    expect(bar.get_by_role("link", name="Edit this article")).to_have_count(0)
    form = page.locator("#comment-form")
    form.get_by_label(re.compile(r"^\s*Comment\s*\*?\s*$")).fill("Seen from the newsroom.")
    expect(page.locator("#id_name")).to_have_value("Mo Derator")
    expect(page.locator("#id_email")).to_have_value("moderator@newsroom.example")
    snap("signed-in-comment-form")

    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED)
    comment = Comment.objects.get()
    assert (comment.name, comment.email, comment.user) == (
        "Mo Derator",
        "moderator@newsroom.example",
        moderator,
    )


def test_a_second_press_of_send_while_the_first_is_on_its_way_posts_nothing_more(
    page, article, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 15  # as in production: a second post would be refused
    page.goto(article.get_absolute_url())
    fill_comment_form(page, name="Maria Lopez", email="maria@example.com", body="Sent twice?")
    expect(page.locator("#comment-form input[name=csrfmiddlewaretoken]")).not_to_have_value("")
    # A slow connection: the first post is on its way when the reader presses again.
    posts = []
    page.route("**/comments/post/**", lambda route: posts.append(route))
    # Both presses from the page itself: Playwright waits on a page whose navigation is pending.
    page.evaluate(
        """() => {
            const send = document.querySelector("#comment-form button[type=submit]");
            send.click();
            setTimeout(() => send.click(), 300);
        }"""
    )
    for _ in range(40):
        page.wait_for_timeout(50)
    assert len(posts) == 1
    posts[0].continue_()

    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED)
    expect(page.locator(".messages")).to_contain_text("private status page")
    assert Comment.objects.count() == 1


def test_a_pasted_comment_too_long_comes_back_whole_instead_of_cut_without_a_word(
    page, article, make_comment
):
    """The box's maxlength cut a paste at 3,000 characters and said nothing: the rest was lost,
    and what went out stopped mid-sentence. The page now refuses it, the text kept whole to
    shorten (GOV.UK's character count advises against maxlength for this reason)."""
    text = ("Every word of this matters to me. " * 100).strip()  # 3,399 characters
    page.goto(article.get_absolute_url())
    fill_comment_form(page, name="Maria Lopez", email="maria@example.com", body="")
    page.locator("#id_body").focus()
    page.keyboard.insert_text(text)  # a paste: what a browser's maxlength cuts
    expect(page.locator("#id_body")).to_have_value(text)
    page.get_by_role("button", name="Send comment").click()

    expect(page.locator("#error_1_id_body")).to_contain_text(
        "too many: it can be 3,000 characters at most"
    )
    expect(page.locator("#id_body")).to_have_value(text)
    assert not Comment.objects.exists()

    # The same on the status page's edit form.
    mine = make_comment(article, body="Short at first")
    page.goto(mine.status_url + "edit/")
    page.locator("#id_body").fill("")
    page.keyboard.insert_text(text)
    expect(page.locator("#id_body")).to_have_value(text)


def test_near_its_limit_the_comment_box_counts_what_is_left_and_what_is_too_many(page, article):
    """With no maxlength to stop them, readers are told as they write, not only once sent; a
    screen reader hears it when typing pauses (a live region tied to the box)."""
    page.goto(article.get_absolute_url())
    box = page.locator("#id_body")
    count = page.locator("#id_body-count")
    box.fill("Short and sweet.")
    expect(count).to_have_text("")

    box.fill("x" * 2_990)
    box.press("End")
    page.keyboard.type("yy")  # the reader goes on writing
    expect(count).to_have_text("You have 8 characters left")
    page.keyboard.insert_text("\n" + "z" * 10)
    expect(count).to_have_text("You have 3 characters too many")
    assert "id_body-count" in (box.get_attribute("aria-describedby") or "")


def test_the_edit_box_counts_down_as_the_comment_box_does(page, article, make_comment):
    """The status page's edit form has no maxlength either: its writer is told as they write,
    as under the article, not only once they press Save."""
    mine = make_comment(article, body="Short at first")
    page.goto(mine.status_url + "edit/")
    box = page.locator("#id_body")
    count = page.locator("#id_body-count")
    expect(count).to_have_text("")

    box.fill("x" * 2_995)
    expect(count).to_have_text("You have 5 characters left")
    box.press("End")
    page.keyboard.insert_text("y" * 7)
    expect(count).to_have_text("You have 2 characters too many")
    assert "id_body-count" in (box.get_attribute("aria-describedby") or "")


def test_a_report_s_words_pasted_too_long_come_back_whole(page, article, make_comment):
    """The report box's maxlength cut a paste at 500 characters without a word, as the comment
    box's did."""
    from articles.models import Article

    make_comment(article, name="First Reader", body="One view.", status="approved")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    words = ("It names my neighbour and where she lives. " * 14).strip()  # 601 characters
    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Report the comment by First Reader").click()
    page.get_by_label("Abusive or hateful").check()
    page.get_by_label(re.compile(r"^Anything to add")).focus()
    page.keyboard.insert_text(words)
    page.get_by_role("button", name="Send report").click()

    expect(page.locator("#report-text-error")).to_contain_text("at most 500 characters")
    expect(page.get_by_label(re.compile(r"^Anything to add"))).to_have_value(words)
