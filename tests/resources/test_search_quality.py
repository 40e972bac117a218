"""Search quality (issue 14, items 1 to 5): the words peers say, against the demo directory and the library.

Each line of the tables is a search someone tried and what it must find.
They run against the sample directory (demo/sample_directory.py) and the
library's starting content, with the synonym list the migration seeds, on
SQLite and on PostgreSQL alike.
"""

import re
from pathlib import Path

import pytest
from django.utils import timezone

from demo.sample_directory import load_sample_directory
from resources import search
from resources.models import Card, SearchSynonym, Service, parse_search

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def sample_directory(db):
    load_sample_directory()


def found(query: str) -> list[Service]:
    services = Service.objects.listed().search(query)
    return list(services.by_relevance(query, timezone.now()))


def names(query: str) -> list[str]:
    return [service.name for service in found(query)]


def cards(query: str) -> list[str]:
    return [card.title for card in Card.objects.search(query)]


# query, a word (stem) every service found must have in its search document
DIRECTORY = [
    ("syringes", "syring"),
    ("syringe", "syring"),
    ("clinics", "clinic"),
    ("syringes Gresham", "gresham"),
    ("Gresham syringes", "syring"),
    ("needle", "syring"),
    ("needle exchange", "syring"),
    ("needles", "syring"),
    ("suboxone", "buprenorphin"),
    ("bupe", "buprenorphin"),
    ("narcan", "naloxon"),
    ("walk-in", "walkin"),
    ("walk in", "walk"),
    ("metadona", "methadon"),
    ("español", "spanish"),
    ("97233", "97233"),
    ("detox", "withdraw"),
    ("jeringas", "syring"),
    ("naloxona", "naloxon"),
    ("Pearl District", "97209"),
    ("Kenton", "97217"),
    ("methadone clinics", "methadon"),
]


@pytest.mark.parametrize("query,stem", DIRECTORY)
def test_it_finds_services_for_the_words_peers_say(sample_directory, query, stem):
    services = found(query)
    assert services, f"nothing for {query!r}"
    for service in services:
        assert f" {stem}" in service.search_document, (query, service.name)


def test_it_finds_the_same_services_for_plurals_and_any_word_order(sample_directory):
    assert names("syringes") and set(names("syringes")) == set(names("syringe"))
    assert names("clinics") and set(names("clinics")) == set(names("clinic"))
    assert names("syringes Gresham") and set(names("syringes Gresham")) == set(names("Gresham syringes"))
    assert set(names("walk in")) == set(names("walk-in")) == set(names("walkin"))
    assert set(names("espanol")) == set(names("Español")) == set(names("spanish"))


def test_it_ignores_stop_words(sample_directory):
    assert names("clinics in Gresham") == names("clinic Gresham")
    assert names("the methadone") == names("methadone")


def test_it_ranks_a_match_in_the_name_first(sample_directory):
    ranked = names("methadone")
    in_name = [name for name in ranked if "methadone" in name.lower()]
    assert in_name and ranked[: len(in_name)] == in_name


@pytest.mark.parametrize("query", ["syringe", "methadone clinic", "naloxone", "Portland"])
def test_it_orders_by_relevance_then_open_now_then_name(sample_directory, query):
    now = timezone.now()
    open_ids = set(Service.objects.open_at(now).values_list("pk", flat=True))
    groups = parse_search(query)

    def score(service):
        # Name 4, kinds and medications 2, elsewhere 1, for each word (ServiceQuerySet.by_relevance).
        return sum(
            4 if search.group_in(g, service.search_name) else 2 if search.group_in(g, service.search_kinds) else 1
            for g in groups
        )

    ranked = found(query)
    assert len(ranked) > 1
    expected = sorted(ranked, key=lambda s: (-score(s), s.pk not in open_ids, s.name, s.pk))
    assert [s.name for s in ranked] == [s.name for s in expected]


def test_it_matches_acronyms_as_whole_words_only(sample_directory):
    services = found("SSP")
    assert services
    assert all(" ssp " in s.search_document or " syring" in s.search_document for s in services)
    assert not search.matches(parse_search("mat"), search.document("Sharps materials"))
    assert search.matches(parse_search("mat"), search.document("MAT / MOUD"))


# query, a card title that must be among the first `top` results (None: any result)
LIBRARY = [
    ("naloxone", "Giving naloxone nasal spray", 2),
    ("narcan", "Giving naloxone nasal spray", 3),
    ("methadone vs buprenorphine", None, None),
    ("critics", None, None),
    ("Talking with critics", None, None),
    ("fentanil", None, None),
    ("fentanilo", None, None),
    ("suboxone", "Buprenorphine", 3),
    ("syringes", None, None),
    ("MAT", None, None),
]


@pytest.mark.parametrize("query,title,top", LIBRARY)
def test_it_finds_cards_for_the_words_peers_say(db, query, title, top):
    titles = cards(query)
    assert titles, f"nothing for {query!r}"
    if title:
        assert title in titles[:top], titles[:5]


