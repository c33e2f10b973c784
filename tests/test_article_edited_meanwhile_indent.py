"""Two editors on one story, and the lead's or body's opening indentation (four spaces start a
Markdown code block): a colleague's indent made while the form was open is theirs, not undone
by a save that left the text as it was, as any other change of what readers see; and a form
opened before the deploy that made it count (its fingerprints trimmed text) neither refuses
every save nor loses the colleague's indent."""

import hashlib
import json

import pytest

from articles.models import Article
from tests.test_article_edited_meanwhile import _change, _said, opened

# The body's first paragraph made a code block.
INDENT = "    "


def as_a_browser_posts(text: str) -> str:
    return text.replace("\n", "\r\n")


def opened_before_the_deploy(client, article, **changes) -> dict:
    """The form as the release before showed it: its text's fingerprints trimmed at both ends
    (line ends made "\n" first), and no word of how they were made."""
    form = opened(client, article, **changes)
    carried = json.loads(form["opened_as"])
    for name in ("standfirst", "body"):
        trimmed = getattr(article, name).replace("\r\n", "\n").strip()
        carried["seen"][name] = hashlib.sha256(repr(trimmed).encode()).hexdigest()[:16]
    form["opened_as"] = json.dumps({"at": carried["at"], "seen": carried["seen"]})
    return form


def _indent_the_body(chief, article) -> str:
    indented = INDENT + article.body
    assert chief.post(_change(article), opened(chief, article, body=indented)).status_code == 302
    return indented


@pytest.mark.parametrize("opened_as", [opened, opened_before_the_deploy])
def test_a_body_indented_meanwhile_is_not_undone_by_a_form_saved_unchanged(
    chief, sub, article, opened_as
):
    subs_form = opened_as(sub, article, body=as_a_browser_posts(article.body))
    indented = _indent_the_body(chief, article)

    response = sub.post(_change(article), subs_form, follow=True)

    article.refresh_from_db()
    assert article.body == indented
    page = sub.get(article.get_absolute_url()).content.decode()
    assert "<pre><code>First paragraph of article 1." in page
    said = response.content.decode() if response.status_code == 200 else _said(response)
    assert "This story was changed since you opened this form by Dana at" in said


def test_a_form_opened_now_keeps_the_colleague_s_indent_and_its_own_change(chief, sub, article):
    subs_form = opened(
        sub, article, title="Xiaomi's car comes in June", body=as_a_browser_posts(article.body)
    )
    indented = _indent_the_body(chief, article)

    response = sub.post(_change(article), subs_form, follow=True)

    article.refresh_from_db()
    assert (article.title, article.body) == ("Xiaomi's car comes in June", indented)
    assert "Body was edited (kept)" in _said(response)


def test_a_body_reworded_while_a_colleague_indented_it_is_refused_not_saved_over(
    chief, sub, article
):
    subs_form = opened(sub, article, body="First paragraph, reworded.\n\nSecond paragraph.")
    indented = _indent_the_body(chief, article)

    refused = sub.post(_change(article), subs_form)

    assert refused.status_code == 200
    assert "Your version, below, was not saved" in refused.content.decode()
    assert Article.objects.get(pk=article.pk).body == indented


def test_a_form_opened_before_the_deploy_saves_its_own_edit_of_an_indented_body(make_article, sub):
    story = make_article(body=INDENT + "pip install newsportal\n\nThen run it.")
    fixed = as_a_browser_posts(story.body + "\n\nCorrection: it needs Python 3.12.")
    subs_form = opened_before_the_deploy(sub, story, body=fixed, title="How to install it")

    response = sub.post(_change(story), subs_form, follow=True)

    story.refresh_from_db()
    assert (story.title, story.body) == ("How to install it", fixed.replace("\r\n", "\n"))
    assert "changed since you opened this form" not in _said(response)
