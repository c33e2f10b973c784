from django.core.management import call_command

from articles.models import Article, RelatedLink, Section


def test_demo_content_loads_twice_without_duplicates_or_changes(db, capsys):
    call_command("load_demo_content", "--no-user")

    def snapshot():
        return (
            sorted(Article.objects.values_list("pk", "slug", "updated_at", "published_at")),
            sorted(RelatedLink.objects.values_list("pk", "article_id", "target_article_id")),
            Section.objects.count(),
        )

    first = snapshot()
    call_command("load_demo_content", "--no-images", "--no-user")

    assert snapshot() == first
    assert Article.objects.published().count() >= 21
    assert Section.objects.count() >= 4
    lead = Article.objects.get(slug="xiaomi-electric-car-mass-production-2024")
    assert lead.related_links.filter(in_body_after_paragraph__isnull=False).exists()
    assert not any(article.was_updated for article in Article.objects.all())


def test_demo_content_prints_a_generated_staff_login(db, capsys, monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    call_command("load_demo_content", "--no-images")

    out = capsys.readouterr().out
    assert "Staff login for /admin/: user 'editor', password '" in out
