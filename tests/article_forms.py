"""An article's change form as the admin posts it, for the tests that save stories through it:
its byline's rows (an inline of their own) in the byline's order."""

import re


def byline_rows(article) -> dict:
    """The byline's rows as the change form shows them: each author, in the byline's order."""
    lines = article.bylines.order_by("position", "author__name", "author_id")
    data = {"bylines-TOTAL_FORMS": str(len(lines)), "bylines-INITIAL_FORMS": str(len(lines))}
    for i, line in enumerate(lines):
        data |= {
            f"bylines-{i}-id": str(line.pk),
            f"bylines-{i}-article": str(article.pk),
            f"bylines-{i}-author": str(line.author_id),
            f"bylines-{i}-position": str(line.position),
        }
    return data


def byline_as(article, authors) -> dict:
    """The byline's rows as an editor leaves them to make it these authors, in this order: the
    rows shown numbered again, those left out ticked for deletion, new ones added below."""
    data = byline_rows(article)
    shown = int(data["bylines-INITIAL_FORMS"])
    order = {author.pk: position for position, author in enumerate(authors, start=1)}
    for i in range(shown):
        position = order.pop(int(data[f"bylines-{i}-author"]), None)
        if position is None:
            data[f"bylines-{i}-DELETE"] = "on"
        else:
            data[f"bylines-{i}-position"] = str(position)
    for i, (author_id, position) in enumerate(order.items(), start=shown):
        data |= {
            f"bylines-{i}-id": "",
            f"bylines-{i}-article": str(article.pk),
            f"bylines-{i}-author": str(author_id),
            f"bylines-{i}-position": str(position),
        }
    data["bylines-TOTAL_FORMS"] = str(shown + len(order))
    return data


def as_new_story(data: dict) -> dict:
    """A change form's data as the add form posts it: its byline's rows are new ones."""
    data = {**data, "bylines-INITIAL_FORMS": "0"}
    for key in [key for key in data if re.fullmatch(r"bylines-\d+-(id|article)", key)]:
        data[key] = ""
    return data


def change_form_data(article, **overrides) -> dict:
    """The article's change form as the admin would post it, with no related links."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "section": article.section_id,
        **byline_rows(article),
        "status": "published",
        "published_at_0": "2024-01-01",
        "published_at_1": "10:00:00",
        "comments_enabled": "on",
        "readers_question": article.readers_question,
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data
