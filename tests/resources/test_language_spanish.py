"""The coach in Spanish (issue 17, item 5): accents, gender and number, spans as written, no cross-language hits."""

import importlib

import pytest
from django.apps import apps

from resources import content
from resources.language import find_terms, split_at_matches
from resources.models import Term

# Both seed lists as unsaved rows: the matcher needs no database.
TERMS = [Term(**data) for data in content.read_every_term()]


def flagged(text):
    return [(m.text, m.soft) for m in find_terms(text, TERMS)]


@pytest.mark.parametrize(
    "text,expected",
    [
        # Gender and number of every flag; case and accents ignored both ways.
        ("Juan es adicto.", [("adicto", False)]),
        ("Ella es adicta", [("adicta", False)]),
        ("Los adictos y las ADICTAS", [("adictos", False), ("ADICTAS", False)]),
        ("una drogadicta; dos drogadictos", [("drogadicta", False), ("drogadictos", False)]),
        ("un toxicomano", [("toxicomano", False)]),
        ("TOXICÓMANOS", [("TOXICÓMANOS", False)]),
        ("la toxicómana", [("toxicómana", False)]),
        ("dos yonquis y un yonki", [("yonquis", False), ("yonki", False)]),
        ("lo llaman tecato", [("tecato", False)]),
        ("es muy vicioso", [("vicioso", False)]),
        ("un ex-adicto", [("ex-adicto", False)]),
        ("habló del abuso de sustancias", [("abuso de sustancias", False)]),
        ("usuarios de drogas inyectables", [("usuarios de drogas inyectables", False)]),
        ("la consumidora de drogas", [("consumidora de drogas", False)]),
        ("lleva 90 días limpia", [("limpia", True)]),
        ("estaba sucio", [("sucio", True)]),
        ("la prueba salió limpia", [("salió limpia", False)]),
        ("pruebas sucias", [("pruebas sucias", False)]),
        ("una jeringa sucia", [("jeringa sucia", False)]),
        ("Habló de su adicción", [("adicción", True)]),
        ("adiccion al alcohol", [("adiccion", True)]),
        ("Tuvo dos recaídas", [("recaídas", True)]),
        ("está en tratamiento de sustitución", [("tratamiento de sustitución", False)]),
        ("terapia de reemplazo", [("terapia de reemplazo", False)]),
        ("un consumidor más", [("consumidor", True)]),
        ("dos usuarios llegaron", [("usuarios", True)]),
        ("adicto a la heroína", [("adicto a", False)]),
        # Exceptions win, in any gender and number.
        ("Limpia la herida con agua limpia", []),
        ("jeringas limpias y material limpio", []),
        ("Dejó el lugar limpio", []),
        ("Olvidó su nombre de usuario", []),
        ("usuario y contraseña de la app", []),
        ("los usuarios de la app", []),
        ("un círculo vicioso", []),
        ("bebidas alcohólicas", []),
        ("va a Alcohólicos Anónimos", []),
        ("terapia de reemplazo hormonal", []),
        ("terapia sustitutiva de nicotina", []),
        ("derechos del consumidor", []),
        # Person-first Spanish is left alone.
        ("Es una persona que usa drogas y está en recuperación.", []),
        ("Recibió naloxona (Narcan) y tiras reactivas de fentanilo.", []),
    ],
)
def test_it_flags_spanish_words_in_any_form(text, expected):
    assert flagged(text) == expected


def test_it_reports_spans_as_written_with_accents():
    # Accented letters before and inside the hit: offsets stay those of the text as typed.
    text = "Él dijo que mañana verá al TOXICÓMANO; la prueba salió sucia."
    first, second = find_terms(text, TERMS)
    assert text[first.start : first.end] == first.text == "TOXICÓMANO"
    assert text[second.start : second.end] == second.text == "salió sucia"
    assert "".join(piece for piece, _ in split_at_matches(text, [first, second])) == text


@pytest.mark.parametrize(
    "text",
    [
        # English notes against the Spanish list.
        "Changed the user name on her phone; she is a Spanish speaker from Usuario Street.",
        "Gave clean syringes, a sharps container and two naloxone kits. He asked about MAT.",
        "She said her consumer rights were ignored at the pharmacy.",
        "Told him to keep the wound clean and dry.",
        # Spanish notes against the English list: "abuse" and "uses" are Spanish words too.
        "Le pedí que no abuse del alcohol esta semana.",
        "Hoy usé el teléfono de la clínica para llamar a su hermana.",
        "Le dimos jeringas limpias, naloxona y tiras reactivas.",
        "La persona que usa drogas dijo que el programa le ayuda mucho.",
    ],
)
def test_it_has_no_cross_language_false_hits(text):
    assert find_terms(text, TERMS) == []


