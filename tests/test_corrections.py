"""Corrections: an editor says what a story got wrong and what is right. Readers find it at the
story's end, dated (and the byline says there is one), search engines in its JSON-LD, and every
correction on the site's corrections page; caches in front are purged as it is added, mended
or deleted."""

import json
import re
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from articles.correction_services import append_correction
from articles.models import Article, Correction
from articles.services import unpublish_articles

WRONG_YEAR = "An earlier version of this article said the plant opened in 2023. It opened in 2024."


def _json_ld(page) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_an_editor_adds_a_correction_and_readers_find_it_at_the_story_s_end(
    desk, client, article, purges, django_capture_on_commit_callbacks
):
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - timedelta(days=2),
        updated_at=timezone.now() - timedelta(days=2),
    )
    form = desk.get(f"/admin/articles/correction/add/?article={article.pk}")
    assert form.status_code == 200
    assert (
        f'<option value="{article.pk}" selected>{article.title}</option>' in form.content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        added = desk.post(
            "/admin/articles/correction/add/", {"article": article.pk, "text": WRONG_YEAR}
        )

    assert added.status_code == 302
    [correction] = Correction.objects.filter(article=article)
    assert correction.text == WRONG_YEAR
    page = client.get(article.get_absolute_url()).content.decode()
    end = page.index('id="end-of-content"')
    assert page.index('id="corrections"') < end
    assert "Correction</h2>" in page and WRONG_YEAR in page
    assert timezone.localtime(correction.published_at).strftime("%-d %B %Y") in page
    assert 'href="#corrections">Correction at the end</a>' in page
    # A correction is an update of what readers read: the byline and the feeds say so.
    assert "Updated <time" in page
    assert _json_ld(page)["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": WRONG_YEAR,
            "datePublished": correction.published_at.isoformat(timespec="seconds"),
        }
    ]
    assert any({f"article-{article.pk}", "corrections"} <= keys for keys in purges)
    history = desk.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert "Added a correction: “An earlier version of this article said" in history


def test_a_story_never_out_has_nothing_to_correct(desk, draft):
    refused = desk.post(
        "/admin/articles/correction/add/", {"article": draft.pk, "text": WRONG_YEAR}
    )

    assert refused.status_code == 200
    assert "This story has not been out yet" in refused.content.decode()
    assert not Correction.objects.exists()
    form = desk.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert "Corrections come once the story has been out" in form
    assert "Add a correction" not in form


def _picked(desk, term: str = "") -> list[str]:
    """The story picker's choices on the add form, as its search box asks for them."""
    form = desk.get("/admin/articles/correction/add/").content.decode()
    picker = re.search(r'<select name="article"[^>]*>', form).group(0)
    asked = dict(re.findall(r'data-(ajax--url|app-label|model-name|field-name)="([^"]*)"', picker))
    found = desk.get(
        asked["ajax--url"],
        {
            "term": term,
            "app_label": asked["app-label"],
            "model_name": asked["model-name"],
            "field_name": asked["field-name"],
        },
    )
    assert found.status_code == 200
    return [result["text"] for result in found.json()["results"]]


def test_the_story_picker_offers_only_stories_that_have_been_out(
    desk, article, draft, scheduled, make_article
):
    pulled = make_article(title="Battery plant story taken down")
    unpublish_articles(queryset=Article.objects.filter(pk=pulled.pk))

    offered = _picked(desk)

    assert sorted(offered) == sorted([article.title, pulled.title])
    assert _picked(desk, "batter") == [pulled.title]  # the drafts' words find them no more
    form = desk.get("/admin/articles/correction/add/").content.decode()
    assert "Only stories that have been out" in form


def test_the_story_s_form_lists_its_corrections_and_leads_to_add_one(desk, article):
    append_correction(article=article, text="Spelling of the <b>chief</b> executive's name.")

    form = desk.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    assert "Spelling of the &lt;b&gt;chief&lt;/b&gt; executive" in form
    back = f"%2Fadmin%2Farticles%2Farticle%2F{article.pk}%2Fchange%2F"  # its Save leads back here
    add = f"/admin/articles/correction/add/?article={article.pk}&amp;next={back}"
    assert f'{add}">Add a correction' in form


