"""The check-in form on a tablet (issue 14, items 8 and 10): the program chosen for the peer,
referral matches with what a peer needs to pick one, the referral search without JavaScript
keeping everything typed, and what the page offers right after saving."""

import re

import pytest
from django.urls import reverse

from sessions_app.models import CheckIn, Draft, Participant, Program
from tests.resources.conftest import make_service
from tests.sessions_app.conftest import form_data

NEW = reverse("sessions_app:checkin_new")
SEARCH = reverse("sessions_app:checkin_referral_search")
EVERY_DAY = (("MO,TU,WE,TH,FR,SA,SU", "09:00", "17:00"),)


@pytest.fixture
def clinic(db):
    return make_service("Burnside Methadone Clinic", terms=["OTP", "MU"], hours=EVERY_DAY, access="walk-in",
                        description="Methadone, walk-in intake")


@pytest.fixture
def mentions(db):
    # "methadone" only in the description: ranked after a service named for it.
    return make_service("Alder Street Health", description="Primary care; methadone referrals on Fridays")


def program_radios(body: str) -> list[str]:
    return re.findall(r'<input type="radio" name="program"[^>]*>', body)


def test_it_offers_programs_without_an_empty_choice_and_picks_the_first(client, peer):
    client.force_login(peer)
    radios = program_radios(client.get(NEW).content.decode())
    programs = list(Program.objects.filter(active=True))
    assert len(radios) == len(programs) > 1
    assert 'value=""' not in "".join(radios)
    assert [r for r in radios if "checked" in r] == [r for r in radios if f'value="{programs[0].pk}"' in r]


def test_it_picks_the_program_of_the_peers_last_checkin(client, peer, outreach):
    second = list(Program.objects.filter(active=True))[1]
    client.force_login(peer)
    client.post(NEW, form_data(outreach, program=str(second.pk)))
    radios = program_radios(client.get(NEW).content.decode())
    assert [r for r in radios if "checked" in r] == [r for r in radios if f'value="{second.pk}"' in r]


def test_it_shows_open_now_walk_in_and_hours_in_referral_matches(client, peer, clinic, mentions):
    client.force_login(peer)
    body = client.get(SEARCH, {"referral_q": "methadone"}, headers={"HX-Request": "true"}).content.decode()
    assert body.lstrip().startswith('<div id="referral-results"')
    assert body.index("Burnside Methadone Clinic") < body.index("Alder Street Health")
    burnside = body[body.index("Burnside Methadone Clinic"):body.index("Alder Street Health")]
    assert re.search(r"Open now|Closed · opens", burnside)
    assert "Walk-in" in burnside and "Today 9 am – 5 pm" in burnside
    assert f'name="add_referral" value="{clinic.pk}"' in burnside
    # The first URL's parameter still answers.
    assert "Burnside" in client.get(SEARCH, {"q": "methadone"}, headers={"HX-Request": "true"}).content.decode()


def test_it_searches_referrals_in_queries_independent_of_the_number_of_matches(
        client, peer, clinic, django_assert_num_queries):
    client.force_login(peer)
    client.get(SEARCH, {"referral_q": "methadone"})
    with django_assert_num_queries(9) as few:
        client.get(SEARCH, {"referral_q": "methadone"})
    for n in range(5):
        make_service(f"Methadone Place {n}", terms=["OTP"], hours=EVERY_DAY)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(SEARCH, {"referral_q": "methadone"}).content.decode()
    assert body.count('name="add_referral"') == 6


def test_it_finds_a_referral_without_javascript_keeping_everything_typed(client, peer, outreach, naloxone, clinic):
    client.force_login(peer)
    data = form_data(outreach, note="Wants to talk about methadone.", **{f"supply_{naloxone.pk}": "3"},
                     referral_q="methadone", find_referral="1")
    response = client.post(NEW, data)
    body = response.content.decode()
    assert response.status_code == 200 and CheckIn.objects.count() == 0
    assert "Wants to talk about methadone.</textarea>" in body
    assert re.search(rf'<input type="radio" name="method" value="{outreach.pk}"[^>]*checked', body)
    assert re.search(rf'name="supply_{naloxone.pk}" value="3"', body)
    assert f'name="add_referral" value="{clinic.pk}"' in body and 'value="methadone"' in body
    assert f'value="{data["key"]}"' in body
    # Kept as a draft, as the autosave would have.
    assert Draft.objects.get(user=peer).data["note"] == ["Wants to talk about methadone."]


def test_it_adds_a_referral_without_javascript_and_then_saves(client, peer, outreach, naloxone, clinic):
    client.force_login(peer)
    data = form_data(outreach, note="Wants to talk about methadone.", **{f"supply_{naloxone.pk}": "3"},
                     referral_q="methadone", add_referral=str(clinic.pk))
    body = client.post(NEW, data).content.decode()
    assert f'name="referral_service" value="{clinic.pk}"' in body
    assert "Wants to talk about methadone.</textarea>" in body and CheckIn.objects.count() == 0
    del data["add_referral"]
    data["referral_service"] = str(clinic.pk)
    assert client.post(NEW, data).status_code == 302
    checkin = CheckIn.objects.get()
    assert checkin.note == "Wants to talk about methadone." and checkin.supplies.get().count == 3
    assert [r.service for r in checkin.referrals.all()] == [clinic]


def test_it_saves_when_find_is_pressed_with_an_empty_box(client, peer, outreach):
    # Enter in another field presses the form's first button, "Find": a save, as it always was.
    client.force_login(peer)
    assert client.post(NEW, form_data(outreach, referral_q=" ", find_referral="1")).status_code == 302
    assert CheckIn.objects.count() == 1


def test_it_finds_a_referral_without_javascript_when_editing(client, peer, checkin, clinic):
    client.force_login(peer)
    edit = reverse("sessions_app:checkin_edit", args=[checkin.pk])
    data = form_data(checkin.method, participant_code=checkin.participant.code, note="Changed my mind.",
                     referral_q="methadone", find_referral="1")
    body = client.post(edit, data).content.decode()
    assert "Changed my mind.</textarea>" in body and f'name="add_referral" value="{clinic.pk}"' in body
    checkin.refresh_from_db()
    assert checkin.note == "Talked about the weekend."


def test_it_offers_another_checkin_and_shows_a_new_code_big(client, peer, outreach):
    client.force_login(peer)
    response = client.post(NEW, form_data(outreach, new_participant="on"), follow=True)
    body = response.content.decode()
    code = Participant.objects.get().code
    assert f'<p class="big-code">{code}</p>' in body
    assert f'href="{NEW}">Log another check-in</a>' in body
    # Once, right after saving; not every time the check-in is opened.
    again = client.get(CheckIn.objects.get().get_absolute_url()).content.decode()
    assert "Log another check-in" not in again and "big-code" not in again


def test_it_shows_no_code_when_the_participant_is_known(client, peer, outreach, cedar):
    client.force_login(peer)
    body = client.post(NEW, form_data(outreach, participant_code=cedar.code), follow=True).content.decode()
    assert "Log another check-in" in body and "big-code" not in body
