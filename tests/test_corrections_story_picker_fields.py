"""The corrections' story picker (Articles › Corrections › Add, its stories/ search) answers for
the correction's story alone. Its address names the field it searches for, as the admin's own
autocomplete's does: another field named there (typed, a script) is refused, as the stock
search refuses a field it does not know, never a server error nor another model's rows."""

import pytest

STORIES = "/admin/articles/correction/stories/"


def _asked(app_label: str, model_name: str, field_name: str) -> dict:
    return {"term": "", "app_label": app_label, "model_name": model_name, "field_name": field_name}


@pytest.mark.parametrize(
    "source",
    [
        ("articles", "article", "tags"),  # another model (tags) behind it: was a server error
        ("articles", "article", "section"),
        ("comments", "comment", "article"),  # stories too, but not the correction's field
        ("articles", "relatedlink", "target_article"),
    ],
)
def test_the_picker_refuses_any_field_but_the_correction_s_story(superuser_client, source):
    assert superuser_client.get(STORIES, _asked(*source)).status_code == 403


def test_the_picker_still_answers_for_the_correction_s_story(superuser_client, article, draft):
    found = superuser_client.get(STORIES, _asked("articles", "correction", "article"))

    assert found.status_code == 200
    assert [result["text"] for result in found.json()["results"]] == [article.title]
