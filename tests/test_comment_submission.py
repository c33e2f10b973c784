"""Posting a comment: the form, bad input kept with its errors, missing articles (closed ones:
tests/test_comment_closing.py)."""

import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from articles.models import Article
from comments.models import Comment
from comments.tokens import status_token


def _post(client, article, data, **extra):
    return client.post(reverse("comments:post", args=[article.pk]), data, **extra)


def test_the_form_is_headed_with_the_article_title_and_labels_every_field(reader, article):
    html = reader.get(article.get_absolute_url()).content.decode()

    assert "Add a comment on Xiaomi will mass-produce its car" in html
    for field_id, label in [
        ("id_name", "Name"),
        ("id_email", "E-mail"),
        ("id_body", "Comment"),
        ("id_notify", "E-mail me when my comment has been reviewed"),
        ("id_website", "Leave this field empty"),
    ]:
        assert f'for="{field_id}"' in html
        assert label in html
    assert "Never shown publicly." in html
    # The labels' "*" is explained where the form starts.
    assert html.count('class="asteriskField">*</span>') == 3
    assert "Fields marked * are required." in html


def test_a_logged_in_reader_finds_name_and_email_filled_in(client, article, django_user_model):
    # The page's form is everyone's; what comments.js asks for when they start writing fills it in
    # (tests/browser/test_commenting.py shows the filled fields).
    user = django_user_model.objects.create_user(
        "maria", "maria@example.com", "pw", first_name="Maria", last_name="Lopez"
    )
    client.force_login(user)
    token_url = reverse("comments:form-token", args=[article.pk])

    html = client.get(article.get_absolute_url()).content.decode()
    answer = client.get(token_url)

    assert "Signed in as <strong>Maria Lopez</strong> (maria@example.com)" in html
    assert (answer.json()["name"], answer.json()["email"]) == ("Maria Lopez", "maria@example.com")
    assert "no-store" in answer["Cache-Control"]
    assert {"name", "email"}.isdisjoint(Client().get(token_url).json())


def test_a_logged_in_reader_who_leaves_name_and_email_blank_comments_as_their_account(
    client, article, comment_form_data, django_user_model
):
    user = django_user_model.objects.create_user(
        "maria", "maria@example.com", "pw", first_name="Maria", last_name="Lopez"
    )
    client.force_login(user)

    response = _post(client, article, comment_form_data(article, name="", email=""))

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.name, comment.email, comment.user) == ("Maria Lopez", "maria@example.com", user)


@pytest.mark.parametrize(
    ("account", "offered"),
    [
        ({"first_name": "Maria"}, ["name"]),  # no address; the login name is never offered
        ({"email": "maria@example.com"}, ["email"]),
        ({"first_name": "M" * 81, "email": "maria@example.com"}, ["email"]),
        ({"first_name": "Maria", "email": "maria@@example"}, ["name"]),
    ],
    ids=["no-address", "no-full-name", "name-too-long", "address-not-valid"],
)
def test_what_a_logged_in_reader_s_account_cannot_give_they_must_type(
    client, article, comment_form_data, django_user_model, account, offered
):
    client.force_login(django_user_model.objects.create_user("maria", password="pw", **account))

    tokens = client.get(reverse("comments:form-token", args=[article.pk])).json()
    response = _post(client, article, comment_form_data(article, name="", email=""))

    assert [field for field in ("name", "email") if field in tokens] == offered
    assert response.status_code == 200
    errors = response.context["comment_form"].errors
    missing = sorted({"name", "email"} - set(offered))
    assert sorted(errors) == missing
    assert all(errors[field] == ["This field is required."] for field in missing)
    assert not Comment.objects.exists()


