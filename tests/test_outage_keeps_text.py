"""A comment (or a report) posted while the database is down: the outage page says it was not
sent and gives the reader's words back to copy, on a page no cache keeps."""

import html.parser

import pytest
from django.conf import settings
from django.db import OperationalError

from newsportal.views import server_error

FRIENDLY_TEXT = "The site is briefly unavailable. Please reload the page in a few seconds."
# Markup, quotes and an ampersand: what must come back as the reader typed it, never as markup.
WORDS = 'Prices <b>fell</b> & "rose" again.\n\n<script>alert("typed")</script>'


class Page(html.parser.HTMLParser):
    """What a reader sees of a page: its heading, its text, and the box holding their words."""

    def __init__(self, source):
        super().__init__()
        self.heading, self.text, self.boxes = "", "", []
        self._in = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self._in.append(tag)
        if tag == "textarea":
            self.boxes.append({"readonly": "readonly" in dict(attrs), "value": ""})

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if "textarea" in self._in:
            self.boxes[-1]["value"] += data
        elif "h1" in self._in:
            self.heading += data
        if not {"title", "textarea"} & set(self._in):
            self.text += data

    @property
    def words(self):
        # A browser drops the line break that opens a textarea.
        value = self.boxes[0]["value"]
        return value[1:] if value.startswith("\n") else value

    @property
    def said(self):
        return " ".join(self.text.split())


@pytest.fixture
def client(client):
    client.raise_request_exception = False  # as in production: the handler answers
    return client


def assert_never_kept(response):
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
    assert response["Retry-After"] == "5"


@pytest.mark.django_db
def test_a_comment_posted_during_the_outage_comes_back_to_copy(
    client, article, comment_form_data, database_down
):
    data = comment_form_data(article, body=WORDS, name="Maria Lopez", email="maria@example.com")

    response = client.post(f"/comments/post/{article.pk}/", data)

    assert response.status_code == 503
    page = Page(response.content.decode())
    assert page.heading == "Your comment was not sent"
    assert "Go back and send it again in a minute." in page.said
    assert "reload" not in page.said.lower()
    assert len(page.boxes) == 1 and page.boxes[0]["readonly"]
    assert page.words == WORDS
    # Escaped: the reader's markup is text on the page, never markup.
    assert "<script>alert" not in response.content.decode()
    assert "<b>fell" not in response.content.decode()
    # The text is what matters: their name and address stay off the page.
    assert "Maria Lopez" not in response.content.decode()
    assert "maria@example.com" not in response.content.decode()
    assert_never_kept(response)


@pytest.mark.django_db
def test_a_report_posted_during_the_outage_comes_back_to_copy(
    client, approved_comment, database_down
):
    data = {"reason": "spam", "text": "It advertises <i>pills</i> & more."}

    response = client.post(f"/comments/report/{approved_comment.pk}/", data)

    assert response.status_code == 503
    page = Page(response.content.decode())
    assert page.heading == "Your report was not sent"
    assert page.words == "It advertises <i>pills</i> & more."
    assert "<i>pills" not in response.content.decode()
    assert_never_kept(response)


@pytest.mark.parametrize(
    ("path", "field", "heading"),
    [
        ("/comments/post/7/", "body", "Your comment was not sent"),
        ("/comments/status/some-token/edit/", "body", "Your changes were not saved"),
        ("/comments/report/7/", "text", "Your report was not sent"),
    ],
    ids=["comment", "edit", "report"],
)
def test_an_outage_met_outside_the_view_still_gives_the_words_back(rf, path, field, heading):
    # Errors outside any view (in middleware, say) reach handler500, before or after the URL
    # was resolved; the page needs no database to be drawn.
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.post(path, {field: WORDS}))

    assert response.status_code == 503
    page = Page(response.content.decode())
    assert page.heading == heading
    assert page.words == WORDS
    assert_never_kept(response)


@pytest.mark.django_db
def test_a_comment_with_no_text_is_still_told_it_was_not_sent(
    client, article, comment_form_data, database_down
):
    response = client.post(f"/comments/post/{article.pk}/", comment_form_data(article, body=""))

    page = Page(response.content.decode())
    assert response.status_code == 503
    assert page.heading == "Your comment was not sent"
    assert "reload" not in page.said.lower()
    assert page.boxes == []


@pytest.mark.django_db
def test_pages_read_during_the_outage_keep_the_short_page(client, article, database_down):
    response = client.get(article.get_absolute_url())

    assert response.status_code == 503
    page = Page(response.content.decode())
    assert page.heading == "Back in a moment"
    assert FRIENDLY_TEXT in page.said
    assert page.boxes == []
    assert response["Cache-Control"] == "no-store"
    assert response["Retry-After"] == "5"
    # The site's name and look, though nothing could be read from the database.
    assert f"<title>Back in a moment · {settings.SITE_NAME}</title>" in response.content.decode()
    assert f'<a class="site-name" href="/">{settings.SITE_NAME}</a>' in response.content.decode()


@pytest.mark.django_db
def test_another_post_during_the_outage_keeps_the_short_page(client, database_down):
    # Only a reader's own words come back: a post elsewhere (a search, the admin) is not a
    # comment, and its fields are not shown.
    response = client.post("/admin/login/", {"username": "chief", "password": "secret words"})

    assert response.status_code == 503
    assert Page(response.content.decode()).heading == "Back in a moment"
    assert "secret words" not in response.content.decode()


class TestWithTheDatabaseReadOnly:
    """It commits for real (the read-only session must be the connection's own)."""

    def test_a_comment_posted_while_the_database_takes_no_writes_comes_back_to_copy(
        self, client, article, comment_form_data, database_read_only
    ):
        from comments.models import Comment

        data = comment_form_data(article, body=WORDS, name="Maria Lopez", email="maria@example.com")

        response = client.post(f"/comments/post/{article.pk}/", data)

        assert response.status_code == 503  # was a 500, "Something went wrong", the words lost
        page = Page(response.content.decode())
        assert page.heading == "Your comment was not sent"
        assert page.words == WORDS
        assert_never_kept(response)
        assert not Comment.objects.exists()
