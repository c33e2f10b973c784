"""The comment lists' search box, as moderators use it: a sender's e-mail address, IP address
or network, a name, words they remember from a comment."""

import pytest

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def maria(article, make_comment):
    """Maria's comment, and one from someone else whose IP holds hers as text."""
    make_comment(
        article,
        name="Maria Lopez",
        email="maria@example.com",
        body="Prices are falling",
        ip_address="203.0.113.77",
    )
    make_comment(
        article, name="Someone", email="x@y.example", body="Other", ip_address="10.203.0.113"
    )


def _found(client, term, **filters):
    response = client.get(CHANGELIST, {"q": term, **filters})
    return [c.name for c in response.context["cl"].result_list]


@pytest.mark.parametrize(
    "term",
    [
        "Maria",
        "lopez",
        "Maria Lopez",
        "maria@example",  # part of an address
        " Maria@Example.com ",  # copied with a space, capitals as the reader typed them
        "falling",
        "prices FALLING",
        "203.0.113.77",
        "203.0.113",  # the first three numbers: the /24
        "203.0.113.0/24",
        "203.0.0.0/16",
    ],
)
def test_the_queue_finds_a_comment_by_name_address_words_ip_or_network(
    moderator_client, maria, term
):
    assert _found(moderator_client, term) == ["Maria Lopez"]


def test_an_ipv6_sender_is_found_by_the_network_its_address_is_in(
    moderator_client, article, make_comment
):
    make_comment(article, name="Home", ip_address="2001:db8:1:2::9", status="approved")
    make_comment(article, name="Next door", ip_address="2001:db8:1:3::9", status="approved")

    assert _found(moderator_client, "2001:db8:1:2::/64", status="all") == ["Home"]
    assert _found(moderator_client, "2001:DB8:1:2:0:0:0:9", status="all") == ["Home"]


def test_a_whole_address_finds_its_sender_only(moderator_client, article, make_comment):
    make_comment(article, name="Ann", email="ann@example.com")
    make_comment(article, name="Joanne", email="joann@example.com")
    make_comment(article, name="Quoting", body="Write to ann@example.com, she said.")

    assert _found(moderator_client, "ann@example.com") == ["Ann"]
    assert _found(moderator_client, "nobody@example.com") == []


def test_the_link_beside_the_count_clears_the_search_and_keeps_the_list(moderator_client, maria):
    # From the Approved list searched, "Show all" led to the admin's unfiltered list: the
    # pending queue. The link clears the search alone; without a search there is none.
    searched = moderator_client.get(CHANGELIST, {"status": "approved", "q": "Maria"})
    queue = moderator_client.get(CHANGELIST).content.decode()

    assert '(<b><a href="?status=approved">Clear search</a></b>)' in searched.content.decode()
    assert "Show all</a></b>)" not in searched.content.decode()
    assert "Clear search" not in queue and "Show all</a></b>)" not in queue
