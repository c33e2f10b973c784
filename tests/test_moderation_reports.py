"""Readers report published comments; moderators take them down or dismiss the reports."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from articles.models import Article
from comments.models import Comment, ModerationPolicy, Report
from comments.report_views import REPORTED, REPORTED_BEFORE, SEND_AGAIN

CHANGELIST = "/admin/comments/comment/"


def report_url(comment):
    return f"/comments/report/{comment.pk}/"


@pytest.fixture
def reader_with_token():
    """A reader whose browser ran site.js: a CSRF cookie and token from the form-token URL."""

    def make(article, ip="198.51.100.7"):
        client = Client(enforce_csrf_checks=True, REMOTE_ADDR=ip)
        token = client.get(f"/comments/form-token/{article.pk}/").json()["csrfmiddlewaretoken"]
        client.token = token
        return client

    return make


def send_report(client, comment, reason="abuse", text=""):
    data = {"reason": reason, "text": text, "csrfmiddlewaretoken": client.token}
    return client.post(report_url(comment), data)


def test_every_published_comment_has_a_report_link_inside_it_and_the_page_one_form(
    client, approved_comment, make_comment
):
    second = make_comment(approved_comment.article, status="approved")

    html = client.get(approved_comment.article.get_absolute_url()).content.decode()

    for comment in (approved_comment, second):
        anchor = html.index(f'id="comment-{comment.pk}"')
        link = html.index(f'href="{report_url(comment)}">Report<')
        assert anchor < link < html.index("</article>", anchor)
    # One form for them all (site.js opens it under the comment), not one per comment, and in
    # a shared page it carries no token of one reader.
    assert html.count(">Send report</button>") == 1
    form = report_form_html(html)
    assert 'name="csrfmiddlewaretoken" value=""' in form
    assert f'data-token-url="/comments/form-token/{approved_comment.article_id}/"' in form
    assert " hidden>" in form


def report_form_html(page_html):
    start = page_html.index('<form class="comment-report-form')
    return page_html[start : page_html.index("</form>", start)]


def test_the_report_form_is_the_same_for_every_reader(client, approved_comment):
    url = approved_comment.article.get_absolute_url()
    signed_in = Client()
    signed_in.force_login(
        get_user_model().objects.create_user("ivy", "ivy@example.com", "pw", first_name="Ivy")
    )

    forms = {
        report_form_html(reader.get(page).content.decode())
        for reader, page in [
            (client, url),
            (signed_in, url),
            (Client(), f"{url}?reply-to={approved_comment.pk}"),  # a no-JS reply page
        ]
    }

    assert len(forms) == 1


def test_the_report_link_without_javascript_opens_a_form_sent_at_the_first_press(
    approved_comment,
):
    no_js = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.9")

    page = no_js.get(report_url(approved_comment))

    assert page.status_code == 200
    assert "private" in page["Cache-Control"]
    html = page.content.decode()
    assert "Report a comment on" in html
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    sent = no_js.post(
        report_url(approved_comment), {"reason": "spam", "csrfmiddlewaretoken": token}
    )
    assert sent.status_code == 302
    assert Report.objects.get(comment=approved_comment).reason == "spam"


def test_a_report_is_counted_once_per_reader(reader_with_token, approved_comment):
    reader = reader_with_token(approved_comment.article)

    first = send_report(reader, approved_comment)
    assert REPORTED in reader.get(first["Location"]).content.decode()
    again = send_report(reader, approved_comment, reason="spam")

    assert first.status_code == again.status_code == 302
    assert first["Location"].endswith(f"#comment-{approved_comment.pk}")
    assert Report.objects.filter(comment=approved_comment).count() == 1
    page = reader.get(again["Location"]).content.decode()
    assert REPORTED_BEFORE in page
    other = reader_with_token(approved_comment.article, ip="192.0.2.44")
    send_report(other, approved_comment, reason="spam")
    assert Report.objects.filter(comment=approved_comment).count() == 2


def test_a_report_without_javascript_comes_back_once_to_send_again(client, approved_comment):
    no_js = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.8")

    response = no_js.post(
        report_url(approved_comment), {"reason": "other", "text": "It names my neighbour"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert SEND_AGAIN in html
    assert "It names my neighbour" in html
    assert 'value="other" id="id_reason_3" required checked>' in html
    assert "private" in response["Cache-Control"]
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    sent = no_js.post(
        report_url(approved_comment),
        {"reason": "other", "text": "It names my neighbour", "csrfmiddlewaretoken": token},
    )
    assert sent.status_code == 302
    assert Report.objects.get().text == "It names my neighbour"


def test_a_report_from_another_site_is_refused(approved_comment):
    other_site = Client(enforce_csrf_checks=True)

    response = other_site.post(
        report_url(approved_comment), {"reason": "spam"}, HTTP_SEC_FETCH_SITE="cross-site"
    )

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_other_as_a_reason_needs_words_and_keeps_the_choice(reader_with_token, approved_comment):
    reader = reader_with_token(approved_comment.article)

    response = send_report(reader, approved_comment, reason="other", text="  ")

    assert response.status_code == 200
    assert "Tell the moderators what is wrong with it." in response.content.decode()
    assert not Report.objects.exists()


def test_only_published_comments_can_be_reported(reader_with_token, article, make_comment):
    pending = make_comment(article)
    reader = reader_with_token(article)

    assert send_report(reader, pending).status_code == 404


def test_reports_are_rate_limited_per_address(reader_with_token, settings, article, make_comment):
    settings.COMMENTS_REPORT_LIMIT = 2
    comments = [make_comment(article, status="approved") for _ in range(3)]
    reader = reader_with_token(article)

    responses = [send_report(reader, comment) for comment in comments]

    assert [response.status_code for response in responses] == [302, 302, 429]
    assert Report.objects.count() == 2
    page = responses[-1].content.decode()
    assert "several reports" in page and "Your report was not sent" in page
    assert "comment was not sent" not in page


def test_the_policy_can_hide_a_comment_after_n_reports_until_a_moderator_decides(
    reader_with_token, client, approved_comment
):
    ModerationPolicy.objects.create(hide_after_reports=2)
    article = approved_comment.article
    send_report(reader_with_token(article, ip="192.0.2.1"), approved_comment)
    assert "Early Bird" in client.get(article.get_absolute_url()).content.decode()

    send_report(reader_with_token(article, ip="192.0.2.2"), approved_comment)

    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.PENDING
    assert "hidden after 2 reader reports" in approved_comment.held_because
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
    assert "Early Bird" not in client.get(article.get_absolute_url()).content.decode()


def test_reports_hide_nothing_by_default(reader_with_token, approved_comment):
    for n in range(5):
        send_report(
            reader_with_token(approved_comment.article, ip=f"192.0.2.{n}"), approved_comment
        )

    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED


def _report_from(comment, n):
    return Report.objects.create(comment=comment, reason="abuse", reporter=f"reader-{n}")


def test_the_reported_queue_lists_reported_comments_with_count_and_reasons(
    moderator_client, approved_comment, article, make_comment
):
    make_comment(article, status="approved", body="Nobody minded this one")
    _report_from(approved_comment, 1)
    Report.objects.create(
        comment=approved_comment, reason="other", text="Insults me", reporter="reader-2"
    )

    index = moderator_client.get("/admin/").content.decode()
    assert "Reported comments</a>" in index
    assert '<td class="moderation-reported">1</td>' in index
    html = moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode()

    assert "Reported (1)" in html
    assert approved_comment.body in html
    assert "Nobody minded this one" not in html
    assert "2 reports" in html
    assert "Abusive or hateful × 1" in html
    assert "“Insults me”" in html
    assert ">Take down</button>" in html
    assert ">Dismiss</button>" in html


def test_take_down_unpublishes_closes_the_reports_and_is_logged(
    moderator_client, moderator, client, approved_comment
):
    from django.contrib.admin.models import LogEntry

    _report_from(approved_comment, 1)
    article = approved_comment.article

    response = moderator_client.post(
        f"{CHANGELIST}{approved_comment.pk}/take-down/",
        {f"reason-{approved_comment.pk}": "Insults another reader"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200
    assert response.json()["outcome"] == "taken-down"
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.REJECTED
    assert approved_comment.taken_down_by == moderator
    assert approved_comment.rejection_reason == "Insults another reader"
    assert Report.objects.get().outcome == Report.Outcome.TAKEN_DOWN
    assert "Early Bird" not in client.get(article.get_absolute_url()).content.decode()
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
    entry = LogEntry.objects.get(object_id=str(approved_comment.pk))
    assert entry.user == moderator
    assert entry.change_message == "Taken down: Insults another reader"


def test_dismiss_keeps_the_comment_up_and_is_logged(
    moderator_client, moderator, client, approved_comment
):
    from django.contrib.admin.models import LogEntry

    _report_from(approved_comment, 1)
    _report_from(approved_comment, 2)

    response = moderator_client.post(f"{CHANGELIST}{approved_comment.pk}/dismiss/")

    assert response.status_code == 302
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED
    assert not Report.objects.open().exists()
    assert "Early Bird" in client.get(approved_comment.article.get_absolute_url()).content.decode()
    assert LogEntry.objects.get(user=moderator).change_message == "Dismissed 2 report(s)"
    html = moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode()
    assert "No reports waiting." in html


def test_dismissing_puts_a_comment_hidden_by_its_reports_back(
    moderator_client, approved_comment, reader_with_token
):
    ModerationPolicy.objects.create(hide_after_reports=1)
    send_report(reader_with_token(approved_comment.article), approved_comment)
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.PENDING

    moderator_client.post(f"{CHANGELIST}{approved_comment.pk}/dismiss/")

    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED
    assert Article.objects.get(pk=approved_comment.article_id).approved_comment_count == 1


def test_a_second_dismiss_learns_it_came_late(moderator_client, approved_comment):
    _report_from(approved_comment, 1)
    url = f"{CHANGELIST}{approved_comment.pk}/dismiss/"
    moderator_client.post(url, HTTP_ACCEPT="application/json")

    late = moderator_client.post(url, HTTP_ACCEPT="application/json")

    assert late.status_code == 409
    assert late.json()["message"] == "Those reports had already been dealt with."


def test_report_controls_need_the_moderation_permission(
    editor_client, stranger_client, approved_comment
):
    _report_from(approved_comment, 1)
    for client in (editor_client, stranger_client):
        client.post(f"{CHANGELIST}{approved_comment.pk}/take-down/")
        client.post(f"{CHANGELIST}{approved_comment.pk}/dismiss/")

    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED
    assert Report.objects.open().count() == 1
    html = editor_client.get(CHANGELIST, {"status": "reported"}).content.decode()
    assert ">Take down</button>" not in html


def test_two_moderators_taking_down_the_same_comment_count_once(
    moderator, second_moderator, approved_comment
):
    from django.contrib.admin.models import LogEntry

    from comments.desk import take_down_reported

    _report_from(approved_comment, 1)
    # Both opened the Reported queue before either pressed "Take down".
    seen_by_first = Comment.objects.get(pk=approved_comment.pk)
    seen_by_second = Comment.objects.get(pk=approved_comment.pk)

    assert take_down_reported(comment=seen_by_first, by=moderator) is True
    assert take_down_reported(comment=seen_by_second, by=second_moderator) is False

    approved_comment.refresh_from_db()
    assert approved_comment.taken_down_by == moderator
    assert Article.objects.get(pk=approved_comment.article_id).approved_comment_count == 0
    assert not LogEntry.objects.filter(user=second_moderator).exists()


def test_the_report_pages_have_no_html_errors(client, approved_comment, tmp_path):
    from tests.test_html_validity import nu_errors

    url = report_url(approved_comment)
    no_js = Client(enforce_csrf_checks=True)
    pages = {
        "report": client.get(url).content.decode(),
        "report-errors": client.post(url, {"reason": "other"}).content.decode(),
        "report-once-more": no_js.post(url, {"reason": "spam"}).content.decode(),
    }
    assert "Tell the moderators what is wrong with it." in pages["report-errors"]

    errors = nu_errors(pages, tmp_path)

    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("then", ["dismiss", "take-down"])
def test_a_hidden_comments_replies_leave_and_return_with_it(
    moderator_client, reader_with_token, client, approved_comment, make_comment, then
):
    article = approved_comment.article
    reply = make_comment(article, parent=approved_comment, status="approved", body="Agreed!")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    ModerationPolicy.objects.create(hide_after_reports=1)

    send_report(reader_with_token(article), approved_comment)
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
    assert "Agreed!" not in client.get(article.get_absolute_url()).content.decode()

    moderator_client.post(f"{CHANGELIST}{approved_comment.pk}/{then}/")

    reply.refresh_from_db()
    shown = "Agreed!" in client.get(article.get_absolute_url()).content.decode()
    count = Article.objects.get(pk=article.pk).approved_comment_count
    if then == "dismiss":
        assert (shown, count, reply.status) == (True, 2, Comment.Status.APPROVED)
    else:
        assert (shown, count, reply.status) == (False, 0, Comment.Status.REJECTED)


def test_a_comment_hidden_by_reports_is_decided_as_a_report_everywhere(
    moderator_client, reader_with_token, approved_comment
):
    ModerationPolicy.objects.create(hide_after_reports=1)
    send_report(reader_with_token(approved_comment.article), approved_comment)

    queue = moderator_client.get(CHANGELIST).content.decode()
    own_page = moderator_client.get(f"{CHANGELIST}{approved_comment.pk}/change/").content.decode()

    for html in (queue, own_page):
        assert f'formaction="{CHANGELIST}{approved_comment.pk}/take-down/"' in html
        assert f'formaction="{CHANGELIST}{approved_comment.pk}/dismiss/"' in html
        assert f'formaction="{CHANGELIST}{approved_comment.pk}/approve/"' not in html


def test_the_report_page_leads_back_to_the_page_the_comment_is_on(
    client, article, make_comment, settings
):
    settings.COMMENTS_PER_PAGE = 1
    make_comment(article, status="approved", body="The first thread")
    later = make_comment(article, status="approved", body="The second thread")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)

    page = client.get(report_url(later)).content.decode()

    back = f"{article.get_absolute_url()}?comments-page=2#comment-{later.pk}"
    assert f'href="{back}">Back to the article' in page
    assert "The second thread" in client.get(back).content.decode()
