from django.core.management.base import CommandError

from articles.models import Article
from articles.picture_services import PictureChanged
from newsportal.wording import counted


def on_every_picture(command, service, did: str) -> tuple[int, int]:
    """service(article_id=...) on every article with a picture, then what came of it in one line
    ("<n> picture(s) <did>; …"): (how many it changed, how many failed). A file missing or
    unreadable fails its article only: the others still go. A picture an editor replaced or
    removed meanwhile is skipped, theirs kept: nothing to chase, nor to run again for."""
    ids = Article.objects.exclude(hero_image="").order_by("pk").values_list("pk", flat=True)
    done = skipped = failed = 0
    for pk in ids:
        try:
            done += service(article_id=pk)
        except PictureChanged:
            skipped += 1
        except OSError as exc:
            failed += 1
            command.stderr.write(f"article {pk}: {exc}")
    if skipped:
        whose = "its picture" if skipped == 1 else "their pictures"
        did += f"; {skipped} skipped, {whose} replaced or removed meanwhile (nothing to do)"
    command.stdout.write(f"{done} picture(s) {did}; {failed} failed.")
    return done, failed


def exit_status(failed: int) -> None:
    """Any failed: the command exits with status 1, after doing the rest, so a script (or a
    deploy) running it stops there; skipped ones are not failures."""
    if failed:
        raise CommandError(
            f"{counted(failed, 'picture')} failed (above): run the command again once fixed."
        )
