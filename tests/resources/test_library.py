"""/library/: browse by category, filter chips, one search box with HTMX live results."""

import gzip
import re

import pytest

from harmreduction.models import User
from resources.models import Card


def test_it_groups_every_card_by_category_in_order(client, peer):
    client.force_login(peer)
    response = client.get("/library/")
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(f'id="group-{value}"') for value in Card.Category.values]
    assert positions == sorted(positions)
    assert html.count('class="card-link"') == Card.objects.count()
    assert "Fit to show" in html


def test_it_pins_the_query_count(client, peer, django_assert_num_queries):
    client.force_login(peer)
    # Session, user, the user's and their groups' permissions, unread feedback for the top bar,
    # then one query for all cards; a fragment has no top bar.
    # +1: Django's ModelBackend reads user and group permissions in two queries.
    with django_assert_num_queries(6):
        client.get("/library/")
    # The synonym list is read once, then cached until someone edits it (resources/models.py).
    client.get("/library/?q=naloxone")
    with django_assert_num_queries(5):  # +1 there too: the view checks a permission
        client.get("/library/?q=naloxone&category=overdose", headers={"HX-Request": "true"})


def test_it_keeps_the_page_small(client, peer):
    client.force_login(peer)
    assert len(gzip.compress(client.get("/library/").content)) <= 14 * 1024


@pytest.mark.parametrize(
    "query,slug",
    [
        ("naloxone", "naloxone-nasal-spray"),
        ("methadone", "methadone"),
        ("Portugal", "portugal"),
        ("PORTUGAL", "portugal"),
    ],
)
def test_it_finds_cards_by_search(client, peer, query, slug):
    client.force_login(peer)
    html = client.get("/library/", {"q": query}).content.decode()
    assert f'href="/library/{slug}/"' in html
    assert re.search(rf"<mark>{query}</mark>", html, re.IGNORECASE)
    assert html.count('class="card-link"') < Card.objects.count()


def test_it_searches_body_and_tags_and_every_word(client, peer):
    client.force_login(peer)
    # "petrolatum" is only in a body; "Vivitrol" in a tag and body; both words must match.
    html = client.get("/library/", {"q": "petrolatum"}).content.decode()
    assert 'href="/library/xylazine-wound-care/"' in html
    assert '<span class="snippet">' in html and "<mark>petrolatum</mark>" in html
    html = client.get("/library/", {"q": "Suboxone"}).content.decode()
    assert 'href="/library/buprenorphine/"' in html
    html = client.get("/library/", {"q": "naloxone nostril"}).content.decode()
    assert html.count('class="card-link"') == 1


def test_it_highlights_matches_safely(client, peer):
    Card.objects.filter(slug="portugal").update(title="Portugal <b>&amp; more</b>")
    client.force_login(peer)
    html = client.get("/library/", {"q": "amp"}).content.decode()
    assert "&lt;b&gt;&amp;<mark>amp</mark>; more&lt;/b&gt;" in html
    html = client.get("/library/", {"q": "<script>"}).content.decode()
    assert "<script>" not in html.split("</head>")[1]
    assert "No cards match “&lt;script&gt;”" in html


def test_it_filters_by_category_chip_and_keeps_the_search(client, peer):
    client.force_login(peer)
    html = client.get("/library/", {"category": "evidence", "q": "Insite"}).content.decode()
    assert 'id="group-evidence"' in html and 'id="group-critics"' not in html
    assert '<a href="?category=evidence&amp;q=Insite" aria-current="page">' in html
    assert '<input type="hidden" name="category" value="evidence">' in html


def test_it_says_when_a_category_does_not_exist(client, peer):
    client.force_login(peer)
    html = client.get("/library/", {"category": "nope", "q": "naloxone"}).content.decode()
    assert "There is no such category, so all cards are shown." in html
    assert 'value="naloxone"' in html  # what was typed is kept


def test_it_answers_htmx_with_the_results_fragment(client, peer):
    client.force_login(peer)
    response = client.get("/library/", {"q": "naloxone"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "result-count" in html and "<mark>naloxone</mark>" in html
    assert "HX-Request" in response["Vary"]
    page = client.get("/library/", {"q": "naloxone"}).content.decode()
    assert '<div id="results">' in page
    assert 'hx-get="/library/"' in page and 'hx-target="#results"' in page and 'hx-push-url="true"' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert '<form class="library-search" action="/library/" method="get"' in page


def test_it_says_when_nothing_matches(client, peer):
    client.force_login(peer)
    html = client.get("/library/", {"q": "zzzz"}).content.decode()
    assert "0 cards for “zzzz”" in html and "No cards match “zzzz”" in html


def test_it_refuses_post(client, peer):
    client.force_login(peer)
    assert client.post("/library/").status_code == 405


def test_it_refuses_people_without_the_permission(client, db):
    client.force_login(User.objects.create_user("visitor", password="x" * 12))
    assert client.get("/library/").status_code == 403
    assert client.get("/library/methadone/").status_code == 403
    assert client.get("/library/words/").status_code == 403


def test_it_shows_the_library_in_the_top_bar_for_every_role(client, peer, supervisor, content_admin):
    for user in (peer, supervisor, content_admin):
        client.force_login(user)
        assert b'<a href="/library/">Library</a>' in client.get("/").content


def test_it_searches_past_a_nul_character(client, peer):
    # PostgreSQL refuses NUL in a query parameter: a 500 before the search dropped it.
    client.force_login(peer)
    response = client.get("/library/", {"q": "nalox\x00one"})
    assert response.status_code == 200
    assert b"naloxone" in response.content.lower()
