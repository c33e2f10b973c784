"""A section says what it covers, in the editors' words: under its name, in the description
search engines and social cards show, and in its feeds."""

from django.test import Client

from articles.models import Section

WORDS = "Phones, cars and chips, and what they change for you."


def test_an_editor_describes_a_section_and_readers_see_it_everywhere_it_is_described(
    superuser_client, article, section, django_capture_on_commit_callbacks
):
    Client().get(section.get_absolute_url())  # drawn once without it
    data = {"name": section.name, "slug": section.slug, "order": 1, "description": WORDS}
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            superuser_client.post(f"/admin/articles/section/{section.pk}/change/", data).status_code
            == 302
        )

    page = Client().get(section.get_absolute_url()).content.decode()
    rss = Client().get(f"/section/{section.slug}/feed/").content.decode()
    atom = Client().get(f"/section/{section.slug}/atom/").content.decode()
    assert f'<p class="list-description">{WORDS}</p>' in page
    assert f'<meta name="description" content="{WORDS}">' in page
    assert f'<meta property="og:description" content="{WORDS}">' in page
    assert "The latest from" not in page
    assert f"<description>{WORDS}</description>" in rss
    assert f"<subtitle>{WORDS}</subtitle>" in atom


def test_a_section_without_a_description_keeps_the_plain_one(client, article, section):
    page = client.get(section.get_absolute_url()).content.decode()

    assert '<p class="list-description">The latest from Technology.</p>' in page


def test_a_description_pasted_from_a_word_processor_is_kept_on_one_line(superuser_client, section):
    # Word's soft return (U+000B) where the editor saw a break: a space in a line of text.
    data = {
        "name": section.name,
        "slug": section.slug,
        "order": 1,
        "description": "Phones,\vcars.",
    }
    superuser_client.post(f"/admin/articles/section/{section.pk}/change/", data)

    assert Section.objects.get().description == "Phones, cars."
