"""The promise the page makes, end to end: post, wait for review, approve or reject."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from comments.models import Comment
from tests.comment_fixtures import as_shown

RECEIVED = "Comment sent successfully! We will review it in the next few hours."


def _post(client, article, data, **extra):
    return client.post(reverse("comments:post", args=[article.pk]), data, **extra)


def _status_url(response):
    html = "".join(str(m) for m in get_messages(response.wsgi_request))
    return re.search(r'href="(/comments/status/[^"]+)"', html).group(1)


@pytest.mark.django_db
def test_a_posted_comment_waits_for_review_and_then_appears_once_a_moderator_approves_it(
    reader, article, comment_form_data, moderator_client
):
    response = _post(reader, article, comment_form_data(article), follow=True)

    assert response.redirect_chain == [(article.get_absolute_url() + "#comments", 302)]
    assert response.status_code == 200
    # The first message the reader is shown is the promise, word for word.
    shown = re.findall(r'<div class="alert alert-\w+">(.*?)</div>', response.content.decode(), re.S)
    assert shown[0] == RECEIVED
    assert RECEIVED in response.content.decode()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert "Good to see prices falling at last." not in response.content.decode()
    assert "0 comments" in response.content.decode()

    changelist = reverse("admin:comments_comment_changelist")
    queue = moderator_client.get(changelist)
    assert "Good to see prices falling at last." in queue.content.decode()
    decided = moderator_client.post(
        changelist,
        {
            "action": "approve_selected",
            "_selected_action": [comment.pk],
            "reason": "",
            **as_shown([comment]),
        },
        follow=True,
    )
    assert "1 comment approved." in decided.content.decode()

    page = reader.get(article.get_absolute_url())
    assert f'id="comment-{comment.pk}"' in page.content.decode()
    assert "Good to see prices falling at last." in page.content.decode()
    assert "1 comment</h2>" in page.content.decode()
    comment.refresh_from_db()
    article.refresh_from_db()
    assert article.approved_comment_count == 1
    assert comment.moderated_by.username == "moderator"
    assert comment.moderated_at is not None


@pytest.mark.django_db
def test_a_rejected_comment_shows_the_moderators_reason_on_its_private_status_page(
    reader, article, comment_form_data, moderator_client
):
    response = _post(reader, article, comment_form_data(article))
    status_url = _status_url(response)
    assert "waiting for review" in reader.get(status_url).content.decode()

    comment = Comment.objects.get()
    moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {
            "action": "reject_selected",
            "_selected_action": [comment.pk],
            "reason": "Off topic for this article.",
            **as_shown([comment]),
        },
    )

    status_page = reader.get(status_url).content.decode()
    assert "rejected" in status_page
    assert "Off topic for this article." in status_page
    # Not on the site, so deleting cannot take it off: it removes it.
    assert "Deleting removes it for good." in status_page
    assert "takes it off the site" not in status_page
    assert (
        "Good to see prices falling at last."
        not in reader.get(article.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_reloading_after_posting_does_not_post_again(reader, article, comment_form_data):
    response = _post(reader, article, comment_form_data(article))

    assert response.status_code == 302
    reader.get(response.url)
    reader.get(response.url)
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_the_status_link_of_an_approved_comment_points_to_it_on_the_article(
    reader, article, comment_form_data, moderator
):
    from comments.services import approve

    status_url = _status_url(_post(reader, article, comment_form_data(article)))
    comment = Comment.objects.get()
    approve(comment=comment, by=moderator)

    page = reader.get(status_url).content.decode()
    assert "approved" in page
    assert f'{article.get_absolute_url()}#comment-{comment.pk}"' in page


@pytest.mark.django_db
def test_an_approved_comment_on_an_article_taken_down_says_it_is_off_the_site(
    reader, article, comment_form_data, moderator
):
    from articles.models import Article
    from articles.services import unpublish_articles
    from comments.services import approve

    status_url = _status_url(_post(reader, article, comment_form_data(article)))
    approve(comment=Comment.objects.get(), by=moderator)
    unpublish_articles(queryset=Article.objects.filter(pk=article.pk))

    page = reader.get(status_url).content.decode()
    assert "off the site with the article" in page
    assert "and published" not in page
    # No link to a page that answers 404.
    assert f'href="{article.get_absolute_url()}' not in page
    assert "Deleting removes it for good." in page


@pytest.mark.django_db
def test_the_commenters_pages_and_mail_never_name_an_article_renamed_off_the_site(
    reader, article, comment_form_data, moderator
):
    from django.core import mail

    from articles.models import Article
    from articles.services import save_article, unpublish_articles
    from comments.services import reject
    from tests.mail_helpers import run_mail_queue, verify

    data = comment_form_data(article, email="ann@example.com", notify="on")
    status_url = _status_url(_post(reader, article, data))
    verify("ann@example.com")
    Comment.objects.update(owner_vouched=True)  # as if she had said "It is mine"
    unpublish_articles(queryset=Article.objects.filter(pk=article.pk))
    article.refresh_from_db()
    article.title = "EMBARGOED: Chief executive to resign on Friday"
    save_article(article=article)
    reject(comment=Comment.objects.get(), by=moderator)
    run_mail_queue()

    pages = [reader.get(status_url + path).content.decode() for path in ["", "edit/", "delete/"]]
    [decision] = [m for m in mail.outbox if m.to == ["ann@example.com"]]
    naming = [pages[0], pages[2], decision.body, decision.alternatives[0].content]
    for text in pages + naming:
        assert "EMBARGOED" not in text
    for text in naming:
        assert "an article no longer on the site" in text


@pytest.mark.django_db
def test_a_comment_the_block_list_held_back_says_so_on_its_status_page(
    reader, article, comment_form_data
):
    from comments.models import ModerationPolicy

    ModerationPolicy.objects.create(blocked_words="casino")
    response = _post(reader, article, comment_form_data(article, body="Best casino offers"))
    assert Comment.objects.get().status == Comment.Status.SPAM

    page = reader.get(_status_url(response)).content.decode()
    assert "<strong>not published</strong>: the site’s filters held it back as spam." in page
    assert "rejected" not in page


@pytest.mark.django_db
def test_a_forged_status_link_is_not_found(reader, article, make_comment):
    comment = make_comment(article)

    assert reader.get(f"/comments/status/{comment.pk}/").status_code == 404
    assert reader.get("/comments/status/MQ:1abc:forged/").status_code == 404


@pytest.mark.django_db
def test_the_answer_to_a_stored_comment_tells_the_article_s_script_it_went(
    reader, article, comment_form_data
):
    response = _post(reader, article, comment_form_data(article))

    sent = response.cookies["comment-sent"]
    # For comments.js on the article only (so not HttpOnly); it says nothing of who sent what.
    assert (sent.value, sent["path"], sent["httponly"]) == ("1", article.get_absolute_url(), "")
    assert "private" in response["Cache-Control"]
    # A comment the form sends back sets nothing.
    refused = _post(reader, article, comment_form_data(article, body=""))
    assert "comment-sent" not in refused.cookies
