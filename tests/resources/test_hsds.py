"""HSDS 3.0 import and export: the spec's examples import, exports validate and round-trip,
bad files say where they are bad and leave nothing behind."""

import csv
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from jsonschema import Draft202012Validator, FormatChecker

from demo.sample_directory import load_sample_directory
from resources.hsds import HSDSError, export_path, export_services, import_path
from resources.models import Language, Organization, Phone, Schedule, Service, TaxonomyTerm

SPEC = Path(__file__).parent / "hsds_spec"
EXAMPLES = SPEC / "examples"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"


def schema(name):
    return json.loads((SPEC / "schema" / name).read_text())


@pytest.mark.parametrize(
    "example",
    [
        "csv",
        "service_full.json",
        "service_list.json",
        "organization_full.json",
        "tabular.json",
        "service_at_location_full.json",
    ],
)
def test_it_imports_the_specs_examples(db, example):
    import_path(EXAMPLES / example)
    service = Service.objects.get(hsds_id=SERVICE_ID)
    assert service.name == "Community Counselling"
    assert service.organization.name == "Example Organization Inc."
    assert service.status == "active"


def test_it_keeps_the_fields_the_directory_uses_from_the_csv_package(db):
    import_path(EXAMPLES / "csv")
    service = Service.objects.get(hsds_id=SERVICE_ID)
    assert service.eligibility_description.startswith("This service is intended for all people aged 12")
    assert (service.minimum_age, service.maximum_age) == (12, 100)
    assert service.last_verified_on.isoformat() == "2005-01-01"
    assert "identification document" in service.what_to_bring
    schedule = service.schedules.get()
    assert (schedule.byday, str(schedule.opens_at), str(schedule.closes_at)) == (
        "TH,FR",
        "10:00:00",
        "18:00:00",
    )
    # HSDS gives the schedule's zone as a UTC offset: +3 hours.
    assert service.time_zone == "Etc/GMT-3"
    assert service.phones.get().number == "+44 1234 234567"
    assert service.languages.get().name == "Urdu"
    assert service.cost_options.get().amount == 35
    assert service.service_at_locations.get().location.addresses.get().city == "MyCity"
    assert "counselling" in service.search_document


def test_it_is_idempotent(db):
    for _ in range(2):
        import_path(EXAMPLES / "service_full.json")
        import_path(EXAMPLES / "csv")
    assert Service.objects.count() == 1 and Organization.objects.count() == 1
    assert Phone.objects.filter(service__hsds_id=SERVICE_ID).count() == 1


def _package(tmp_path, **changes):
    folder = tmp_path / "package"
    shutil.copytree(EXAMPLES / "csv", folder)
    (folder / "datapackage.json").unlink()
    (folder / "datapackage.json").write_text(
        json.dumps(
            {
                "resources": [
                    {"name": name, "path": f"{name}.csv"}
                    for name in [
                        "organizations",
                        "services",
                        "locations",
                        "service_at_location",
                        "schedules",
                        "phones",
                    ]
                ]
            }
        )
    )
    for file, (row, field, value) in changes.items():
        path = folder / f"{file}.csv"
        with path.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        rows[row][field] = value
        with path.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


@pytest.mark.parametrize(
    "changes,message",
    [
        (
            {"schedules": (0, "opens_at", "ten o'clock")},
            "schedules.csv, row 2, field 'opens_at': \"ten o'clock\" is not a time",
        ),
        ({"services": (0, "status", "open")}, "services.csv, row 2, field 'status': 'open' is not one of"),
        (
            {"services": (0, "organization_id", "00000000-0000-0000-0000-000000000001")},
            "services.csv, row 2, field 'organization_id': no organization with id",
        ),
        ({"phones": (0, "id", "not-a-uuid")}, "phones.csv, row 2, field 'id': 'not-a-uuid' is not a UUID"),
        ({"schedules": (0, "byday", "MONDAY")}, "schedules.csv, row 2, field 'byday': 'MONDAY' is not a day"),
        (
            {"services": (0, "minimum_age", "twelve")},
            "services.csv, row 2, field 'minimum_age': 'twelve' is not a number",
        ),
    ],
)
def test_it_names_file_row_and_field_and_imports_nothing(db, tmp_path, changes, message):
    folder = _package(tmp_path, **changes)
    with pytest.raises(HSDSError) as error:
        import_path(folder)
    assert str(error.value).startswith(message), str(error.value)
    # Organizations come first in the package: they were written, then rolled back.
    assert not Organization.objects.exists() and not Service.objects.exists()


def test_it_reports_bad_json_with_its_line(db, tmp_path):
    bad = tmp_path / "services.json"
    bad.write_text('{"id": "x",\n "name": }')
    with pytest.raises(HSDSError, match=r"services.json, line 2, field '-': is not valid JSON"):
        import_path(bad)


