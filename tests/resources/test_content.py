"""The seed content: read from resources/content/, loaded by migration on every fresh install, faithful to
the deck and field facts."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db.migrations.loader import MigrationLoader

from resources import content
from resources.language import find_terms
from resources.models import Card, Term

pytestmark = pytest.mark.django_db

PORTUGAL_URL = (
    "http://www.drugpolicy.org/sites/default/files/"
    "dpa-drug-decriminalization-portugal-health-human-centered-approach_0.pdf"
)


def card(slug):
    return Card.objects.get(slug=slug)


def text_of(slug):
    """Everything the card says, with Markdown's line wrapping undone."""
    c = card(slug)
    return " ".join(" ".join([c.title, c.summary, c.body, c.plain_language, c.sources]).split())


def test_it_loads_every_category_by_migration():
    assert set(Card.objects.values_list("category", flat=True)) == set(Card.Category.values)
    assert Card.objects.count() == len(content.read_cards()) >= 50
    assert Term.objects.count() == len(content.read_every_term()) >= len(content.read_terms()) >= 25


# The deck's eight principles, by a phrase each must keep.
@pytest.mark.parametrize(
    "slug,phrase",
    [
        ("principle-accepts", "rather than simply ignore or condemn them"),
        ("principle-understands-drug-use", "Some ways of using drugs are clearly safer than others"),
        ("principle-redefines-success", "not necessarily stopping all drug use"),
        ("principle-non-judgement", "without coercion"),
        ("principle-real-voice", "real voice"),
        ("principle-gives-back-power", "primary agents of reducing the harms"),
        ("principle-recognizes-hurdles", "Poverty, class, racism, social isolation, past trauma, sex-based"),
        ("principle-does-not-sugar-coat", "real and tragic harm and danger"),
    ],
)
def test_it_has_every_deck_principle(slug, phrase):
    c = card(slug)
    assert c.category == Card.Category.PRINCIPLES
    assert phrase in c.summary and phrase in c.body
    assert "Harm Reduction Principles" in c.sources


def test_it_has_the_definition_with_its_source():
    text = text_of("harm-reduction-defined")
    assert "a set of practical strategies and ideas aimed at reducing negative consequences" in text
    assert "from safer use, to managed use, to abstinence" in text
    assert "there is no universal definition" in text


@pytest.mark.parametrize(
    "slug",
    [
        "respecting-where-they-are",
        "talking-about-reality",
        "listening",
        "not-taking-sides",
        "redirecting",
        "where-peers-fit-in",
        "building-trust",
        "remove-judgement",
        "opportunities-to-educate",
        "ask-what-they-know",
        "stability-in-active-use",
        "peer-support-and-harm-reduction",
        "mhaao-programs",
    ],
)
def test_it_has_every_peer_support_practice(slug):
    assert card(slug).category in {Card.Category.PEER_PRACTICES, Card.Category.INTEGRATING}


def test_it_lists_every_ssp_service():
    text = text_of("syringe-services-programs")
    for service in [
        "Needle exchange",
        "one for one",
        "naloxone",
        "Sharps containers",
        "Risk reduction counseling",
        "Safer sex supplies",
        "Wound and abscess care",
        "shelter services",
    ]:
        assert service in text
    assert "https://nasen.org/map/" in text_of("finding-an-ssp")


def test_it_has_the_three_medications_and_says_where_the_deck_is_out_of_date():
    for slug in ["methadone", "buprenorphine", "naltrexone"]:
        assert card(slug).category == Card.Category.MEDICATIONS
    buprenorphine = text_of("buprenorphine")
    assert "6-month implant" in buprenorphine and "out of date" in buprenorphine
    assert "X-waiver" in buprenorphine and "section 1262" in buprenorphine
    assert "Consolidated Appropriations Act, 2023, section 1262" in card("buprenorphine").sources
    assert "28 days of take-home doses" in text_of("methadone")
    assert "42 CFR Part 8" in card("methadone").sources
    assert "at least 7 days after short-acting opioids, 10–14 days after" in text_of("naltrexone")


