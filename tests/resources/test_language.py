"""The term matcher, table-driven against the seeded term list (hits and the false hits it must avoid)."""

import importlib

import pytest
from django.apps import apps

from resources import content
from resources.language import find_terms, split_at_matches
from resources.models import Term

# The seed's terms as unsaved rows: the matcher needs no database.
TERMS = [Term(**data) for data in content.read_terms()]


def flagged(text):
    return [(m.text, m.soft) for m in find_terms(text, TERMS)]


@pytest.mark.parametrize(
    "text,expected",
    [
        # Hard hits, any case, plurals, possessives and punctuation.
        ("He is an addict.", [("addict", False)]),
        ("Addicts deserve care", [("Addicts", False)]),
        ("the addict's family", [("addict's", False)]),
        ("“junkie,” she said", [("junkie", False)]),
        ("two junkies", [("junkies", False)]),
        ("a drug  abuser", [("drug  abuser", False)]),
        ("substance abusers", [("substance abusers", False)]),
        ("She relapsed last week", [("relapsed", False)]),
        ("after a relapse;", [("relapse", False)]),
        ("he is non-compliant", [("non-compliant", False)]),
        ("he is noncompliant", [("noncompliant", False)]),
        ("an ex-addict and a former addict", [("ex-addict", False), ("former addict", False)]),
        ("a recovering addict", [("recovering addict", False)]),
        ("IV drug users", [("IV drug users", False)]),
        ("ivdu", [("ivdu", False)]),
        ("his drug habit", [("drug habit", False)]),
        ("substance abuse program", [("substance abuse", False)]),
        ("prescription drug abuse", [("prescription drug abuse", False)]),
        ("dirty UA on Monday", [("dirty UA", False)]),
        ("she tested clean", [("tested clean", False)]),
        ("a dirty needle", [("dirty needle", False)]),
        ("addicted babies", [("addicted babies", False)]),
        ("addicted to meth", [("addicted to", False)]),
        ("meth-head", [("meth-head", False)]),
        ("crackheads", [("crackheads", False)]),
        ("an overdose victim", [("overdose victim", False)]),
        ("the homeless", [("the homeless", False)]),
        ("opioid replacement", [("opioid replacement", False)]),
        ("ALCOHOLIC", [("ALCOHOLIC", False)]),
        # Context-dependent words: a softer hint.
        ("Two users came in", [("users", True)]),
        ("he's been clean 90 days", [("clean", True)]),
        ("sharing works", [("sharing works", True)]),
        ("it's a hard habit", [("habit", True)]),
        # Several in one sentence, in reading order.
        ("The addict relapsed and the user left", [("addict", False), ("relapsed", False), ("user", True)]),
        # False hits: none of these is flagged.
        ("Enter your user name", []),
        ("user names and user accounts", []),
        ("username", []),
        ("user-friendly screens", []),
        ("a habitat for wildlife", []),
        ("inhabitants", []),
        ("clean syringes", []),
        ("Clean needles and clean injection equipment", []),
        ("keep the wound clean and covered", []),
        ("a clean, dry container", [("clean", True)]),
        ("stability on MAT", []),
        ("MAT and MOUD", []),
        ("a mat on the floor", []),
        ("addiction counselling", []),
        ("she is a person who uses drugs", []),
        ("that works for me", []),
        ("a survivor of child abuse", []),
        ("water-resistant dressing", []),
        ("juicer", []),
        # "slip" means a return to use only in context: the directory prints referral slips (issue 14).
        ("Gave her a referral slip for the clinic", []),
        ("two referral slips", []),
        ("a slip of paper with the address", []),
        ("he had a slip last week", [("slip", True)]),
        # Issue 14, item 16: three more, each only where it names a person or their treatment.
        ("a couple of junkies by the river", [("junkies", False)]),
        ("called him a junky", [("junky", False)]),
        ("she is a frequent flyer at the ER", [("frequent flyer", False)]),
        ("Frequent-fliers get judged", [("Frequent-fliers", False)]),
        ("spent his frequent flyer miles on a ticket home", []),
        ("started replacement therapy last month", [("replacement therapy", False)]),
        ("gave her nicotine replacement therapy patches", []),
        ("", []),
    ],
)
def test_it_flags_words_that_matter(text, expected):
    assert flagged(text) == expected


