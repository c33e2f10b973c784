"""A story longer than one form may send (DATA_UPLOAD_MAX_MEMORY_SIZE, 256 KB) is refused with
that limit named: in the body's help before it is written, and on the page that refuses it."""

import pytest

from tests.article_forms import change_form_data

LIMIT_SAID = "256.0\xa0KB (about 40,000 words)"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_a_body_over_the_limit_is_refused_with_the_limit_named(editor_client, article):
    long_body = "A paragraph of the inquiry's report, quoted whole. " * 6000  # about 300 KB
    data = change_form_data(article, body=long_body)

    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    page = response.content.decode()
    assert response.status_code == 400
    assert f"more text than one form may send, which is {LIMIT_SAID}, so" in page
    assert "nothing was saved. Please go back, where your browser keeps" in page
    article.refresh_from_db()
    assert "inquiry" not in article.body


def test_the_body_s_help_names_the_limit_before_it_is_written(editor_client, article):
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    assert f"One save takes at most {LIMIT_SAID} of text." in page
    assert 'data-max-bytes="262144"' in page  # what the browser checks before sending


def test_another_malformed_request_keeps_the_general_words(client, db):
    response = client.post(
        "/admin/login/",
        "&".join(f"f{n}=1" for n in range(1100)),
        "application/x-www-form-urlencoded",
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "It may have been too large or malformed" in page