def test_mending_a_correction_s_words_keeps_its_date_and_the_story_s(
    desk, client, article, django_capture_on_commit_callbacks
):
    correction = append_correction(article=article, text="The plant opened in 2025.")
    day_told = timezone.now() - timedelta(days=3)
    Correction.objects.filter(pk=correction.pk).update(published_at=day_told)
    updated = Article.objects.get(pk=article.pk).updated_at

    with django_capture_on_commit_callbacks(execute=True):
        mended = desk.post(
            f"/admin/articles/correction/{correction.pk}/change/",
            {"text": WRONG_YEAR, "article": 999999},  # the story is not the form's to change
        )

    assert mended.status_code == 302
    correction.refresh_from_db()
    assert (correction.text, correction.published_at) == (WRONG_YEAR, day_told)
    assert correction.article_id == article.pk
    assert Article.objects.get(pk=article.pk).updated_at == updated
    assert WRONG_YEAR in client.get(article.get_absolute_url()).content.decode()


def test_a_correction_deleted_leaves_the_pages(
    desk, client, article, purges, django_capture_on_commit_callbacks
):
    correction = append_correction(article=article, text=WRONG_YEAR)
    assert WRONG_YEAR in client.get("/corrections/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        gone = desk.post(f"/admin/articles/correction/{correction.pk}/delete/", {"post": "yes"})

    assert gone.status_code == 302
    assert not Correction.objects.exists()
    story = client.get(article.get_absolute_url()).content.decode()
    assert WRONG_YEAR not in story and "Correction at the end" not in story
    assert WRONG_YEAR not in client.get("/corrections/").content.decode()
    assert any({f"article-{article.pk}", "corrections"} <= keys for keys in purges)


def test_staff_without_the_editors_rights_cannot_correct(client, article, django_user_model):
    moderator = django_user_model.objects.create_user("mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)

    refused = client.post(
        "/admin/articles/correction/add/", {"article": article.pk, "text": WRONG_YEAR}
    )

    assert refused.status_code == 403
    assert not Correction.objects.exists()


def test_the_corrections_page_lists_the_newest_first_of_stories_on_the_site(client, make_article):
    bridge = make_article(title="The bridge reopens")
    plant = make_article(title="The plant opens")
    pulled = make_article(title="A story taken down")
    append_correction(article=bridge, text="The bridge is 300 m long, not 3 km.")
    append_correction(article=plant, text="The plant employs 900, not 9,000.")
    append_correction(article=pulled, text="Nothing readers can read now.")
    unpublish_articles(queryset=Article.objects.filter(pk=pulled.pk))

    page = client.get("/corrections/")

    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("The plant employs 900") < html.index("The bridge is 300 m long")
    assert f'href="{bridge.get_absolute_url()}#corrections">The bridge reopens</a>' in html
    assert "Nothing readers can read now" not in html and "A story taken down" not in html
    assert "public" in page["Cache-Control"]
    keys = page["Surrogate-Key"].split()
    assert {"corrections", f"listed-{bridge.pk}", f"listed-{plant.pk}"} <= set(keys)
    # Every page leads there.
    assert 'href="/corrections/">Corrections</a>' in html


def test_the_corrections_page_says_so_when_there_are_none_and_has_one_address_a_page(client, db):
    empty = client.get("/corrections/")
    assert empty.status_code == 200
    assert "No corrections yet." in empty.content.decode()
    assert client.get("/corrections/?page=2").status_code == 404
    first = client.get("/corrections/?page=1")
    assert (first.status_code, first["Location"]) == (301, "/corrections/")


def test_a_correction_s_words_are_shown_as_text(client, article):
    append_correction(article=article, text='The <script>alert("x")</script> was\nwrong.')

    story = client.get(article.get_absolute_url()).content.decode()
    listed = client.get("/corrections/").content.decode()

    for html in (story, listed):
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; was<br>wrong." in html
        assert '<script>alert("x")' not in html


def test_the_corrections_page_costs_the_same_queries_for_one_or_many(
    client, make_article, django_assert_max_num_queries
):
    for n in range(25):
        append_correction(article=make_article(), text=f"Correction number {n}.")

    # The count, the page, the menu and the breaking-news strip (drawn with the menu).
    with django_assert_max_num_queries(4):
        page = client.get("/corrections/")

    assert page.content.decode().count('class="correction-item"') == 25
