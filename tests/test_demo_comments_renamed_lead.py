"""The demo comments find the lead demo story by its old address too: an editor who renamed it
(a corrected headline, a new slug) was told "No demo article yet", and the moderation queue a
new moderator opens stayed empty."""

from django.core.management import call_command

from articles.demo_content import LEAD_SLUG
from articles.models import Article
from articles.services import save_article
from comments.models import Comment


def test_demo_comments_go_on_the_lead_story_after_an_editor_renamed_it(db, client, capsys):
    call_command("load_demo_content", "--no-images", "--no-user", verbosity=0)
    lead = Article.objects.get(slug=LEAD_SLUG)
    lead.title, lead.slug = f"{lead.title}, corrected", "the-corrected-lead"
    save_article(article=lead)
    capsys.readouterr()

    call_command("load_demo_comments")
    call_command("load_demo_comments")  # again: nothing changes

    out, err = capsys.readouterr()
    assert "No demo article yet" not in err
    assert "Demo comments ready" in out and "already there" in out
    page = client.get("/articles/the-corrected-lead/").content.decode()
    assert "If anyone can make a car feel like a gadget" in page  # the first thread, approved
    assert Comment.objects.pending().filter(article=lead).count() == 3  # the moderation queue
