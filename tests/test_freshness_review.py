"""Pages kept at the edge and in Django's fragments follow writes that change what they print:
two a review found stale beyond the bound the README states."""

from articles.listing_services import save_listing_entries
from articles.models import Article, Section


def test_a_renamed_section_shows_in_the_404_page_s_latest_stories(
    client, make_article, settings, django_capture_on_commit_callbacks
):
    settings.FRAGMENT_CACHE_SECONDS = 60
    make_article(title="A story")
    assert "Technology ·" in client.get("/no-such-page/").content.decode()

    section = Section.objects.get()
    section.name = "Science"
    with django_capture_on_commit_callbacks(execute=True):
        save_listing_entries(objs=[section])
    page = client.get("/no-such-page/").content.decode()

    assert "Science ·" in page
    assert "Technology" not in page


def test_a_body_drawn_again_shows_in_search_results(
    client, make_article, settings, django_capture_on_commit_callbacks, purges
):
    from articles.services import render_body_again

    settings.FRAGMENT_CACHE_SECONDS = 60
    story = make_article(title="Zebra news", body="Zebras crossed the road today.")
    # As an older renderer stored it.
    Article.objects.filter(pk=story.pk).update(
        body_text="Zebras OLDTEXT crossed", body_html="<p>Zebras OLDTEXT crossed</p>"
    )
    kept = client.get("/search/?q=zebras")
    assert "OLDTEXT" in kept.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert render_body_again(article_id=story.pk)

    assert "OLDTEXT" not in client.get("/search/?q=zebras").content.decode()
    # The front cache's copy of the results page goes too, for good (its story key).
    assert f"listed-{story.pk}" in purges[-1]
    assert f"listed-{story.pk}" in kept["Surrogate-Key"].split()
