"""A correction added or mended from a story's change form leads back to that story once saved.
The review found Save landing on Articles › Corrections, the story the editor came from (and was
still working on) left for them to find again; "Save and continue editing" and "Save and add
another" still do what they say, and the way back is kept through them."""

import re
from html import unescape
from urllib.parse import quote

import pytest

from articles.correction_services import append_correction
from articles.models import Correction

WRONG_YEAR = "An earlier version of this article said the plant opened in 2023. It opened in 2024."
LIST = "/admin/articles/correction/"


def _story_form(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def _link(desk, article, words: str) -> str:
    """The address of the story form's link with these words, as the editor's browser has it."""
    form = desk.get(_story_form(article)).content.decode()
    href = re.search(rf'<a (?:class="addlink" )?href="([^"]+)">{words}', form).group(1)
    return unescape(href)


def _said(desk, url: str) -> list[str]:
    """The admin's messages on the page the editor lands on, as text."""
    page = desk.get(url).content.decode()
    listed = re.search(r'<ul class="messagelist">(.*?)</ul>', page, re.S).group(1)
    items = re.findall(r"<li[^>]*>(.*?)</li>", listed, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", item)) for item in items]


def test_a_correction_added_from_the_story_leads_back_to_the_story(desk, article):
    add = _link(desk, article, "Add a correction")

    saved = desk.post(add, {"article": article.pk, "text": WRONG_YEAR})

    assert saved.status_code == 302
    assert saved["Location"] == _story_form(article)
    [correction] = Correction.objects.filter(article=article)
    assert _said(desk, saved["Location"]) == [
        f"The correction “{correction}” was added successfully."
    ]


def test_a_correction_mended_from_the_story_leads_back_to_the_story(desk, article):
    correction = append_correction(article=article, text="The plant opened in 2025.")
    mend = _link(desk, article, "Mend its words")

    saved = desk.post(mend, {"text": WRONG_YEAR})

    assert saved.status_code == 302
    assert saved["Location"] == _story_form(article)
    assert Correction.objects.get(pk=correction.pk).text == WRONG_YEAR
    assert _said(desk, saved["Location"]) == [
        f"The correction “{correction}” was changed successfully."
    ]


def test_the_way_back_is_kept_through_save_and_continue_and_save_and_add_another(desk, article):
    add = _link(desk, article, "Add a correction")

    kept = desk.post(add, {"article": article.pk, "text": WRONG_YEAR, "_continue": "1"})
    [correction] = Correction.objects.all()
    assert kept["Location"].startswith(f"/admin/articles/correction/{correction.pk}/change/?")
    again = desk.post(kept["Location"], {"text": "It opened in 2024.", "_addanother": "1"})
    assert again["Location"].startswith("/admin/articles/correction/add/?")
    another = desk.post(again["Location"], {"article": article.pk, "text": "A second one."})

    assert another["Location"] == _story_form(article)
    assert Correction.objects.count() == 2


def test_a_correction_added_from_the_list_still_leads_to_the_list(desk, article):
    saved = desk.post(
        "/admin/articles/correction/add/", {"article": article.pk, "text": WRONG_YEAR}
    )

    assert saved["Location"] == LIST


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"]
)
def test_a_way_back_to_another_site_is_not_followed(desk, article, elsewhere):
    add = f"/admin/articles/correction/add/?article={article.pk}&next={quote(elsewhere, safe='')}"

    saved = desk.post(add, {"article": article.pk, "text": WRONG_YEAR})

    assert saved.status_code == 302
    assert saved["Location"] == LIST
    assert Correction.objects.filter(article=article).exists()


def _delete_link(desk, url: str) -> str:
    """The address of the Delete link on the correction's form, as the editor's browser has it."""
    form = desk.get(url).content.decode()
    return unescape(re.search(r'<a href="([^"]+)" class="deletelink">', form).group(1))


def _confirmed(desk, delete: str):
    """Yes on the delete confirmation: its form has no action, so the browser posts it back to
    the page's own address, query string and all."""
    page = desk.get(delete).content.decode()
    form = re.search(r"<form [^>]*>", page[page.index('name="post"') - 400 :]).group(0)
    assert "action=" not in form
    return desk.post(delete, {"post": "yes"})


def test_a_correction_deleted_from_the_story_leads_back_to_the_story(desk, article):
    correction = append_correction(article=article, text="The plant opened in 2025.")
    delete = _delete_link(desk, _link(desk, article, "Mend its words"))

    deleted = _confirmed(desk, delete)

    assert deleted.status_code == 302
    assert deleted["Location"] == _story_form(article)
    assert not Correction.objects.filter(pk=correction.pk).exists()
    assert _said(desk, deleted["Location"]) == [
        f"The correction “{correction}” was deleted successfully."
    ]


def test_a_correction_deleted_from_the_list_still_leads_to_the_list(desk, article):
    correction = append_correction(article=article, text="The plant opened in 2025.")
    delete = _delete_link(desk, f"{LIST}{correction.pk}/change/")

    assert _confirmed(desk, delete)["Location"] == LIST


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"]
)
def test_a_way_back_to_another_site_is_not_followed_after_a_delete(desk, article, elsewhere):
    correction = append_correction(article=article, text="The plant opened in 2025.")
    mend = f"{LIST}{correction.pk}/change/?next={quote(elsewhere, safe='')}"
    delete = _delete_link(desk, mend)
    assert "evil" not in delete and "javascript" not in delete

    deleted = desk.post(
        f"{LIST}{correction.pk}/delete/?next={quote(elsewhere, safe='')}", {"post": "yes"}
    )

    assert deleted["Location"] == LIST
    assert not Correction.objects.filter(pk=correction.pk).exists()
