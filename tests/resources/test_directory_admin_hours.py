"""Content admins tick days and pick times and languages from a list, never type codes (issue 14, item 14)."""

from datetime import time

import pytest
from django.urls import reverse

from resources.forms import KNOWN_LANGUAGES, split_byday
from resources.models import Language, Schedule, Service
from tests.resources.conftest import make_service

pytestmark = pytest.mark.django_db


def form_data(service, schedules=(), languages=(), initial_schedules=0, initial_languages=0):
    """The service's change form as the browser sends it: rows are dicts of the inline's fields."""
    data = {
        "name": service.name,
        "organization": service.organization.pk,
        "status": "active",
        "access": "walk-in",
        "time_zone": "America/Los_Angeles",
        "service_at_locations-TOTAL_FORMS": 0,
        "service_at_locations-INITIAL_FORMS": 0,
        "phones-TOTAL_FORMS": 0,
        "phones-INITIAL_FORMS": 0,
        "cost_options-TOTAL_FORMS": 0,
        "cost_options-INITIAL_FORMS": 0,
        "schedules-TOTAL_FORMS": len(schedules),
        "schedules-INITIAL_FORMS": initial_schedules,
        "languages-TOTAL_FORMS": len(languages),
        "languages-INITIAL_FORMS": initial_languages,
    }
    for prefix, rows in (("schedules", schedules), ("languages", languages)):
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-service": service.pk, **{f"{prefix}-{i}-{k}": v for k, v in row.items()}})
    return data


def url(service):
    return reverse("admin:resources_service_change", args=[service.pk])


def test_it_shows_days_as_checkboxes_and_times_as_pickers(client, content_admin):
    service = make_service("Eastside Exchange", hours=[("MO,WE", "09:00", "17:00")], languages=[("es", "Spanish")])
    client.force_login(content_admin)
    page = client.get(url(service)).content.decode()
    assert 'type="checkbox" name="schedules-0-days" value="MO"' in page
    assert 'value="MO" id="id_schedules-0-days_0" checked' in page
    assert 'value="WE" id="id_schedules-0-days_2" checked' in page
    assert 'value="TU" id="id_schedules-0-days_1" checked' not in page
    assert 'type="time" name="schedules-0-opens_at" value="09:00"' in page
    assert 'name="schedules-0-byday"' not in page and "MO,TU,WE,TH,FR,SA,SU" not in page
    # Languages: a list, with the service's own chosen.
    assert '<select name="languages-0-language"' in page
    assert '<option value="es" selected>Spanish</option>' in page
    assert '<option value="vi">Vietnamese</option>' in page
    assert 'name="languages-0-name"' not in page and 'name="languages-0-code"' not in page


def test_it_stores_ticked_days_and_picked_times_as_hsds_byday(client, content_admin):
    service = make_service("Eastside Exchange", hours=[("MO", "09:00", "17:00")])
    row = service.schedules.get()
    client.force_login(content_admin)
    response = client.post(url(service), form_data(service, initial_schedules=1, schedules=[
        {"id": row.pk, "days": ["WE", "MO", "FR"], "opens_at": "08:30", "closes_at": "12:00", "freq": "WEEKLY"},
        {"days": ["SA"], "opens_at": "22:00", "closes_at": "04:00", "freq": "WEEKLY"},
        {"days": ["TU", "TH"], "week_of_month": "-1", "opens_at": "10:00", "closes_at": "14:00",
         "freq": "MONTHLY"},
    ]))
    assert response.status_code == 302, response.content.decode()[:2000]
    rows = {(s.byday, s.opens_at.strftime("%H:%M"), s.closes_at.strftime("%H:%M")) for s in service.schedules.all()}
    assert rows == {("MO,WE,FR", "08:30", "12:00"), ("SA", "22:00", "04:00"), ("-1TU,-1TH", "10:00", "14:00")}
    # "Open now" reads the same rows (its index is rebuilt on save).
    service.refresh_from_db()
    assert Service.objects.filter(pk=service.pk).exists()


def test_it_round_trips_a_monthly_row(client, content_admin):
    service = make_service("Eastside Exchange")
    Schedule.objects.create(service=service, byday="1SA", freq="MONTHLY", opens_at="10:00", closes_at="13:00")
    client.force_login(content_admin)
    page = client.get(url(service)).content.decode()
    assert 'value="SA" id="id_schedules-0-days_5" checked' in page
    assert '<option value="1" selected>1st week of the month</option>' in page


