"""`manage.py make_wider_renditions` encodes a story's 1600 px files (three formats: seconds a
story), `make_modern_renditions` its AVIF and WebP ones, and `strip_hero_metadata` its picture
again, with the story free: an editor saving it meanwhile waited for them (or, past the
database's lock timeout, lost their save). A picture replaced meanwhile is the one kept, with its
own renditions; the files made of the old one leave storage, and the command says the story was
skipped, its picture changed: not a failure an operator should chase."""

import io
import threading

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from articles import picture_services
from articles.models import Article
from articles.services import save_article
from tests.test_hero_wider_renditions import pictured, saved_at_1200_px_at_most
from tests.test_images import image_file
from tests.test_modern_image_formats import old_story

COMMANDS = {
    "make_wider_renditions": (saved_at_1200_px_at_most, "given wider renditions"),
    "make_modern_renditions": (old_story, "given AVIF and WebP renditions"),
    "strip_hero_metadata": (lambda article: None, "stored again without metadata"),
}
SKIPPED = "1 skipped, its picture replaced or removed meanwhile (nothing to do)"


def _stored(tmp_path) -> set[str]:
    media = tmp_path / "media"
    return {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}


def _editor_replaces_the_picture(pk: int, said: list, removes: bool = False) -> None:
    # Another request: a connection of its own, as an editor's save in the admin has.
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET lock_timeout = '5s'")  # not forever, if it waits
        story = Article.objects.get(pk=pk)
        story.hero_image = "" if removes else image_file(size=(2000, 1125), name="replaced.png")
        story.hero_alt = "The new picture"
        save_article(article=story, hero_changed=True)
        said.append("saved")
    except Exception as exc:  # what the editor would have been shown
        said.append(repr(exc))
    finally:
        connection.close()


def _editor_saves_now(pk: int, said: list, removes: bool = False) -> None:
    editor = threading.Thread(target=_editor_replaces_the_picture, args=(pk, said, removes))
    editor.start()
    editor.join()


def _as_the_command_finds_it(article, command) -> str:
    """The story with a picture as saved before the command's release; what it says it did."""
    saved_before, what = COMMANDS[command]
    pictured(article, (2400, 1350))
    article.refresh_from_db()
    saved_before(article)
    return what


# Its rows restored after it (serialized_rollback): the editor's save commits from its thread.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("command", COMMANDS)
def test_an_editor_replacing_the_picture_meanwhile_saves_and_keeps_theirs(
    article, monkeypatch, command, tmp_path
):
    what = _as_the_command_finds_it(article, command)
    encode = picture_services.make_renditions
    made, said = [], []

    def encoding(*args, **kwargs):
        renditions = encode(*args, **kwargs)
        if made:  # the editor's own save, making their picture's
            return renditions
        made.extend(name for widths in renditions.values() for name in widths.values())
        _editor_saves_now(article.pk, said)
        return renditions

    monkeypatch.setattr(picture_services, "make_renditions", encoding)
    out = io.StringIO()
    call_command(command, stdout=out)

    assert said == ["saved"]
    assert out.getvalue().splitlines()[0] == f"0 picture(s) {what}; {SKIPPED}; 0 failed."
    story = Article.objects.get(pk=article.pk)
    assert story.hero_alt == "The new picture"
    assert set(made) and not set(made) & story.hero_file_names
    assert not [name for name in made if default_storage.exists(name)]
    assert all(default_storage.exists(name) for name in story.hero_file_names)
    assert _stored(tmp_path) == story.hero_file_names  # nothing else made of the old one
    # The new picture's own, made by the editor's save.
    assert "1600" in story.hero_renditions and story.hero_modern_renditions


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("removes", [False, True], ids=["replaced", "removed"])
def test_a_picture_changed_before_the_command_reads_it_is_skipped_not_failed(
    article, monkeypatch, command, removes
):
    # The editor's save takes the old picture's files out of storage: the command found the
    # story with it, and then its file gone.
    what = _as_the_command_finds_it(article, command)
    said, started = [], []
    opens = FileSystemStorage._open

    def opening(storage, name, *args, **kwargs):
        if not started:  # the command opens the picture it read the story with
            started.append(name)
            _editor_saves_now(article.pk, said, removes)
        return opens(storage, name, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "_open", opening)
    out, err = io.StringIO(), io.StringIO()
    call_command(command, stdout=out, stderr=err)  # exit status 0: nothing to chase

    assert started == [article.hero_image.name] and said == ["saved"]
    assert out.getvalue().splitlines()[0] == f"0 picture(s) {what}; {SKIPPED}; 0 failed."
    assert err.getvalue() == ""


class TestAFileMissing:
    """Not changed meanwhile: a failure to chase (the storage lost it, a backup restored
    without it), named on stderr, and the exit status says so once the rest went."""

    @pytest.mark.parametrize("command", COMMANDS)
    def test_it_fails_and_the_exit_status_says_so(self, article, command):
        what = _as_the_command_finds_it(article, command)
        default_storage.delete(article.hero_image.name)
        out, err = io.StringIO(), io.StringIO()

        with pytest.raises(CommandError, match="1 picture failed"):
            call_command(command, stdout=out, stderr=err)

        assert out.getvalue().splitlines()[0] == f"0 picture(s) {what}; 1 failed."
        assert f"article {article.pk}: " in err.getvalue()

    @pytest.mark.parametrize("command", ["make_wider_renditions", "make_modern_renditions"])
    def test_it_says_to_run_the_command_again_once_fixed(self, article, command):
        _as_the_command_finds_it(article, command)
        default_storage.delete(article.hero_image.name)

        with pytest.raises(CommandError) as failed:
            call_command(command, stdout=io.StringIO(), stderr=io.StringIO())

        assert str(failed.value) == (
            "1 picture failed (above): once fixed, run the command again: the pictures it did "
            "are left as they are."
        )

    def test_strip_hero_metadata_says_to_store_the_failed_ones_alone(self, article, make_article):
        # Run again whole, it would give every picture new names once more: the pages shared
        # with the names the first run gave (share cards) would lose their picture.
        _as_the_command_finds_it(article, "strip_hero_metadata")
        other = pictured(make_article(), (800, 450))
        default_storage.delete(article.hero_image.name)

        with pytest.raises(CommandError) as failed:
            call_command("strip_hero_metadata", stdout=io.StringIO(), stderr=io.StringIO())
        assert f"once fixed, run manage.py strip_hero_metadata --article {article.pk} for " in (
            str(failed.value)
        )
        stored_once = Article.objects.get(pk=other.pk).hero_image.name
        assert stored_once != other.hero_image.name  # the first run stored it again

        out = io.StringIO()
        with pytest.raises(CommandError):  # its file still missing
            call_command(
                "strip_hero_metadata",
                "--article",
                str(article.pk),
                stdout=out,
                stderr=io.StringIO(),
            )
        assert (
            out.getvalue().splitlines()[0]
            == "0 picture(s) stored again without metadata; 1 failed."
        )
        assert Article.objects.get(pk=other.pk).hero_image.name == stored_once