def test_it_pairs_every_criticism_with_a_response():
    critics = Card.objects.filter(category=Card.Category.CRITICS)
    pairs = [c for c in critics if "**What you may hear:**" in c.body and "**A response:**" in c.body]
    assert len(pairs) == 6
    three = text_of("three-answers")
    assert "not anti-abstinence; nor does it promote use" in three
    assert "a very effective part of a person’s recovery process" in three
    assert "alive long enough to make decisions about their use and recovery" in three
    assert "End the criminalization, marginalization and stigmatization" in text_of("addressing-resistance")


def test_it_quotes_the_portugal_figures_exactly_with_the_decks_source():
    portugal = card("portugal")
    for figure in [
        "In 2001, Portugal launched a drug decriminalization program",
        "1st country in the world to decriminalize consumption of all drugs",
        "Overdose deaths decreased by over 80%",
        "Prevalence rate of people who use drugs that account for new HIV/AIDS diagnoses fell from 52% to 6%",
        "Incarceration for drug offenses decreased by over 40%",
        "numbers voluntarily accessing treatment has significantly increased",
    ]:
        assert figure in text_of("portugal")
    assert PORTUGAL_URL in portugal.sources
    assert portugal.source_list[1]["url"] == PORTUGAL_URL


def test_it_quotes_the_insite_figures_exactly():
    stats = text_of("insite-statistics")
    for figure in [
        "more than 3.6 million visits",
        "48,798 clinical treatment visits",
        "6,440 overdose interventions without any deaths",
        "175,455 visits by 5,350 individuals",
        "| 356 | 337 |",
        "| 1,983 | 1,466 |",
        "| 3,402 | 3,725 |",
        "189,837 visits by 5,436 individuals",
    ]:
        assert figure in stats
    insite = text_of("insite")
    assert "opened in 2003" in insite and "Health Canada exemption" in insite and "12 rooms" in insite


@pytest.mark.parametrize(
    "slug,phrase",
    [
        ("overdose-five-steps", "Call 911"),
        ("naloxone-nasal-spray", "second dose in the other nostril"),
        ("naloxone-wears-off", "30–90 minutes"),
        ("rescue-breathing", "1 breath every 5 seconds"),
        ("good-samaritan-law", "Check current law"),
        ("getting-naloxone", "over the counter"),
        ("fentanyl-test-strips", "one line – fentanyl detected; two lines – not detected"),
        ("xylazine", "give naloxone anyway"),
        ("xylazine-wound-care", "petrolatum dressing, changed daily"),
    ],
)
def test_it_has_cards_from_the_field_facts(slug, phrase):
    assert phrase in text_of(slug)


def test_it_gives_every_card_sources_a_review_date_and_showable_text():
    for c in Card.objects.all():
        assert c.source_list and c.last_reviewed, c.slug
        c.full_clean()
        if c.audience == Card.Audience.PARTICIPANT:
            assert c.can_show, c.slug


def test_it_keeps_flagged_words_out_of_titles_summaries_and_show_text():
    # Quoted criticism may name a word in a card's body; what lists and the
    # show screen display must not (soft, context-dependent hints aside).
    terms = list(Term.objects.all())
    for c in Card.objects.all():
        for text in (c.title, c.summary, c.plain_language):
            hard = [m.text for m in find_terms(text, terms) if not m.soft]
            assert not hard, (c.slug, hard)


def test_it_seeds_the_terms_from_the_language_guide():
    flags = " | ".join(Term.objects.values_list("flags", flat=True))
    for word in [
        "junkie",
        "recovering addict",
        "drug habit",
        "prescription drug abuse",
        "dirty UA",
        "IVDU",
        "relapse",
        "non-compliant",
        "in denial",
        "substitution therapy",
        "addicted baby",
        "crackhead",
        "pusher",
        "ex-con",
        "vagrant",
        "overdose victim",
    ]:
        assert word in flags
    assert "MAT" not in flags.split(", ")
    assert Term.objects.filter(soft=True).exists()