def test_without_javascript_a_logged_in_reader_s_form_comes_back_with_their_name_filled_in(
    article, comment_form_data, django_user_model
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(
        django_user_model.objects.create_user(
            "maria", "maria@example.com", "pw", first_name="Maria", last_name="Lopez"
        )
    )

    response = _post(browser, article, comment_form_data(article, name="", email="", body="Hi"))

    html = response.content.decode()
    assert "press “Send comment” once more" in html
    assert re.search(r'<input type="text" name="name" value="Maria Lopez"', html)
    assert re.search(r'<input type="email" name="email" value="maria@example.com"', html)
    assert not Comment.objects.exists()


def test_a_logged_in_readers_comment_is_linked_to_their_account(
    client, article, comment_form_data, django_user_model
):
    user = django_user_model.objects.create_user("maria", "maria@example.com", "pw")
    client.force_login(user)

    _post(client, article, comment_form_data(article))

    assert Comment.objects.get().user == user


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("email", "", "This field is required."),
        ("body", "", "This field is required."),
        ("body", "x" * 3001, "You have 1 character too many: it can be 3,000 characters at most."),
        ("body", "x" * 3050, "You have 50 characters too many: it can be 3,000 characters at most"),
        ("email", "not-an-address", "Enter an e-mail address such as name@example.com."),
        ("name", "N" * 81, "Ensure this value has at most 80 characters (it has 81)."),
        ("name", "Maria\nBcc: victim@example.com", "Write your name on one line."),
        ("body", "Hello\x07 there", "Remove the invisible control characters"),
        ("name", "Ma\x00ria", "Remove the invisible control characters"),
        ("body", "Nul\x00 byte", "Remove the invisible control characters"),
        ("body", "C1\x85 control", "Remove the invisible control characters"),
        ("email", '"a\x01b"@example.com', "Remove the invisible control characters"),
        ("name", "Maria \u202eevil", "Remove the invisible text-direction characters"),
        ("name", "\u200b\u200b", "Write a name readers can see."),
        ("name", "\u2060\u00a0\u200d", "Write a name readers can see."),
        ("name", "\u3164\u2800\u034f", "Write a name readers can see."),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_the_text_is_kept(
    reader, article, comment_form_data, field, value, message
):
    data = comment_form_data(article, body="My carefully written thoughts.")
    data[field] = value

    response = _post(reader, article, data)

    assert response.status_code == 200
    form = response.context["comment_form"]
    assert any(message in error for error in form.errors[field])
    html = response.content.decode()
    assert f'id="error_1_id_{field}"' in html  # crispy puts the error under the field
    if field != "body":
        assert "My carefully written thoughts." in html
    assert "Xiaomi will mass-produce its car" in html  # still the article page
    assert not Comment.objects.exists()


def test_line_breaks_pasted_from_a_word_processor_are_line_breaks_when_posting_and_editing(
    reader, article, comment_form_data
):
    # Word's soft return, a page break, and the line and paragraph separators (Word for Mac,
    # Pages, Google Docs): invisible to the writer, who saw a break there.
    pasted = "Dear editor,\x0bone\x0ctwo\u2028three\u2029four"

    response = _post(reader, article, comment_form_data(article, body=pasted))

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.body == "Dear editor,\none\ntwo\nthree\nfour"
    edit = reverse("comments:edit", args=[status_token(comment)])
    assert reader.post(edit, {"body": "Edited\u2028again"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Edited\nagain"


def test_the_reply_and_paging_links_of_a_page_drawn_again_lead_to_the_article(
    reader, article, comment_form_data, make_comment, settings
):
    settings.COMMENTS_PER_PAGE = 1
    for n in range(2):
        make_comment(article, status="approved", body=f"Thread {n}")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)

    # Drawn at the address the form posts to (errors, or "press Send once more").
    response = _post(reader, article, comment_form_data(article, body=""))

    links = re.findall(
        r'<a class="(?:reply-link|ms-3)"[^>]* href="([^"]+)"', response.content.decode()
    )
    assert len(links) == 2  # answer the comment shown; the later comments
    for href in links:
        assert reader.get(href.replace("&amp;", "&")).status_code == 200
        assert href.startswith(article.get_absolute_url())


@pytest.fixture
def bad_reply_on_page_two(article, comment_form_data, make_comment, settings):
    """A reply with a bad address to the second of two threads, one thread a page."""
    settings.COMMENTS_PER_PAGE = 1
    make_comment(article, status="approved", body="The first thread")
    answered = make_comment(article, status="approved", body="The second thread")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    return comment_form_data(article, parent=answered.pk, email="bad-email", body="My answer")


def test_a_reply_drawn_again_with_an_error_is_on_the_page_of_the_comment_it_answers(
    reader, article, bad_reply_on_page_two
):
    page = _post(reader, article, bad_reply_on_page_two).content.decode()

    assert "Enter an e-mail address such as name@example.com" in page
    assert "The second thread" in page and "The first thread" not in page
    # The form, with the reader's text, is drawn under the comment it answers.
    assert page.index("The second thread") < page.index("My answer")


def test_a_reply_drawn_again_after_its_page_emptied_shows_the_last_page(
    reader, article, bad_reply_on_page_two
):
    """The comment answered may leave between the form's check and the drawing of its page: the
    reader gets their text back on the last page, not an error."""
    with mock.patch("comments.links.page_of", return_value=3):
        response = _post(reader, article, bad_reply_on_page_two)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Page 2 of 2" in page and "The second thread" in page
    assert "My answer" in page


def test_a_post_without_a_csrf_token_is_not_stored_but_comes_back_to_send_again(
    article, comment_form_data
):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("comments:post", args=[article.pk]),
        comment_form_data(article, body="Kept while we ask again."),
    )

    assert response.status_code == 200
    assert "press “Send comment” once more" in response.content.decode()
    assert "Kept while we ask again." in response.content.decode()
    assert not Comment.objects.exists()
    # Said inside the form the page lands on (#comment-form), under its heading: where a
    # screen reader and the keyboard start.
    form = response.content.decode().split('id="comment-form"', 1)[1].split("</form>", 1)[0]
    assert "press “Send comment” once more" in form
    assert form.index("comment-form-heading") < form.index("once more")


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}],
    ids=["origin", "sec-fetch-site"],
)
def test_a_cross_site_post_is_refused(article, comment_form_data, headers):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("comments:post", args=[article.pk]),
        comment_form_data(article, body="Sent by another site."),
        **headers,
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "Sent by another site." not in page
    assert "This form came to us from another website" in page
    assert "open for a long time" not in page
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_html_and_scripts_in_a_comment_are_shown_as_text(
    reader, article, comment_form_data, moderator
):
    from comments.services import approve

    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    _post(reader, article, comment_form_data(article, name=evil[:80], body=evil))
    approve(comment=Comment.objects.get(), by=moderator)

    html = reader.get(article.get_absolute_url()).content.decode()

    assert '<script>alert("x")' not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_run_of_blank_lines_in_a_comment_is_kept_as_one(reader, article, comment_form_data):
    body = "First thought.\r\n\r\n\r\n  \r\n\r\nSecond thought.\n\nThird, after one."
    _post(reader, article, comment_form_data(article, body=body))

    assert Comment.objects.get().body == "First thought.\n\nSecond thought.\n\nThird, after one."


