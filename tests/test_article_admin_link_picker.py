"""The related links' picker says which stories are not out yet: a link to a draft or a
scheduled story stays off the public page until that story is out, and a reporter who picked
one by its bare headline read the missing link as lost."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from articles.models import RelatedLink
from tests import test_article_address_taken

# Staff in the Editors group, who write stories and link them.
editor_client = test_article_address_taken.editor_client


def newsroom(when) -> str:
    return f"{timezone.localtime(when):%-d %b %Y, %H:%M}"


@pytest.fixture
def ferries(make_article):
    coming = timezone.now() + timedelta(days=1)
    return {
        "out": make_article(title="Ferries return"),
        "draft": make_article(title="Ferry strike called off", status="draft"),
        "scheduled": make_article(title="Ferry timetable for May", published_at=coming),
    }


def picker_search(client, story, term) -> list[str]:
    """What the picker lists for these words: it asks the address its box names."""
    form = client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    select = re.search(r'<select[^>]*name="related_links-0-target_article"[^>]*>', form).group(0)
    url = unescape(re.search(r'data-ajax--url="([^"]+)"', select).group(1))
    response = client.get(
        url,
        {
            "term": term,
            "app_label": "articles",
            "model_name": "relatedlink",
            "field_name": "target_article",
        },
    )
    assert response.status_code == 200
    return sorted(result["text"] for result in response.json()["results"])


def test_the_picker_lists_drafts_and_scheduled_stories_as_such(
    editor_client, make_article, ferries
):
    story = make_article(title="Night crossings back")

    listed = picker_search(editor_client, story, "Ferr")

    assert listed == [
        "Ferries return",
        "Ferry strike called off (draft)",
        f"Ferry timetable for May (scheduled for {newsroom(ferries['scheduled'].published_at)})",
    ]


def test_a_link_already_chosen_says_its_story_is_not_out(editor_client, make_article, ferries):
    story = make_article(title="Night crossings back")
    RelatedLink.objects.create(article=story, target_article=ferries["draft"], order=0)
    RelatedLink.objects.create(article=story, target_article=ferries["scheduled"], order=1)
    RelatedLink.objects.create(article=story, target_article=ferries["out"], order=2)

    form = editor_client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()

    boxes = re.findall(r'name="related_links-\d-target_article".*?</select>', form, re.S)
    chosen = [unescape(re.search(r"selected>([^<]*)<", box).group(1)) for box in boxes[:3]]
    when = newsroom(ferries["scheduled"].published_at)
    assert chosen == [
        "Ferry strike called off (draft)",
        f"Ferry timetable for May (scheduled for {when})",
        "Ferries return",
    ]


def test_the_picker_is_for_staff_only(client, ferries):
    response = client.get(
        "/admin/articles/article/link-targets/",
        {"term": "Ferr", "app_label": "articles", "model_name": "relatedlink"}
        | {"field_name": "target_article"},
    )

    assert response.status_code == 302
    assert "Ferry strike" not in response.content.decode()
