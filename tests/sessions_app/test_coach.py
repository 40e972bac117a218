"""The language coach: gentle suggestions while typing, never a block, nothing stored."""

import pytest
from django.urls import reverse

from sessions_app.models import CheckIn
from tests.sessions_app.conftest import form_data

COACH = reverse("sessions_app:checkin_coach")


@pytest.mark.parametrize("text,suggestion", [
    ("He is an addict and wants help.", "person who uses drugs"),
    ("She relapsed last week.", "return to use"),
    ("Met two junkies by the river.", "person who uses drugs"),
])
def test_it_suggests_person_first_words(client, peer, text, suggestion):
    client.force_login(peer)
    response = client.post(COACH, {"coach_field": "note", "note": text}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="coach-note"' in body and "<html" not in body
    assert suggestion in body
    assert 'name="language_hints_shown" value="1"' in body


@pytest.mark.parametrize("text", [
    "Changed the user name on their phone.",
    "Talked about the habitat restoration job.",
    "Handed out clean syringes and a sharps container.",
    "Asked about MAT at the clinic.",
])
def test_it_stays_quiet_when_nothing_needs_a_second_look(client, peer, text):
    client.force_login(peer)
    body = client.post(COACH, {"coach_field": "goals", "goals": text}).content.decode()
    assert 'id="coach-goals"' in body
    assert "<li>" not in body and "language_hints_shown" not in body


def test_it_only_reads_the_coached_fields(client, peer):
    client.force_login(peer)
    assert client.post(COACH, {"coach_field": "participant_code", "participant_code": "addict"}).status_code == 400


def test_it_never_blocks_saving_and_stores_only_a_flag(client, peer, outreach):
    client.force_login(peer)
    text = "They said the addict label follows them everywhere."
    data = form_data(outreach, note=text, language_hints_shown="1")
    response = client.post(reverse("sessions_app:checkin_new"), data)
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert checkin.note == text  # saved exactly as typed: a hint, never a rewrite
    assert checkin.language_hints_shown is True
    assert "person who uses drugs" not in str(CheckIn.objects.values().get())


# "Use this wording" (issue 14, item 16) ------------------------------------------


@pytest.mark.parametrize("text,flagged,wording,language", [
    ("He is an addict and wants help.", "addict", "person who uses drugs", "en"),
    ("Addict is the word they hate.", "Addict", "Person who uses drugs", "en"),
    ("She relapsed last week.", "relapsed", "returned to use", "en"),
    ("Her UA came back dirty, she said.", "came back dirty", "came back positive", "en"),
    ("A frequent flyer at the ER.", "frequent flyer", "person who comes in often", "en"),
    ("Talked about replacement therapy.", "replacement therapy", "medication for opioid use disorder", "en"),
    # A note written in Spanish gets the same hints (issue 17, item 5).
    ("Dice que su hermano es adicto.", "adicto", "persona que usa drogas", "es"),
    ("Habló de los TOXICÓMANOS del barrio.", "TOXICÓMANOS", "Personas que usan drogas", "es"),
    ("La prueba salió limpia, está contenta.", "salió limpia", "salió negativa", "es"),
    ("Tuvo dos recaídas este mes.", "recaídas", "vueltas al consumo", "es"),
])
def test_it_offers_one_tap_wording_for_a_flag_as_written(client, peer, text, flagged, wording, language):
    client.force_login(peer)
    body = client.post(COACH, {"coach_field": "note", "note": text}, headers={"HX-Request": "true"}).content.decode()
    start = text.index(flagged)
    # "Instead of", or "If it describes a person, instead of" for a soft term; the words in their language.
    assert f"nstead of “{flagged}”, you could say: <strong lang=\"{language}\">" in body
    assert (f'data-use-wording="{wording}" data-flagged="{flagged}" data-at="{start}" data-field="id_note"'
            in body), body
    assert f"Use “{wording}”</button>" in body


@pytest.mark.parametrize("text", [
    "Met two junkies by the river.",  # a plural needs other words around it: the hint only
    "They are addicted to pills.",  # "has a … use disorder" needs the drug's name
    "He was drunk when we met.",  # no one wording fits every sense
])
def test_it_gives_the_hint_without_a_button_where_no_one_wording_fits(client, peer, text):
    client.force_login(peer)
    body = client.post(COACH, {"coach_field": "note", "note": text}).content.decode()
    assert "<li>" in body and "data-use-wording" not in body


def test_it_fills_the_wording_of_installed_terms_by_migration(db):
    from resources.models import Term

    addict = Term.objects.get(flags__startswith="addict, ")
    assert addict.wording == "person who uses drugs"
    assert addict.wording_for("Junky") == "Person who uses drugs"
    assert addict.wording_for("addicts") == ""
    relapse = Term.objects.get(flags__startswith="relapse")
    assert relapse.wording_for("relapsing") == "returning to use"
    assert Term(flags="tweaker", suggestion="x").wording_for("tweaker") == ""


# In Spanish (issue 17, item 5) ----------------------------------------------------


def test_it_tells_the_button_which_article_the_spanish_words_take(client, peer):
    client.force_login(peer)
    body = client.post(COACH, {"coach_field": "note", "note": "Vino con un adicto."}).content.decode()
    assert 'data-use-wording="persona que usa drogas" data-flagged="adicto"' in body
    assert 'data-lang="es" data-article="la">Use “persona que usa drogas”</button>' in body
    body = client.post(COACH, {"coach_field": "note", "note": "He is an addict."}).content.decode()
    assert 'data-lang="en">Use “person who uses drugs”</button>' in body


def test_it_coaches_in_the_interface_language(client, peer):
    client.force_login(peer)
    body = client.post(COACH, {"coach_field": "note", "note": "Es adicta."}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Las palabras importan (una sugerencia, nunca una obligación):" in body
    assert "En lugar de «adicta», podrías decir: <strong lang=\"es\">persona que usa drogas;" in body
    assert "Usar «persona que usa drogas»</button>" in body
    body = client.post(COACH, {"coach_field": "note", "note": "The addict left."},
                       HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "En lugar de «addict», podrías decir: <strong lang=\"en\">person who uses drugs" in body


@pytest.mark.parametrize("text", [
    "Le pedí que no abuse del alcohol. Le dimos jeringas limpias y naloxona.",
    "Olvidó su nombre de usuario de la app; limpia la herida cada día.",
])
def test_it_stays_quiet_on_a_spanish_note_with_innocent_words(client, peer, text):
    client.force_login(peer)
    body = client.post(COACH, {"coach_field": "note", "note": text}).content.decode()
    assert "<li>" not in body and "language_hints_shown" not in body