def _every(data, key):
    """Every object in a list under `key`, however deep."""
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key and isinstance(value, list):
                yield from value
            yield from _every(value, key)
    elif isinstance(data, list):
        for item in data:
            yield from _every(item, key)


def test_it_names_the_json_path_of_a_bad_value(db, tmp_path):
    data = json.loads((EXAMPLES / "service_full.json").read_text())
    # The example nests its one schedule in several places: change every copy, as a real file would.
    for schedule in _every(data, "schedules"):
        schedule["closes_at"] = "late"
    bad = tmp_path / "service.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(
        HSDSError,
        match=r"service.json, \$.organization.locations\[0\].schedules\[0\], field 'closes_at': 'late' is not a time",
    ):
        import_path(bad)
    assert not Service.objects.exists()


def test_it_refuses_a_folder_without_datapackage(db, tmp_path):
    with pytest.raises(HSDSError, match="no datapackage.json"):
        import_path(tmp_path)


def test_the_command_says_nothing_was_imported(db, tmp_path):
    folder = _package(tmp_path, services=(0, "status", "open"))
    with pytest.raises(CommandError, match=r"^Nothing was imported. services.csv, row 2, field 'status'"):
        call_command("import_hsds", str(folder))


@pytest.fixture
def directory(db, content_admin):
    load_sample_directory()
    Service.objects.first().mark_verified(by=content_admin)
    import_path(EXAMPLES / "csv")  # foreign data too: a UTC-offset zone, a cost option, a document


def test_it_exports_json_that_validates_against_the_service_schema(directory):
    validator = Draft202012Validator(schema("service_with_definitions.json"), format_checker=FormatChecker())
    objects = export_services()
    assert len(objects) == Service.objects.count()
    for service in objects:
        errors = sorted(validator.iter_errors(service), key=str)
        assert not errors, (service["name"], [e.message for e in errors[:3]])


def test_it_exports_a_csv_package_whose_rows_validate(directory, tmp_path):
    export_path(tmp_path)
    package = json.loads((tmp_path / "datapackage.json").read_text())
    tabular = schema("tabular.json")["properties"]
    checked = 0
    for resource in package["resources"]:
        table = tabular[resource["name"]]["items"]
        row_schema = {**table, "required": table.get("required", []) + table.get("tabular_required", [])}
        validator = Draft202012Validator(row_schema, format_checker=FormatChecker())
        numbers = {f["name"] for f in resource["schema"]["fields"] if f["type"] == "number"}
        assert [f["name"] for f in resource["schema"]["fields"]] == [
            name for name, field in table["properties"].items() if field.get("type") != "array"
        ]
        with (tmp_path / resource["path"]).open(newline="") as handle:
            for row in csv.DictReader(handle):
                # A CSV cell cannot say "absent": an empty cell of a required column is an empty string.
                typed = {
                    k: (float(v) if k in numbers else v)
                    for k, v in row.items()
                    if v != "" or k in row_schema["required"]
                }
                errors = list(validator.iter_errors(typed))
                assert not errors, (resource["path"], row["id"], [e.message for e in errors[:3]])
                checked += 1
    assert checked > 200


def _snapshot():
    objects = export_services()
    for service in objects:
        service.pop("last_modified")
    return sorted(objects, key=lambda s: s["id"])


def _empty_directory():
    Service.objects.all().delete()
    Organization.objects.all().delete()
    from resources.models import Location

    Location.objects.all().delete()


@pytest.mark.parametrize("form", ["csv", "json"])
def test_an_export_reimports_to_the_same_data(directory, tmp_path, form):
    before = _snapshot()
    export_path(tmp_path)
    _empty_directory()
    import_path(tmp_path if form == "csv" else tmp_path / "services.json")
    assert _snapshot() == before
    walk_in = Service.objects.get(name="Division Street Syringe Exchange")
    assert walk_in.access == "walk-in" and walk_in.time_zone == "America/Los_Angeles"
    assert walk_in.schedules.count() == 2 and Language.objects.filter(service=walk_in, code="es").exists()
    assert set(walk_in.terms.values_list("code", flat=True)) >= {"PC-SSP", "PC-SYR", "NOE", "NP"}


def test_it_does_not_export_notes_for_peers(directory, tmp_path):
    export_path(tmp_path)
    assert "side door on 23rd" not in (tmp_path / "services.json").read_text()
    assert "side door on 23rd" not in (tmp_path / "services.csv").read_text()


def test_the_commands_export_and_import(directory, tmp_path, capsys):
    call_command("export_hsds", str(tmp_path / "out"))
    count = Service.objects.count()
    _empty_directory()
    call_command("import_hsds", str(tmp_path / "out"))
    assert Service.objects.count() == count
    assert Schedule.objects.filter(service__isnull=False).exists()
    assert TaxonomyTerm.objects.filter(code="PC-SSP").count() == 1
    assert "Imported" in capsys.readouterr().out