def test_it_searches_category_names(db):
    found_cards = Card.objects.search("critics")
    assert {card.category for card in found_cards} >= {Card.Category.CRITICS}
    assert len([c for c in found_cards if c.category == Card.Category.CRITICS]) == Card.objects.filter(
        category=Card.Category.CRITICS
    ).count()


def test_it_finds_mat_as_a_word_not_inside_information_or_stigmatization(db):
    results = Card.objects.search("MAT")
    medications = ("mat", "buprenorphin", "methadon", "naltrexon")
    for card in results:
        doc = card.search_fields["all"]
        assert any(f" {word}" in doc for word in medications), card.title
    inside_only = [
        card
        for card in Card.objects.all()
        if re.search(r"information|stigmatiz", card.body, re.I)
        and not any(f" {word}" in card.search_fields["all"] for word in medications)
    ]
    assert inside_only, "the content changed: no card has the words only inside longer ones"
    assert not set(inside_only) & set(results)


def test_it_ranks_cards_by_match_before_grouping(client, peer):
    client.force_login(peer)
    html = client.get("/library/", {"q": "naloxone"}).content.decode()
    best = Card.objects.search("naloxone")[0]
    # The best card's group comes first, and the best card first in it.
    assert re.search(r'id="group-([\w-]+)"', html).group(1) == best.category
    assert re.search(r'class="card-link" href="([^"]+)"', html).group(1) == best.get_absolute_url()


def test_it_uses_a_synonym_an_admin_adds_at_once(sample_directory):
    assert not found("bottle")
    SearchSynonym.objects.create(words="bottle, bottles", means="methadone")
    assert found("bottles")
    SearchSynonym.objects.filter(words="bottle, bottles").delete()
    assert not found("bottle")


# Item 5: every example word of every search box's placeholder finds what it promises.


def placeholders() -> list[tuple[str, str]]:
    """(template, example word) for every placeholder of a search box in the templates."""
    examples = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for tag in re.findall(r"<input[^>]*>", text, re.S):
            if 'type="search"' not in tag:
                continue
            placeholder = re.search(r'placeholder="([^"]*)"', tag)
            if placeholder is None:
                continue
            # The English words, also when the placeholder is marked for translation.
            shown = re.sub(r"""\{% translate ["'](.*)["'] %\}""", r"\1", placeholder.group(1))
            words = shown.removeprefix("e.g.").replace("…", "")
            name = str(path.relative_to(TEMPLATES))
            examples += [(name, word.strip()) for word in words.split(",") if word.strip()]
    return examples


def test_it_knows_the_search_boxes_with_examples():
    found_in = {name for name, _ in placeholders()}
    assert found_in >= {
        "resources/directory.html",
        "resources/library.html",
        "sessions_app/checkin_form.html",
    }


@pytest.mark.parametrize("template,word", placeholders())
def test_it_keeps_every_placeholders_promise(sample_directory, template, word):
    if template == "resources/library.html":
        assert cards(word), f"{template}: {word!r} finds no card"
    else:
        assert found(word), f"{template}: {word!r} finds no service"


# Item 4: a typo gets "Did you mean …?", a link that runs the suggested search.


@pytest.mark.parametrize(
    "query,suggestion",
    [
        ("bupronorphine", "buprenorphine"),
        ("metadone clinc", "methadone clinic"),
        ("Grisham syringes", "gresham syringes"),
    ],
)
def test_it_suggests_a_known_word_when_a_typo_finds_nothing(client, peer, sample_directory, query, suggestion):
    client.force_login(peer)
    response = client.get("/directory/", {"q": query, "walkin": "1"})
    html = response.content.decode()
    assert "No services match." in html
    link = f'href="?q={suggestion.replace(" ", "+")}&amp;walkin=1"'
    assert f"Did you mean <a {link}" in html, html.split('id="results"')[1][:800]
    # Following it finds services.
    assert found(suggestion)


def test_it_suggests_in_the_htmx_fragment_too(client, peer, sample_directory):
    client.force_login(peer)
    html = client.get("/directory/", {"q": "narcann"}, headers={"HX-Request": "true"}).content.decode()
    assert html.startswith('\n<section id="results"') or 'id="results"' in html.split(">")[0]
    assert 'hx-get="?q=narcan"' in html and ">narcan</a>?" in html


def test_it_offers_nothing_when_no_word_is_close(client, peer, sample_directory):
    client.force_login(peer)
    html = client.get("/directory/", {"q": "zzzzqqq"}).content.decode()
    assert "No services match." in html and "Did you mean" not in html


def test_it_suggests_a_word_in_the_library(client, peer):
    client.force_login(peer)
    html = client.get("/library/", {"q": "nalaxone", "category": "overdose"}).content.decode()
    assert "No cards match “nalaxone”." in html
    assert 'Did you mean <a href="?q=naloxone&amp;category=overdose"' in html
    assert cards("naloxone")


def test_it_does_not_suggest_when_something_matched(client, peer, sample_directory):
    client.force_login(peer)
    assert "Did you mean" not in client.get("/directory/", {"q": "methadone"}).content.decode()
    assert "Did you mean" not in client.get("/library/", {"q": "naloxone"}).content.decode()
