"""Without JavaScript the byline's author box lists nobody (it finds authors as one types), and a
story is saved only with a byline: the form says why, where the save said only "Name at least
one author" beside an empty box."""


def test_without_javascript_the_byline_says_it_needs_it(admin_client, article):
    html = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    said = html.split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    assert "needs JavaScript to choose the byline's authors" in said
    assert html.index("<noscript>") < html.index('id="bylines-group"')
