from django.core.management.base import CommandError

from articles.models import Article
from articles.picture_services import PictureChanged
from newsportal.wording import counted


def on_every_picture(command, service, did: str, only=None) -> tuple[int, list[int]]:
    """service(article_id=...) on every article with a picture (or those of `only`), then what
    came of it in one line ("<n> picture(s) <did>; …"): (how many it changed, the articles that
    failed). A file missing or unreadable fails its article only: the others still go. A picture
    an editor replaced or removed meanwhile is skipped, theirs kept: nothing to chase, nor to run
    again for."""
    articles = Article.objects.exclude(hero_image="").order_by("pk")
    if only:
        articles = articles.filter(pk__in=only)
    done = skipped = 0
    failed = []
    for pk in articles.values_list("pk", flat=True):
        try:
            done += service(article_id=pk)
        except PictureChanged:
            skipped += 1
        except OSError as exc:
            failed.append(pk)
            command.stderr.write(f"article {pk}: {exc}")
    if skipped:
        whose = "its picture" if skipped == 1 else "their pictures"
        did += f"; {skipped} skipped, {whose} replaced or removed meanwhile (nothing to do)"
    command.stdout.write(f"{done} picture(s) {did}; {len(failed)} failed.")
    return done, failed


def exit_status(
    failed: list[int],
    again: str = "run the command again: the pictures it did are left as they are",
) -> None:
    """Any failed: the command exits with status 1, after doing the rest, so a script (or a
    deploy) running it stops there, saying what to run once fixed (`again`, where running the
    whole command again would not do); skipped ones are not failures."""
    if failed:
        raise CommandError(
            f"{counted(len(failed), 'picture')} failed (above): once fixed, {again}."
        )