def test_posting_to_a_missing_article_is_not_found(reader, article, comment_form_data):
    response = reader.post(reverse("comments:post", args=[999_999]), comment_form_data(article))

    assert response.status_code == 404


def test_posting_to_a_draft_is_not_found(reader, draft, comment_form_data):
    assert _post(reader, draft, comment_form_data(draft)).status_code == 404
    assert not Comment.objects.exists()


def test_posting_to_a_scheduled_article_is_not_found(reader, scheduled, comment_form_data):
    assert _post(reader, scheduled, comment_form_data(scheduled)).status_code == 404


def test_a_reader_can_reply_to_a_published_comment(
    reader, article, approved_comment, comment_form_data
):
    page = reader.get(f"{article.get_absolute_url()}?reply-to={approved_comment.pk}")
    assert "Reply to Early Bird" in strip_tags(page.content.decode())

    response = _post(reader, article, comment_form_data(article, parent=approved_comment.pk))

    assert response.status_code == 302
    reply = Comment.objects.get(parent=approved_comment)
    assert reply.status == Comment.Status.PENDING


@pytest.mark.parametrize("parent_state", ["pending", "reply", "other_article", "missing"])
def test_replies_go_only_to_published_top_level_comments_of_the_same_article(
    reader, article, approved_comment, make_comment, make_article, comment_form_data, parent_state
):
    parents = {
        "pending": lambda: make_comment(article).pk,
        "reply": lambda: (
            make_comment(article, parent=approved_comment, status=Comment.Status.APPROVED).pk
        ),
        "other_article": lambda: make_comment(make_article(), status="approved").pk,
        "missing": lambda: 999_999,
    }
    before = Comment.objects.count()
    parent_id = parents[parent_state]()

    response = _post(reader, article, comment_form_data(article, parent=parent_id))

    assert response.status_code == 200
    assert "You can only reply to a published comment." in response.content.decode()
    assert Comment.objects.count() == before + (parent_state != "missing")


def test_the_count_in_article_lists_includes_only_approved_comments(
    reader, article, make_comment, moderator
):
    from comments.services import approve, reject

    first, second, _third = (make_comment(article) for _ in range(3))
    approve(comment=first, by=moderator)
    reject(comment=second, by=moderator, reason="rude")

    assert Article.objects.get(pk=article.pk).approved_comment_count == 1
    assert "1 comment<" in reader.get("/").content.decode()


def test_line_breaks_count_once_against_the_length_limit(reader, article, comment_form_data):
    # 3,000 characters as the browser's maxlength counts them; sent with CRLF line breaks.
    body = "x" * 1000 + "\r\n" + "y" * 999 + "\r\n" + "z" * 998

    response = _post(reader, article, comment_form_data(article, body=body))

    assert response.status_code == 302
    assert Comment.objects.get().body == body.replace("\r\n", "\n")