def test_it_reloads_idempotently_and_restores_edited_text():
    c = card("methadone")
    c.summary = "edited"
    c.save()
    count, terms = Card.objects.count(), Term.objects.count()
    content.load(apps)
    content.load(apps)
    assert Card.objects.count() == count and Term.objects.count() == terms
    assert card("methadone").summary != "edited"


# The files and their loader ---------------------------------------------------


def test_it_reads_every_card_and_term_file_into_valid_rows():
    cards = content.read_cards()
    assert len(cards) >= 50
    assert {c["category"] for c in cards} == set(Card.Category.values)
    for data in cards:
        assert data["title"] and data["summary"] and data["body"] and data["sources"], data["slug"]
        # The model's own rules: lengths, choices, plain language when fit to show, reserved slugs.
        Card(**data).full_clean(validate_unique=False, validate_constraints=False)
    terms = content.read_terms()
    assert len(terms) >= 25
    assert [t["order"] for t in terms] == list(range(1, len(terms) + 1))
    # load() matches terms by their first flag: two rows sharing one would overwrite each other.
    assert len({t["flags"].split(",")[0].strip() for t in terms}) == len(terms)
    for data in terms:
        assert set(data) == {"flags", "suggestion", "source", "note", "soft", "exceptions", "wording", "order"}
        assert data["flags"] and data["suggestion"] and isinstance(data["soft"], bool)
        Term(**data).full_clean()


CARD_FILE = """+++
title = "A card"
category = "overdose"
order = 3
audience = "participant"
summary = "Short."
tags = "a, b"
last_reviewed = 2026-11-25
sources = [
    "One source",
    "Another, https://example.org/",
]
+++

The **body**.

<!-- plain language -->

What the participant sees.
"""


def test_it_reads_a_card_file_field_by_field(tmp_path):
    path = tmp_path / "a-card.md"
    path.write_text(CARD_FILE, encoding="utf-8")
    data = content.read_card(path)
    assert data.pop("last_reviewed").isoformat() == "2026-11-25"
    assert data == {
        "slug": "a-card",
        "category": "overdose",
        "title": "A card",
        "summary": "Short.",
        "body": "The **body**.",
        "audience": "participant",
        "plain_language": "What the participant sees.",
        "sources": "One source\nAnother, https://example.org/",
        "tags": "a, b",
        "order": 3,
    }


@pytest.mark.parametrize(
    "broken,message",
    [
        (CARD_FILE.replace("summary =", "sumary ="), "unknown ['sumary']"),
        (CARD_FILE.replace('tags = "a, b"\n', ""), "missing ['tags']"),
        (CARD_FILE.replace("+++\n\nThe", "\nThe"), "no closing +++"),
        (CARD_FILE.removeprefix("+++\n"), "starts with a +++ line"),
        (CARD_FILE.split("<!-- plain language -->")[0], "needs its plain-language text"),
        (CARD_FILE + "\n<!-- plain language -->\n", "one <!-- plain language --> line at most"),
    ],
)
def test_it_refuses_a_card_file_it_would_misread(tmp_path, broken, message):
    path = tmp_path / "a-card.md"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("+", r"\+")):
        content.read_card(path)


