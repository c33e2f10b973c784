"""One save of a story in the admin purges it from the front caches once: its words, its
byline, its section and tags are one change, and every PURGE is a request to every front cache
(repeated by the worker twice more), so a save that sent three made the proxy drop and fetch
the same pages three times for one edit."""

from articles.models import Author, Section
from tests.article_forms import byline_as, change_form_data


def _purges_naming(purges, article) -> list:
    return [keys for keys in purges if f"article-{article.pk}" in keys]


def test_a_byline_change_saved_with_the_story_purges_it_once(
    purges, editor_client, article, author, django_capture_on_commit_callbacks
):
    lead = Author.objects.create(name="Rui Costa", slug="rui-costa")
    data = change_form_data(article, title="Xiaomi delays its car") | byline_as(
        article, [lead, author]
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 302
    assert list(article.bylines.values_list("author__name", flat=True).order_by("position")) == [
        "Rui Costa",
        "Marta Ribeiro",
    ]
    [keys] = _purges_naming(purges, article)
    # The pages it left and the ones it joins, and its lists for good (its headline changed).
    assert {"list", "latest", f"section-{article.section_id}", f"listed-{article.pk}"} <= keys


def test_a_story_moved_to_another_section_purges_both_sections_in_its_one_purge(
    purges, editor_client, article, django_capture_on_commit_callbacks
):
    business = Section.objects.create(name="Business", slug="business")
    data = change_form_data(article, section=business.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 302
    [keys] = _purges_naming(purges, article)
    assert {f"section-{article.section_id}", f"section-{business.pk}"} <= keys