def test_it_reads_a_mixed_note_with_both_lists():
    text = "Met him at the park. Dice que es adicto desde hace años. The addict label hurts."
    assert [(m.text, m.term.language) for m in find_terms(text, TERMS)] == [("adicto", "es"), ("addict", "en")]


def test_it_still_flags_a_label_quoted_from_the_other_language():
    # The guard is for soft words with innocent senses; a label is a label in any sentence.
    text = "She calls herself una adicta and laughs. Le dicen junkie en la calle."
    assert [m.text for m in find_terms(text, TERMS)] == ["adicta", "junkie"]


def test_it_keeps_english_matching_as_it_was():
    # English terms do not fold accents: "abusé" is Spanish, not "abuse".
    english = [t for t in TERMS if t.language == "en"]
    assert find_terms("abusé", english) == []
    assert [m.text for m in find_terms("Two users, one addict's", english)] == ["users", "addict's"]


@pytest.mark.parametrize(
    "written,wording",
    [
        ("adicto", "persona que usa drogas"),
        ("Adicta", "Persona que usa drogas"),
        ("adictos", "personas que usan drogas"),
        ("DROGADICTAS", "Personas que usan drogas"),
        ("toxicomano", "persona que usa drogas"),
        ("salió limpia", "salió negativa"),
        ("salio sucio", "salió positivo"),
        ("pruebas limpias", "pruebas negativas"),
        ("recaídas", "vueltas al consumo"),
        ("recaído", "vuelto a consumir"),
        ("limpia", "sin consumir"),
        ("usuarias de drogas", "personas que usan drogas"),
        ("abuso de alcohol", "consumo de alcohol"),
        ("abusos de alcohol", ""),  # a plural the list gives no words for: the hint only
        ("adicto a", ""),  # "tiene un trastorno por consumo de …" needs the drug's name
        ("adicción", "trastorno por consumo de sustancias"),
        ("limpio", "sin consumir"),
    ],
)
def test_it_offers_wording_that_follows_gender_and_number(written, wording):
    (match,) = find_terms(f"Nota: {written}.", TERMS)
    assert match.text == written and match.wording == wording


@pytest.mark.parametrize(
    "written,article",
    [
        ("adicto", "la"),  # "un adicto" -> "una persona que usa drogas"
        ("adictos", "las"),
        ("adicción", "el"),  # "la adicción" -> "el trastorno por consumo de sustancias"
        ("recaídas", "las"),
        ("salió limpia", ""),  # no noun, no article to change
        ("limpio", ""),
    ],
)
def test_it_names_the_article_the_spanish_wording_takes(written, article):
    (match,) = find_terms(f"Nota: {written}.", TERMS)
    assert match.article == article
    assert not match.wording.startswith(("el ", "la ", "los ", "las "))


def test_english_wording_has_no_article():
    (match,) = find_terms("an addict", TERMS)
    assert (match.wording, match.article) == ("person who uses drugs", "")


def test_it_loads_the_spanish_list_by_migration_once(db):
    spanish = Term.objects.filter(language="es")
    assert spanish.count() == len(content.read_terms(content.TERM_FILES["es"])) >= 15
    assert spanish.get(flags__startswith="adicto, ").history.exists()
    edited = spanish.get(flags__startswith="yonqui")
    edited.note = "edited"
    edited.save()
    count = Term.objects.count()
    migration = importlib.import_module("resources.migrations.0015_term_language")
    migration.load_spanish_terms(apps, None)
    migration.load_spanish_terms(apps, None)
    assert Term.objects.count() == count
    edited.refresh_from_db()
    assert edited.note != "edited"  # brought back to the file's text, as content.load() does
    # Matched by language and first flag: the English terms are untouched.
    assert Term.objects.filter(language="en").count() == len(content.read_terms())


def test_it_gives_every_spanish_term_a_source_and_a_person_first_suggestion():
    terms = content.read_terms(content.TERM_FILES["es"], "es")
    assert len({t["flags"].split(",")[0].strip() for t in terms}) == len(terms)
    for data in terms:
        assert data["source"].strip() and data["suggestion"].strip(), data
        Term(**data).full_clean()
        # The suggestions never use the words the list flags (a quoted soft word aside).
        assert [m for m in find_terms(data["suggestion"], TERMS) if not m.soft] == [], data["suggestion"]
