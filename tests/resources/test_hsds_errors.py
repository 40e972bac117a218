"""Malformed HSDS: every case says file, record, field and what to do, and leaves the directory as it was."""

import csv
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from resources.hsds import HSDSError, import_path
from resources.models import Language, Organization, Schedule, Service

from .test_hsds_sources import directory_state

EXAMPLES = Path(__file__).parent / "hsds_spec" / "examples"
ORG = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
SERVICE = "ac148810-d857-441c-9679-408f346de14b"
SCHEDULE = "48102e86-bb50-41c4-8f1e-e269368c41d1"


def service(**fields):
    """A small valid service object with one schedule; `fields` override or add."""
    data = {
        "id": SERVICE,
        "name": "Community Counselling",
        "status": "active",
        "description": "Counselling by trained staff.",
        "organization": {"id": ORG, "name": "Example Organization Inc.", "description": "A nonprofit."},
        "schedules": [{"id": SCHEDULE, "freq": "WEEKLY", "byday": "TH", "opens_at": "10:00", "closes_at": "18:00"}],
    }
    data.update(fields)
    return data


def write(tmp_path, data, name="services.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def existing(db):
    """A directory with something in it, so 'unchanged' means more than 'still empty'."""
    import_path(EXAMPLES / "csv")
    return directory_state()


def refused(path, message, **options):
    with pytest.raises(HSDSError) as error:
        import_path(path, **options)
    assert message in str(error.value), str(error.value)
    return str(error.value)


def test_two_services_with_one_id_are_an_error_naming_both(existing, tmp_path):
    path = write(tmp_path, [service(), service(name="Another Service")])
    message = refused(path, "services.json, $[1], field 'name': the service ac148810")
    assert "is also at $[0] with name 'Community Counselling', here 'Another Service'" in message
    assert directory_state() == existing


def test_two_organizations_with_one_id_are_an_error(existing, tmp_path):
    other = service(id="bc148810-d857-441c-9679-408f346de14b")
    other["organization"] = {**other["organization"], "name": "Someone Else"}
    path = write(tmp_path, [service(), other])
    refused(path, "$[1].organization, field 'name': the organization d9d5e0f5")
    assert directory_state() == existing


def test_a_record_nested_under_two_parents_is_an_error(existing, tmp_path):
    language = {"id": "2989d3ed-c547-48f8-8f9d-432d81c7892e", "name": "Urdu", "code": "ur"}
    second = service(id="bc148810-d857-441c-9679-408f346de14b", schedules=[], languages=[language])
    path = write(tmp_path, [service(languages=[language]), second])
    refused(path, "$[1].languages[0], field 'service_id': the language 2989d3ed")
    assert directory_state() == existing


def _csv_package(tmp_path, extra_rows=()):
    folder = tmp_path / "package"
    shutil.copytree(EXAMPLES / "csv", folder)
    with (folder / "services.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (folder / "services.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows + [{**rows[0], **changes} for changes in extra_rows])
    return folder


def test_a_repeated_csv_row_is_merged_and_counted(db, tmp_path):
    report = import_path(_csv_package(tmp_path, extra_rows=[{}]))
    assert Service.objects.count() == 1
    assert report.counts["services"]["repeated"] == 1 and report.counts["services"]["created"] == 1


def test_a_csv_row_repeating_an_id_with_other_content_is_an_error(existing, tmp_path):
    folder = _csv_package(tmp_path, extra_rows=[{"name": "Other Counselling"}])
    refused(folder, "services.csv, row 3, field 'id': ac148810-d857-441c-9679-408f346de14b is also the id of row 2")
    assert directory_state() == existing


@pytest.mark.parametrize(
    "wrapper,message",
    [
        ({"services": [service()]}, "services.json, $, field 'services': unknown wrapper key 'services'"),
        ({"contents": [service()], "next": "?page=2"}, "field 'next': unknown key beside 'contents'"),
        ({"title": "My export", "records": 3}, "cannot tell what this object is from its keys (records, title)"),
        ("just text", "expected an HSDS object, a list of them, or an API page"),
    ],
)
def test_unknown_wrappers_and_keys_are_named(existing, tmp_path, wrapper, message):
    refused(write(tmp_path, wrapper), message)
    assert directory_state() == existing


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"interval": 0}, "field 'interval': 0 is not an interval: RFC 5545 wants a whole number of 1 or more"),
        ({"interval": -2}, "field 'interval': -2 is not an interval"),
        ({"interval": 1.5}, "field 'interval': '1.5' is not a whole number"),
        ({"byday": "99MO"}, "field 'byday': '99MO' is not a day: RFC 5545 wants MO … SU, or a week number"),
        ({"byday": "MONDAY"}, "field 'byday': 'MONDAY' is not a day"),
        ({"bymonthday": "40"}, "field 'bymonthday': '40' is not a day of the month: RFC 5545 wants 1 to 31"),
        ({"bymonthday": "0"}, "field 'bymonthday': '0' is not a day of the month"),
        (
            {"dtstart": "2025-06-01", "until": "2025-01-01"},
            "field 'until': 2025-01-01 is before dtstart 2025-06-01: it must come after",
        ),
        (
            {"valid_from": "2025-06-01", "valid_to": "2025-01-01"},
            "field 'valid_to': 2025-01-01 is before valid_from 2025-06-01",
        ),
        ({"count": "many"}, "field 'count': 'many' is not a number"),
        ({"count": 0}, "field 'count': 0 is not a count"),
        ({"wkst": "XX"}, "field 'wkst': 'XX' is not a day: RFC 5545 wants MO, TU, WE, TH, FR, SA or SU"),
        ({"byweekno": "54"}, "field 'byweekno': '54' is not a week number"),
        ({"freq": "DAILY"}, "field 'freq': 'DAILY' is not one of WEEKLY, MONTHLY"),
        ({"timezone": 3.5}, "field 'timezone': 3.5 is not a whole-hour UTC offset"),
    ],
)
def test_recurrence_is_checked_against_rfc_5545(existing, tmp_path, changes, message):
    data = service()
    data["schedules"][0].update(changes)
    refused(write(tmp_path, data), f"services.json, $.schedules[0], {message}")
    assert directory_state() == existing