def test_it_reports_span_and_suggestion():
    text = "Yesterday two Addicts came in."
    (match,) = find_terms(text, TERMS)
    assert match.span == (14, 21) and text[match.start : match.end] == "Addicts"
    assert match.suggestion == "person who uses drugs; person with a substance use disorder"
    assert match.term.source == "NIDA, VA, AP, ONDCP"


def test_it_lets_a_longer_phrase_win_over_overlapping_terms():
    # "recovering addict" (one row) contains "addict" (another): one hit, the longer one.
    matches = find_terms("a recovering addict", TERMS)
    assert [m.suggestion for m in matches] == ["person in recovery; person in long-term recovery"]


def test_it_uses_any_term_like_objects_and_their_exceptions():
    term = Term(flags="tweaker", suggestion="person who uses stimulants", exceptions="tweaker tool")
    assert [m.text for m in find_terms("the tweaker tool, a tweaker", [term])] == ["tweaker"]
    assert find_terms("nothing here", []) == []


def test_it_ignores_terms_without_flags():
    assert find_terms("addict", [Term(flags=" , ", suggestion="x")]) == []


def test_it_splits_text_at_matches_for_inline_hints():
    text = "an addict, a user"
    matches = find_terms(text, TERMS)
    pieces = split_at_matches(text, matches)
    assert [piece for piece, _ in pieces] == ["an ", "addict", ", a ", "user"]
    assert [match is not None for _, match in pieces] == [False, True, False, True]
    assert "".join(piece for piece, _ in pieces) == text
    assert split_at_matches("nothing", []) == [("nothing", None)]


def test_it_does_not_flag_a_referral_slip_in_the_installed_terms(db):
    # The migrated database, not only the file: existing installs got the exception too.
    assert find_terms("I printed a referral slip for him", list(Term.objects.all())) == []
    assert [m.text for m in find_terms("after the slip she called", list(Term.objects.all()))] == ["slip"]


def test_it_adds_the_new_terms_to_an_existing_install_by_migration(db):
    # An install migrated before they were in the file (issue 14, item 16).
    add_terms = importlib.import_module(
        "resources.migrations.0011_coach_terms_junky_frequent_flyer_replacement_therapy").add_terms
    addict = Term.objects.get(flags__startswith="addict, ")
    addict.flags = "addict, junkie, drug abuser, substance abuser, drug user"
    addict.save()
    replacement = Term.objects.get(flags__startswith="opioid replacement")
    replacement.flags = "opioid replacement, substitution therapy, replacing one drug with another"
    replacement.exceptions = "an exception a content admin wrote"
    replacement.save()
    Term.objects.filter(flags__startswith="frequent flyer").delete()
    count = Term.objects.count()

    add_terms(apps, None)
    add_terms(apps, None)  # twice: nothing added twice

    terms = list(Term.objects.all())
    assert Term.objects.count() == count + 1
    assert [m.text for m in find_terms("a junky, a frequent flyer, replacement therapy", terms)] == [
        "junky", "frequent flyer", "replacement therapy"]
    assert find_terms("nicotine replacement therapy; frequent flyer miles", terms) == []
    replacement.refresh_from_db()
    assert replacement.exceptions.startswith("an exception a content admin wrote, nicotine replacement therapy")
    assert Term.objects.get(flags__startswith="frequent flyer").source.startswith("Goddu et al.")
    assert Term.objects.get(flags__startswith="frequent flyer").history.exists()


def test_it_gives_every_term_a_source_and_a_person_first_suggestion():
    for term in content.read_terms():
        assert term["source"].strip() and term["suggestion"].strip(), term