def test_it_refuses_a_term_file_it_would_misread(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text(
        "flags,suggestion,source,note,soft,exceptions,wording\naddict,person who uses drugs,NIDA,,maybe,,\n"
    )
    with pytest.raises(ValueError, match="soft is yes or no, not 'maybe'"):
        content.read_terms(path)
    path.write_text("flags,suggestion,source,soft\naddict,person who uses drugs,NIDA,no\n")
    with pytest.raises(ValueError, match="the columns are"):
        content.read_terms(path)


# The data migration -------------------------------------------------------------


@pytest.fixture(scope="module")
def migration_apps():
    """The app registry 0002_library_content runs with: the models as they were then."""
    return MigrationLoader(None, ignore_no_migrations=True).project_state(("resources", "0002_library_content")).apps


def seed_by_migration(migration_apps):
    importlib.import_module("resources.migrations.0002_library_content").load_content(migration_apps, None)


def test_it_never_writes_over_rows_by_migration(migration_apps):
    c = card("methadone")
    c.summary = "edited"
    c.save()
    Term.objects.exclude(order=1, language="en").delete()
    seed_by_migration(migration_apps)
    assert card("methadone").summary == "edited" and Term.objects.count() == 1


def test_it_seeds_empty_tables_by_migration_with_a_first_version(migration_apps):
    Card.objects.all().delete()
    Term.objects.all().delete()
    seed_by_migration(migration_apps)
    assert Card.objects.count() == len(content.read_cards())
    assert Term.objects.count() == len(content.read_terms())
    seed = card("methadone").history.earliest("history_id")
    assert seed.history_change_reason == "Seed content" and seed.summary == card("methadone").summary


def test_it_gives_the_migrations_models_every_field_they_have(migration_apps):
    # load() drops what 0002's models lack; the other way round a field renamed
    # or dropped in the files would leave those rows blank without an error.
    for model, rows in [("Card", content.read_cards()), ("Term", content.read_terms())]:
        fields = {f.name for f in migration_apps.get_model("resources", model)._meta.concrete_fields} - {"id"}
        for data in rows:
            assert fields <= data.keys(), (model, fields - data.keys())


def test_it_seeds_by_migration_when_the_files_gain_a_field(migration_apps, monkeypatch):
    # A field added to the model and the files later is unknown to 0002's models.
    read_cards, read_terms = content.read_cards, content.read_terms
    monkeypatch.setattr(content, "read_cards", lambda: [{**c, "reading_minutes": 3} for c in read_cards()])
    monkeypatch.setattr(content, "read_terms", lambda: [{**t, "region": "US"} for t in read_terms()])
    Card.objects.all().delete()
    Term.objects.all().delete()
    seed_by_migration(migration_apps)
    assert Card.objects.count() == len(read_cards()) and Term.objects.count() == len(read_terms())


# Plain words (issue 14, item 13) --------------------------------------------------

INSIDE_WORDS = re.compile(r"\b(deck|slides?)\b", re.IGNORECASE)


def test_it_never_says_the_deck_on_a_card():
    # Peers and participants read cards, not a slide deck: "our training" in plain words.
    for data in content.read_cards():
        for field in ["title", "summary", "body", "plain_language", "sources", "tags"]:
            assert not INSIDE_WORDS.search(data[field]), (data["slug"], field, data[field])
    for c in Card.objects.all():
        assert not INSIDE_WORDS.search(text_of(c.slug)), c.slug


def test_it_rewords_the_deck_on_existing_installs_by_migration():
    reword = importlib.import_module("resources.migrations.0010_cards_say_our_training_not_the_deck").reword
    old = card("buprenorphine")
    old.body = "**From the deck:** buprenorphine is a partial agonist."
    old.sources = "MHAAO peer-support harm-reduction training deck, slide “Medication Assisted Treatment (MAT)”"
    old.save()
    edited = card("methadone")
    edited.body = "A content admin's own words about the clinic."
    edited.save()
    versions = edited.history.count()
    reword(apps, None)
    assert card("buprenorphine").body == "**From our training:** buprenorphine is a partial agonist."
    assert card("buprenorphine").sources == (
        "MHAAO peer-support harm-reduction training, section “Medication Assisted Treatment (MAT)”"
    )
    assert card("buprenorphine").history.latest("history_id").history_change_reason.startswith("Plain words")
    assert card("methadone").body == "A content admin's own words about the clinic."
    assert card("methadone").history.count() == versions


def test_it_never_says_the_deck_in_a_template():
    # Words on screen: no inside words, in any page a peer or participant reads.
    templates = Path(__file__).resolve().parents[2] / "templates"
    for path in templates.rglob("*.html"):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert not INSIDE_WORDS.search(text), path
