"""Codes a participant can rebuild: the Python reference, and the check-in form with a recipe on."""

import pytest
from django.urls import reverse

from sessions_app.code_recipe import PARTS, build_code, fold_letters, recipe
from sessions_app.models import CheckIn, Participant
from tests.sessions_app.conftest import form_data

NEW = reverse("sessions_app:checkin_new")
RECIPE = ["last_name_2", "mother_initial", "birth_day"]

# (last name, mother's first name, day of birth) -> code. Shared with the browser test.
TABLE = [
    (("García", "María", "17"), "GAM17"),
    (("garcia", "maria", "017"), "GAM17"),
    (("  Núñez ", "Ángela", "3"), "NUA03"),
    (("O'Brien", "Siobhán", "30"), "OBS30"),
    (("de la Cruz", "Lupe", "9"), "DEL09"),
    (("Ng", "Ai", "1"), "NGA01"),
    (("Y", "Ed", "31"), "YXE31"),  # a one-letter name is padded with X
    (("Øberg", "Łucja", "12"), "OBL12"),
    (("Straße", "Þóra", "5"), "STT05"),
    (("Ñandú", "Ñusta", "28"), "NAN28"),
    (("Nguyễn", "Đào", "15"), "NGD15"),
    (("Lee", "Mae", "32"), ""),  # no 32nd day
    (("Lee", "Mae", "0"), ""),
    (("Lee", "", "4"), ""),  # every answer is needed
    (("123", "Mae", "4"), ""),  # no letters in a name
    (("Lee", "Mae", "４"), ""),  # full-width digits are not taken as numbers, in Python as in the browser
]


@pytest.mark.parametrize(("facts", "code"), TABLE)
def test_it_builds_the_same_code_from_the_same_facts(facts, code):
    parts = [PARTS[key] for key in RECIPE]
    assert build_code(parts, dict(zip(RECIPE, facts, strict=True))) == code


def test_it_folds_letters_to_plain_capitals():
    assert fold_letters("Núñez-O'Brien") == "NUNEZOBRIEN"
    assert fold_letters("  æble ") == "AEBLE"


def test_it_is_off_unless_the_organization_sets_a_recipe(settings):
    settings.PARTICIPANT_CODE_RECIPE = []
    assert recipe() == []
    settings.PARTICIPANT_CODE_RECIPE = [*RECIPE, "not_a_part"]
    assert [p.key for p in recipe()] == RECIPE


def test_it_shows_the_builder_only_with_a_recipe(client, peer, settings):
    client.force_login(peer)
    settings.PARTICIPANT_CODE_RECIPE = []
    assert "data-code-builder" not in client.get(NEW).content.decode()
    settings.PARTICIPANT_CODE_RECIPE = RECIPE
    body = client.get(NEW).content.decode()
    assert "data-code-builder=" in body and "js/code-builder.js" in body
    assert "The code builder needs JavaScript" in body
    # The facts' inputs have no name: a form post cannot carry them.
    builder = body[body.index("data-code-builder="):body.index("data-use-code")]
    assert builder.count("<input ") == 3 and " name=" not in builder


def test_it_makes_a_new_participant_with_a_built_code(client, peer, outreach, settings):
    settings.PARTICIPANT_CODE_RECIPE = RECIPE
    client.force_login(peer)
    response = client.post(NEW, form_data(outreach, participant_code="GAM17", new_participant="on"))
    assert response.status_code == 302
    assert Participant.objects.get().code == "GAM17"


def test_it_asks_whether_a_taken_built_code_is_someone_else(client, peer, outreach, settings):
    settings.PARTICIPANT_CODE_RECIPE = RECIPE
    Participant.objects.create(code="GAM17", created_by=peer)
    Participant.objects.create(code="GAM17-2", created_by=peer)
    client.force_login(peer)
    data = form_data(outreach, participant_code="GAM17", new_participant="on", note="Kept as typed.")
    response = client.post(NEW, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "GAM17 belongs to someone already" in body and "This is someone else" in body
    assert "Kept as typed." in body
    response = client.post(NEW, {**data, "someone_else": "on"}, follow=True)
    assert CheckIn.objects.get().participant.code == "GAM17-3"
    assert "Their code is GAM17-3" in response.content.decode()


def test_it_finds_a_returning_person_by_the_rebuilt_code(client, peer, outreach, settings):
    settings.PARTICIPANT_CODE_RECIPE = RECIPE
    gam = Participant.objects.create(code="GAM17", created_by=peer)
    client.force_login(peer)
    assert client.post(NEW, form_data(outreach, participant_code="gam17")).status_code == 302
    assert CheckIn.objects.get().participant == gam


def test_it_keeps_random_codes_as_they_were_when_taken(client, peer, outreach, settings):
    settings.PARTICIPANT_CODE_RECIPE = RECIPE
    Participant.objects.create(code="Cedar-101", created_by=peer)
    client.force_login(peer)
    body = client.post(NEW, form_data(outreach, participant_code="Cedar-101", new_participant="on")).content.decode()
    assert "That code is taken" in body
