from articles.models import Article


def on_every_picture(command, service) -> tuple[int, int]:
    """service(article_id=...) on every article with a picture: (how many it changed, how many
    failed). A file missing or unreadable fails its article only: the others still go."""
    ids = Article.objects.exclude(hero_image="").order_by("pk").values_list("pk", flat=True)
    done = failed = 0
    for pk in ids:
        try:
            done += service(article_id=pk)
        except OSError as exc:
            failed += 1
            command.stderr.write(f"article {pk}: {exc}")
    return done, failed
