"""Readers report published comments. What moderators then do:
test_moderation_reported_decisions."""

import re

from django.contrib.auth import get_user_model
from django.test import Client

from articles.models import Article
from comments.models import Comment, ModerationPolicy, Report
from comments.report_views import REPORTED, REPORTED_BEFORE, SEND_AGAIN
from tests.comment_fixtures import report_url, send_report


def test_every_published_comment_has_a_report_link_inside_it_and_the_page_one_form(
    client, approved_comment, make_comment
):
    second = make_comment(approved_comment.article, status="approved")

    html = client.get(approved_comment.article.get_absolute_url()).content.decode()

    for comment in (approved_comment, second):
        anchor = html.index(f'id="comment-{comment.pk}"')
        link = html.index(f'href="{report_url(comment)}">Report<')
        assert anchor < link < html.index("</article>", anchor)
    # One form for them all (comments.js opens it under the comment), not one per comment, and in
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
    landed = reader.get(first["Location"]).content.decode()
    again = send_report(reader, approved_comment, reason="spam")

    assert first.status_code == again.status_code == 302
    # The reader lands on the thanks (at the top of the comments), with the way back.
    assert first["Location"].endswith("#comments")
    assert REPORTED in landed
    assert f'<a href="#comment-{approved_comment.pk}">Back to the comment</a>' in landed
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
    settings.TIME_ZONE = "Asia/Tokyo"  # no summer time: the zone's name is always JST
    comments = [make_comment(article, status="approved") for _ in range(3)]
    reader = reader_with_token(article)

    responses = [send_report(reader, comment) for comment in comments]

    assert [response.status_code for response in responses] == [302, 302, 429]
    assert Report.objects.count() == 2
    page = responses[-1].content.decode()
    assert "several reports" in page and "Your report was not sent" in page
    assert "comment was not sent" not in page
    # The time to try again names its zone: a reader elsewhere would read it as their own.
    assert re.search(r"after <time datetime=\"[^\"]+\">\d\d:\d\d JST</time>", page)


def test_a_report_refused_for_the_rate_limit_comes_back_with_its_reason_and_words(
    reader_with_token, settings, article, make_comment
):
    """The wait page said "use your browser's back button to find your text again": on a
    phone, or after the report form under a comment, the words were gone."""
    settings.COMMENTS_REPORT_LIMIT = 1
    first, second = (make_comment(article, status="approved") for _ in range(2))
    reader = reader_with_token(article)
    send_report(reader, first)

    refused = send_report(
        reader, second, reason="other", text="Copies <b>my</b> post word for word"
    )

    page = refused.content.decode()
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= settings.COMMENTS_REPORT_WINDOW_SECONDS
    assert "<title>Error: Report a comment" in page
    assert "Your report was not sent" in page
    assert ">Copies &lt;b&gt;my&lt;/b&gt; post word for word</textarea>" in page
    assert re.search(r'value="other" id="[^"]+" required checked', page)
    assert ">Send report</button>" in page
    assert Report.objects.filter(comment=second).count() == 0


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


def test_the_report_that_hides_a_comment_says_so_and_links_to_no_missing_comment(
    reader_with_token, approved_comment
):
    ModerationPolicy.objects.create(hide_after_reports=1)
    reader = reader_with_token(approved_comment.article)

    landed = reader.get(send_report(reader, approved_comment)["Location"]).content.decode()

    assert "the comment is hidden from the page until a moderator has looked at it" in landed
    assert "Back to the comment" not in landed
    anchors = re.findall(r'href="#([^"]+)"', landed)
    assert all(f'id="{anchor}"' in landed for anchor in anchors), anchors


def test_reports_hide_nothing_by_default(reader_with_token, approved_comment):
    for n in range(5):
        send_report(
            reader_with_token(approved_comment.article, ip=f"192.0.2.{n}"), approved_comment
        )

    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.APPROVED


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


def test_a_report_sent_back_ties_each_problem_to_its_field_for_screen_readers(
    reader_with_token, approved_comment
):
    """Said under the radios in red only, "This field is required." reached no screen reader:
    the group and the box now name their problem (aria-describedby), in words about a report."""
    reader = reader_with_token(approved_comment.article)

    no_reason = send_report(reader, approved_comment, reason="").content.decode()
    no_words = send_report(reader, approved_comment, reason="other", text="").content.decode()

    group = re.search(r'<fieldset[^>]*aria-describedby="([^"]+)"', no_reason)
    assert group, "the reasons' group names no problem"
    said = re.search(rf'id="{group.group(1)}"[^>]*>(.*?)</', no_reason, re.S).group(1)
    assert said.strip() == "Choose why a moderator should look at it."
    box = re.search(r'<textarea[^>]*name="text"[^>]*>', no_words).group(0)
    assert 'aria-invalid="true"' in box
    described = re.search(r'aria-describedby="([^"]+)"', box).group(1).split()
    assert any(
        re.search(rf'id="{name}"[^>]*>\s*Tell the moderators what is wrong', no_words)
        for name in described
    )


def test_the_words_box_says_it_is_needed_for_something_else(reader, approved_comment):
    """ "Anything to add (optional)", then refused as missing for "Something else": the box's
    label says when it is needed, on the article's form and on the report page, and never
    "optional"."""
    pages = [
        reader.get(approved_comment.article.get_absolute_url()).content.decode(),
        reader.get(report_url(approved_comment)).content.decode(),
    ]

    for page in pages:
        box = re.search(r'<textarea[^>]*name="text"[^>]*id="([^"]+)"', page)
        label = re.search(rf'<label[^>]*for="{box.group(1)}"[^>]*>(.*?)</label>', page, re.S)
        assert label.group(1).strip() == "Anything to add (needed for “Something else”)"
