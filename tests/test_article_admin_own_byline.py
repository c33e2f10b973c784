"""A reporter (an author's account) starts a new story under their own byline: the add form's
first byline row names them, and saved as it opened, the story has it. Without JavaScript, whose
author box lists nobody, it is how they give a story a byline at all."""

import re

from articles.models import Article
from tests.article_forms import as_new_story, change_form_data

ADD = "/admin/articles/article/add/"


def _first_row(html: str) -> str:
    return re.search(r'<select name="bylines-0-author".*?</select>', html, re.S).group(0)


def test_a_reporter_s_new_story_opens_under_their_byline(admin_client, admin_user, author):
    author.user = admin_user
    author.save()

    row = _first_row(admin_client.get(ADD).content.decode())

    assert f'<option value="{author.pk}" selected>Marta Ribeiro</option>' in row


def test_saved_as_it_opened_the_story_has_that_byline(admin_client, admin_user, article, author):
    author.user = admin_user
    author.save()
    # The byline row as the form showed it (a browser without scripts posts that back).
    data = as_new_story(change_form_data(article, title="Filed tonight", slug="filed-tonight"))
    assert str(data["bylines-0-author"]) == str(author.pk)

    response = admin_client.post(ADD, data)

    assert response.status_code == 302
    assert list(Article.objects.get(slug="filed-tonight").authors.all()) == [author]


def test_an_editor_who_writes_under_no_byline_gets_an_empty_row(admin_client, author):
    row = _first_row(admin_client.get(ADD).content.decode())

    assert "selected" not in row
