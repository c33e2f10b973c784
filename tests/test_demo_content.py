from django.core.management import call_command

from articles.models import Article, RelatedLink, Section


def test_demo_content_loads_twice_without_duplicates(db, capsys):
    call_command("load_demo_content", "--no-images", "--no-user")
    call_command("load_demo_content", "--no-images", "--no-user")

    assert Article.objects.published().count() >= 21
    assert Section.objects.count() >= 4
    assert Article.objects.filter(slug="xiaomi-electric-car-mass-production-2024").count() == 1
    lead = Article.objects.get(slug="xiaomi-electric-car-mass-production-2024")
    assert lead.related_links.filter(in_body_after_paragraph__isnull=False).exists()
    assert RelatedLink.objects.count() == len({link.pk for link in RelatedLink.objects.all()})


def test_demo_content_prints_a_generated_staff_login(db, capsys, monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    call_command("load_demo_content", "--no-images")

    out = capsys.readouterr().out
    assert "Staff login for /admin/: user 'editor', password '" in out