def test_valid_recurrence_is_kept(db, tmp_path):
    data = service()
    data["schedules"][0].update(
        {"freq": "MONTHLY", "byday": "1MO,-1FR", "bymonthday": "1,-1", "interval": 2, "count": 4, "wkst": "SU"}
    )
    import_path(write(tmp_path, data))
    schedule = Schedule.objects.get()
    assert (schedule.freq, schedule.byday, schedule.bymonthday, schedule.interval) == ("MONTHLY", "1MO,-1FR", "1,-1", 2)


def test_a_language_with_only_an_id_is_accepted_and_the_skip_said(db, tmp_path):
    report = import_path(write(tmp_path, service(languages=[{"id": "2989d3ed-c547-48f8-8f9d-432d81c7892e"}])))
    assert Service.objects.count() == 1 and not Language.objects.exists()
    assert report.counts["languages"]["skipped"] == 1
    assert "$.languages[0]: the language 2989d3ed-c547-48f8-8f9d-432d81c7892e is only an id" in report.skipped[0]


def test_a_language_with_a_note_but_no_name_is_skipped_with_a_reason(db, tmp_path):
    language = {"id": "2989d3ed-c547-48f8-8f9d-432d81c7892e", "note": "Ask at reception"}
    report = import_path(write(tmp_path, service(languages=[language])))
    assert report.skipped == [
        "services.json, $.languages[0]: the language 2989d3ed-c547-48f8-8f9d-432d81c7892e has neither name nor "
        "code: nothing a peer could read"
    ]


def test_an_update_changes_only_the_fields_the_file_carries(db, tmp_path):
    import_path(write(tmp_path, service(alert="Closed Friday")))
    update = {"id": SERVICE, "name": "Counselling (renamed)", "status": "active", "organization_id": ORG}
    report = import_path(write(tmp_path, update, "update.json"))
    service_row = Service.objects.get()
    assert service_row.name == "Counselling (renamed)"
    assert (service_row.description, service_row.alert) == ("Counselling by trained staff.", "Closed Friday")
    assert service_row.schedules.count() == 1
    assert report.counts["services"]["updated"] == 1


def test_replace_clears_the_fields_the_file_leaves_out(db, tmp_path):
    import_path(write(tmp_path, service(alert="Closed Friday")))
    update = {"id": SERVICE, "name": "Community Counselling", "status": "active", "organization_id": ORG}
    import_path(write(tmp_path, update, "update.json"), replace=True)
    service_row = Service.objects.get()
    assert (service_row.description, service_row.alert) == ("", "")


def test_a_file_over_the_size_limit_is_refused_with_the_flag_to_raise_it(existing, tmp_path):
    path = write(tmp_path, [service(description="x" * 9_000)] * 130)
    message = refused(path, "services.json, -, field '-': is 1.2 MB, over the limit of 1 MB", max_megabytes=1)
    assert message.endswith("raise the limit (import_hsds --max-size 2).")
    assert directory_state() == existing


def test_text_longer_than_we_keep_is_refused(existing, tmp_path):
    refused(
        write(tmp_path, service(description="word " * 2_001)),
        "$, field 'description': is 10,004 characters long; the most we keep is 10,000",
    )
    refused(
        write(tmp_path, service(name="n" * 201)), "$, field 'name': is 201 characters long; the most we keep is 200"
    )
    assert directory_state() == existing


def test_strict_refuses_fields_and_tables_we_do_not_keep(existing, tmp_path):
    message = refused(EXAMPLES / "service_full.json", "service_full.json, -, field '-': --strict: ", strict=True)
    assert "services.wait_time (1)" in message and "contacts (1)" in message
    assert directory_state() == existing


@pytest.mark.parametrize(
    "value", [None, "", 0, -1, 1e308, True, [], {}, [1, 2], {"a": 1}, "x" * 20_000, "\x00", "2025-13-45", "🙂" * 30]
)
def test_no_value_of_any_field_ends_in_a_traceback(db, tmp_path, value):
    fields = ["id", "name", "status", "url", "email", "minimum_age", "maximum_age", "assured_date", "organization_id"]
    schedule_fields = ["opens_at", "interval", "byday", "bymonthday", "until", "timezone", "count"]
    for name in fields + [f"schedules.{f}" for f in schedule_fields]:
        data = service()
        target = data["schedules"][0] if name.startswith("schedules.") else data
        target[name.removeprefix("schedules.")] = value
        try:
            import_path(write(tmp_path, data))
        except HSDSError:
            pass
    assert Organization.objects.count() <= 1


def test_the_command_says_nothing_was_imported_and_why(existing, tmp_path):
    data = service()
    data["schedules"][0]["interval"] = -2
    with pytest.raises(
        CommandError, match=r"^Nothing was imported. services.json, \$.schedules\[0\], field 'interval'"
    ):
        call_command("import_hsds", str(write(tmp_path, data)))
    assert directory_state() == existing
