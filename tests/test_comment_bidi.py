"""Names and words a reader wrote in a right-to-left script are isolated wherever they are
shown: in an English line ("محمد · 4 Dec 2026, 15:43", "Reply to محمد", "In reply to محمد:")
the browser's bidirectional algorithm would otherwise pull the neighbouring numbers and words
into the name's run and show "4 · محمد Dec 2026". Each is alone in an element that sets its own
direction (dir="auto", or <bdi>)."""

from html.parser import HTMLParser

from django.urls import reverse

from articles.models import Article
from comments.commenter_services import edit_comment
from comments.models import Comment
from tests.comment_fixtures import send_report

NAME = "محمد"
PARENT_BODY = "شكرا على المقال، 2026 سنة جيدة."
BODY = "مقال رائع! 3 أسباب للتفاؤل."
REPORT_TEXT = "هذا التعليق مسيء"


class ShownText(HTMLParser):
    """Every run of text a reader sees (not what is only for screen readers, not the <head>),
    with whether the element around it isolates it."""

    def __init__(self):
        super().__init__()
        self.stack, self.runs = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "input", "img", "meta", "link", "hr", "wbr", "source"):
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        hidden = any(
            tag in ("head", "script") or "visually-hidden" in attrs.get("class", "")
            for tag, attrs in self.stack
        )
        if data.strip() and not hidden and self.stack:
            tag, attrs = self.stack[-1]
            isolated = tag == "bdi" or attrs.get("dir") == "auto"
            self.runs.append((data.strip(), isolated))


def runs_holding(html: str, text: str) -> list[tuple[str, bool]]:
    parser = ShownText()
    parser.feed(html)
    return [(run, isolated) for run, isolated in parser.runs if text in run]


def assert_isolated(html: str, text: str, *, times: int) -> None:
    runs = runs_holding(html, text)
    assert runs == [(text, True)] * times, f"{text!r} is not alone in its own direction: {runs}"


def test_a_right_to_left_name_and_comment_stand_apart_from_the_line_around_them(
    reader, article, make_comment
):
    parent = make_comment(article, name=NAME, body=PARENT_BODY, status=Comment.Status.APPROVED)
    make_comment(article, name=NAME, body=BODY, parent=parent, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)

    page = reader.get(article.get_absolute_url()).content.decode()
    answering = reader.get(f"{article.get_absolute_url()}?reply-to={parent.pk}").content.decode()

    assert_isolated(page, NAME, times=2)  # the thread's author and the reply's
    assert_isolated(page, PARENT_BODY, times=1)
    assert_isolated(page, BODY, times=1)
    # Without JavaScript, "Reply" draws the form under the comment, headed with its author.
    assert_isolated(answering, NAME, times=3)
    assert "Reply to <bdi>" in answering


def test_the_report_status_and_delete_pages_isolate_the_commenters_name_and_words(
    reader, article, make_comment
):
    comment = make_comment(article, name=NAME, body=BODY, status=Comment.Status.APPROVED)

    report = reader.get(reverse("comments:report", args=[comment.pk])).content.decode()
    status = reader.get(comment.status_url).content.decode()
    delete = reader.get(comment.status_url.rstrip("/") + "/delete/").content.decode()

    for page in (report, status):
        assert_isolated(page, NAME, times=1)
    for page in (report, status, delete):
        assert_isolated(page, BODY, times=1)


def test_the_moderation_queue_and_commenter_page_isolate_names_and_words(
    moderator_client, article, make_comment
):
    parent = make_comment(article, name=NAME, body=PARENT_BODY, status=Comment.Status.APPROVED)
    reply = make_comment(article, name=NAME, body=BODY, parent=parent)

    queue = moderator_client.get("/admin/comments/comment/").content.decode()
    commenter = moderator_client.get(
        "/admin/comments/comment/commenter/", {"email": reply.email}
    ).content.decode()

    # The waiting reply's author heads its card; "In reply to محمد:" names the comment it answers.
    assert_isolated(queue, NAME, times=2)
    assert "In reply to <bdi>" in queue
    assert_isolated(queue, PARENT_BODY, times=1)
    assert_isolated(queue, BODY, times=1)
    # The commenter's page lists what they wrote.
    assert_isolated(commenter, BODY, times=1)


def test_the_queue_isolates_an_authors_edit_and_a_readers_report_words(
    moderator_client, reader_with_token, article, make_comment
):
    edited = make_comment(article, name=NAME, body=BODY.replace("3", "4"))
    edit_comment(comment=edited, body=BODY)
    reported = make_comment(article, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    send_report(reader_with_token(article), reported, reason="other", text=REPORT_TEXT)

    pending = moderator_client.get("/admin/comments/comment/").content.decode()
    reports = moderator_client.get("/admin/comments/comment/?status=reported").content.decode()

    # What the edit changed, marked word by word, stands apart from "Edited by its author".
    assert "Edited by its author</span> <bdi>مقال رائع! <del>4</del><ins>3</ins>" in pending
    assert_isolated(reports, REPORT_TEXT, times=1)


def test_a_right_to_left_name_does_not_turn_the_reply_mails_text_around(
    article, make_comment, moderator
):
    # The HTML part has <bdi>; plain text sets the name apart with Unicode's isolates, so a
    # client taking the line's direction from its first letter still reads it left to right.
    from django.core import mail

    from comments.models import ReplySubscription
    from comments.services import approve
    from tests.mail_helpers import run_mail_queue, verify

    verify("maria@example.com")
    parent = make_comment(article, email="maria@example.com", status=Comment.Status.APPROVED)
    ReplySubscription.objects.create(comment=parent)
    approve(comment=make_comment(article, parent=parent, name="שרה כהן"), by=moderator)
    approve(comment=make_comment(article, parent=parent, name="Carol"), by=moderator)
    run_mail_queue()
    [hebrew, latin] = [m for m in mail.outbox if m.to == ["maria@example.com"]]

    assert "\n\u2068שרה כהן\u2069 replied to your comment on “" in hebrew.body
    assert "<bdi>שרה כהן</bdi>" in hebrew.alternatives[0].content
    assert "\nCarol replied to your comment on “" in latin.body
