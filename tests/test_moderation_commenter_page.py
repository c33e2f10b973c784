"""The commenter's page: reached from any comment whatever its address holds, and acting only
on that commenter."""

from comments.models import Block

CHANGELIST = "/admin/comments/comment/"
COMMENTER = f"{CHANGELIST}commenter/"


def test_a_comments_page_links_to_a_plus_address_commenter_that_opens(
    moderator_client, article, make_comment
):
    comment = make_comment(article, email="a+b@example.com", body="Plus-addressed words.")

    page = moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()

    assert f'href="{COMMENTER}?email=a%2Bb%40example.com"' in page
    response = moderator_client.get(f"{COMMENTER}?email=a%2Bb%40example.com")
    assert response.status_code == 200
    assert "Plus-addressed words." in response.content.decode()


def test_lift_on_a_commenters_page_lifts_no_block_of_someone_else(db, moderator_client):
    mine = Block.objects.create(kind=Block.Kind.EMAIL, value="maria@example.com")
    theirs = Block.objects.create(kind=Block.Kind.EMAIL, value="troll@example.com")
    their_ip = Block.objects.create(kind=Block.Kind.IP, value="203.0.113.9")

    for block in (theirs, their_ip):
        response = moderator_client.post(
            f"{COMMENTER}?email=maria%40example.com",
            {"action": "lift", "block": block.pk},
            follow=True,
        )
        assert "That block was over already." in response.content.decode()

    for block in (mine, theirs, their_ip):
        block.refresh_from_db()
    assert (mine.is_active, theirs.is_active, their_ip.is_active) == (True, True, True)


def test_lift_ignores_a_block_id_that_is_not_a_number(db, moderator_client):
    Block.objects.create(kind=Block.Kind.EMAIL, value="maria@example.com")

    response = moderator_client.post(
        f"{COMMENTER}?email=maria%40example.com", {"action": "lift", "block": "1 OR 1=1"}
    )

    assert response.status_code == 302
    assert Block.objects.active().count() == 1