@pytest.mark.parametrize(("row", "field", "message"), [
    ({"days": ["MO"], "opens_at": "", "closes_at": "17:00"}, "opens_at", "Pick the time it opens."),
    ({"days": ["MO"], "opens_at": "09:00", "closes_at": ""}, "closes_at",
     "Pick the time it closes (the same as opening means open 24 hours)."),
    ({"days": ["MO"], "opens_at": "nine", "closes_at": "17:00"}, "opens_at", "Pick a time it opens, like 09:30."),
    ({"days": ["MO"], "opens_at": "09:00", "closes_at": "17:00", "week_of_month": "2"}, "week_of_month",
     "A week of the month needs “Monthly” as how often; or choose “Every week”."),
    ({"days": ["XX"], "opens_at": "09:00", "closes_at": "17:00"}, "days", "Select a valid choice."),
])
def test_it_says_what_is_wrong_with_a_row_and_keeps_the_rest(client, content_admin, row, field, message):
    service = make_service("Eastside Exchange")
    client.force_login(content_admin)
    response = client.post(url(service), form_data(service, schedules=[{"freq": "WEEKLY", **row}]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.forms[0].errors
    assert any(message in error for error in errors[field]), errors
    body = response.content.decode()
    assert message.replace("“", "&ldquo;") in body or message in body
    assert 'value="MO" id="id_schedules-0-days_0" checked' in body or row["days"] == ["XX"]
    assert not service.schedules.exists()


def test_it_keeps_imported_hours_the_boxes_cannot_show(client, content_admin):
    service = make_service("Eastside Exchange")
    row = Schedule.objects.create(service=service, byday="1MO,3WE", freq="MONTHLY", opens_at="10:00",
                                  closes_at="13:00")
    client.force_login(content_admin)
    page = client.get(url(service)).content.decode()
    assert "Stored as “1MO,3WE”, which the boxes cannot show: ticking days replaces it." in page
    response = client.post(url(service), form_data(service, initial_schedules=1, schedules=[
        {"id": row.pk, "opens_at": "10:00", "closes_at": "14:00", "freq": "MONTHLY"},
    ]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.byday == "1MO,3WE" and row.closes_at.hour == 14


def test_it_reads_byday_codes_the_boxes_can_show():
    assert split_byday("MO,WE") == (["MO", "WE"], "")
    assert split_byday("fr, mo") == (["MO", "FR"], "")
    assert split_byday("-1FR") == (["FR"], "-1")
    assert split_byday("") == ([], "")
    assert split_byday("1MO,3WE") is None and split_byday("MONDAY") is None and split_byday("5MO") is None


def test_it_stores_a_picked_language_with_its_code(client, content_admin):
    service = make_service("Eastside Exchange", languages=[("es", "Spanish")])
    Language.objects.create(service=make_service("Other"), code="", name="Mam")  # imported without a code
    spanish = service.languages.get()
    client.force_login(content_admin)
    page = client.get(url(service)).content.decode()
    assert '<option value="Mam">Mam</option>' in page
    response = client.post(url(service), form_data(service, initial_languages=1, languages=[
        {"id": spanish.pk, "language": "es", "note": "Staff on Tuesdays"},
        {"language": "vi", "note": ""},
        {"language": "Mam", "note": "By phone interpreter"},
    ]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(service.languages.values_list("code", "name", "note")) == {
        ("es", "Spanish", "Staff on Tuesdays"), ("vi", "Vietnamese", ""), ("", "Mam", "By phone interpreter"),
    }
    assert KNOWN_LANGUAGES["vi"] == "Vietnamese"


def test_it_refuses_a_language_not_on_the_list_or_listed_twice(client, content_admin):
    service = make_service("Eastside Exchange")
    client.force_login(content_admin)
    response = client.post(url(service), form_data(service, languages=[
        {"language": "Klingon"}, {"language": "es"}, {"language": "es"},
    ]))
    assert response.status_code == 200
    forms = response.context["inline_admin_formsets"][3].formset.forms
    assert "Select a valid choice" in forms[0].errors["language"][0]
    assert forms[2].errors["language"] == ["Spanish is listed already."]
    assert not service.languages.exists()


def test_it_saves_a_service_whose_imported_weekly_row_names_a_week(client, content_admin):
    # "1MO" on a WEEKLY row means every Monday (RFC 5545 ignores the week there): shown as stored, kept.
    service = make_service("Eastside Exchange")
    row = Schedule.objects.create(service=service, byday="1MO", freq="WEEKLY", opens_at=time(10), closes_at=time(13))
    client.force_login(content_admin)
    assert "Stored as “1MO”" in client.get(url(service)).content.decode()
    response = client.post(url(service), form_data(service, initial_schedules=1, schedules=[
        {"id": row.pk, "opens_at": "10:00", "closes_at": "13:00", "freq": "WEEKLY"},
    ]))
    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert row.byday == "1MO"
