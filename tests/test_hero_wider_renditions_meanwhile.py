"""`manage.py make_wider_renditions` encodes a story's 1600 px files (three formats: seconds a
story), and `make_modern_renditions` its AVIF and WebP ones, with the story free: an editor
saving it meanwhile waited for them (or, past the database's lock timeout, lost their save). A
picture replaced meanwhile is the one kept, with its own renditions; the files made of the old
one leave storage."""

import io
import threading

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from articles import picture_services
from articles.models import Article
from articles.services import save_article
from tests.test_hero_wider_renditions import pictured, saved_at_1200_px_at_most
from tests.test_images import image_file
from tests.test_modern_image_formats import old_story

COMMANDS = {
    "make_wider_renditions": (saved_at_1200_px_at_most, "wider renditions"),
    "make_modern_renditions": (old_story, "AVIF and WebP renditions"),
}


def _editor_replaces_the_picture(pk: int, said: list) -> None:
    # Another request: a connection of its own, as an editor's save in the admin has.
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET lock_timeout = '5s'")  # not forever, if it waits
        story = Article.objects.get(pk=pk)
        story.hero_image = image_file(size=(2000, 1125), name="replaced.png")
        story.hero_alt = "The new picture"
        save_article(article=story, hero_changed=True)
        said.append("saved")
    except Exception as exc:  # what the editor would have been shown
        said.append(repr(exc))
    finally:
        connection.close()


# Its rows restored after it (serialized_rollback): the editor's save commits from its thread.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("command", COMMANDS)
def test_an_editor_replacing_the_picture_meanwhile_saves_and_keeps_theirs(
    article, monkeypatch, command
):
    saved_before, what = COMMANDS[command]
    pictured(article, (2400, 1350))
    article.refresh_from_db()
    saved_before(article)
    encode = picture_services.make_renditions
    made, said = [], []

    def encoding(*args, **kwargs):
        renditions = encode(*args, **kwargs)
        if made:  # the editor's own save, making their picture's
            return renditions
        made.extend(name for widths in renditions.values() for name in widths.values())
        editor = threading.Thread(target=_editor_replaces_the_picture, args=(article.pk, said))
        editor.start()
        editor.join()
        return renditions

    monkeypatch.setattr(picture_services, "make_renditions", encoding)
    out = io.StringIO()
    call_command(command, stdout=out)

    assert said == ["saved"]
    assert out.getvalue() == f"0 picture(s) given {what}; 0 failed.\n"
    story = Article.objects.get(pk=article.pk)
    assert story.hero_alt == "The new picture"
    assert set(made) and not set(made) & story.hero_file_names
    assert not [name for name in made if default_storage.exists(name)]
    assert all(default_storage.exists(name) for name in story.hero_file_names)
    # The new picture's own, made by the editor's save.
    assert "1600" in story.hero_renditions and story.hero_modern_renditions
