"""HSDS files from elsewhere: the spec's 3.0 and 3.1 examples, the UK profile, a 1.1 package.
Each import says what it did, record by record, and the database agrees."""

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from resources.hsds import HSDSError, export_services, import_path
from resources.models import (
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

HERE = Path(__file__).parent
EXAMPLES = HERE / "hsds_spec" / "examples"
OTHER = HERE / "hsds_other"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
PHONE_ID = "1554f2e2-a373-45db-a3fa-9fc48a61c15e"
LANGUAGE_ID = "2989d3ed-c547-48f8-8f9d-432d81c7892e"


def directory_state():
    """Everything an import can change, to show a refused file changed nothing."""
    models = (Organization, Service, Location, ServiceAtLocation, Phone, Schedule, Language, CostOption)
    state = {model.__name__: sorted(model.objects.values_list("hsds_id", flat=True)) for model in models}
    state["terms"] = sorted(TaxonomyTerm.objects.values_list("hsds_id", "name"))
    state["services"] = sorted(Service.objects.values_list("hsds_id", "name", "description", "what_to_bring"))
    return state


@pytest.mark.parametrize("example", ["service_full.json", "service_full_3_1.json"])
def test_it_merges_a_record_nested_in_many_places_into_one_linked_everywhere(db, example):
    path = OTHER / example if example.endswith("3_1.json") else EXAMPLES / example
    report = import_path(path)
    phone = Phone.objects.get()
    assert str(phone.hsds_id) == PHONE_ID
    service = Service.objects.get(hsds_id=SERVICE_ID)
    # Linked to the service, its location and its organization: every place the file put it.
    assert (phone.service, phone.location.name, phone.organization.name) == (
        service,
        "MyCity Civic Center",
        "Example Organization Inc.",
    )
    language = Language.objects.get()
    assert (language.service, language.location, language.phone) == (service, phone.location, phone)
    exported = next(s for s in export_services() if s["id"] == SERVICE_ID)
    assert [p["id"] for p in exported["phones"]] == [PHONE_ID]
    assert [lang["id"] for lang in exported["languages"]] == [LANGUAGE_ID]
    assert report.counts["phones"]["created"] == 1
    assert report.counts["languages"]["created"] == 1
    assert Schedule.objects.count() == 1 and report.counts["schedules"]["created"] == 1


def test_it_counts_every_copy_of_the_31_example(db):
    report = import_path(OTHER / "service_full_3_1.json")
    # One phone in 10 places, one language in 13; the 5 copies of each inside contacts (a
    # table we do not keep) are not read: 1 record, and 4 (7) repeats merged into it.
    assert report.counts["phones"] == Counter(created=1, repeated=4)
    assert report.counts["languages"] == Counter(created=1, repeated=7)
    assert report.counts["services"] == Counter(created=1)
    assert "Tables the directory does not keep (records): " in "\n".join(report.warnings())
    warnings = "\n".join(report.warnings())
    for dropped in ("services.wait_time (1)", "services.accreditations (1)", "additional_urls (1)", "contacts (1)"):
        assert dropped in warnings


def test_a_second_import_finds_everything_unchanged(db):
    import_path(EXAMPLES / "csv")
    before = directory_state()
    report = import_path(EXAMPLES / "csv")
    assert directory_state() == before
    created = sum(count["created"] + count["updated"] for count in report.counts.values())
    assert created == 0
    assert report.counts["services"]["unchanged"] == 1 and report.counts["phones"]["unchanged"] == 1


def test_the_summary_counts_records_written_not_rows_read(db, tmp_path):
    report = import_path(EXAMPLES / "tabular.json")
    assert report.counts["organizations"]["created"] == Organization.objects.count()
    assert report.counts["services"]["created"] == Service.objects.count()
    assert report.counts["locations"]["created"] == Location.objects.count()


def test_the_uk_profile_imports_and_says_what_it_could_not_link(db):
    report = import_path(OTHER / "uk_service_full.json")
    service = Service.objects.get(hsds_id=SERVICE_ID)
    assert service.organization.name == "Example Organization Inc."
    assert service.cost_options.get().amount == 35
    # Its languages and service-at-locations are ids only, defined nowhere in the file.
    assert not Language.objects.exists()
    skipped = "\n".join(report.skipped)
    assert f"$.languages[0]: the language {LANGUAGE_ID} is only an id" in skipped
    assert "$.service_at_locations[0]: the service at location e94c9f38" in skipped
    assert report.counts["languages"]["skipped"] == 1


def test_a_language_given_by_id_links_the_one_the_directory_has(db):
    import_path(EXAMPLES / "service_full.json")
    Language.objects.update(service=None)
    report = import_path(OTHER / "uk_service_full.json")
    assert Language.objects.get().service.hsds_id.hex == SERVICE_ID.replace("-", "")
    assert report.counts["languages"]["updated"] == 1 and not report.skipped[:1] == ["languages"]


@pytest.mark.parametrize(
    "example,model,count",
    [
        ("taxonomy.json", Taxonomy, 1),
        ("taxonomy_list.json", Taxonomy, 1),
        ("taxonomy_term.json", TaxonomyTerm, 1),
        ("taxonomy_term_list.json", TaxonomyTerm, 1),
    ],
)
def test_taxonomies_and_terms_import_as_themselves(db, example, model, count):
    before = model.objects.count()
    organizations = Organization.objects.count()
    report = import_path(EXAMPLES / example)
    assert model.objects.count() == before + count
    assert Organization.objects.count() == organizations
    table = "taxonomies" if model is Taxonomy else "taxonomy_terms"
    assert report.counts[table]["created"] == count


def test_an_ambiguous_object_is_told_apart_by_its_file_name(db, tmp_path):
    record = {"id": "5c4d79d7-cc55-470e-9f1f-8cad074e4892", "name": "Ours", "description": "Kinds"}
    for name, model in (("taxonomies.json", Taxonomy), ("organizations.json", Organization)):
        (tmp_path / name).write_text(json.dumps([record]))
        import_path(tmp_path / name)
        assert model.objects.filter(hsds_id=record["id"]).exists()
    (tmp_path / "export.json").write_text(json.dumps([{**record, "id": "6c4d79d7-cc55-470e-9f1f-8cad074e4892"}]))
    with pytest.raises(HSDSError, match=r"could be organization or taxonomy or taxonomy term .* name the file"):
        import_path(tmp_path / "export.json")


def test_a_11_package_is_refused_with_what_to_do(db):
    before = directory_state()
    with pytest.raises(HSDSError) as error:
        import_path(OTHER / "hsds_1_1_simple")
    message = str(error.value)
    assert "has HSDS 1.x/2.0 tables (services_at_location)" in message
    assert "HSDS 1.1 is not supported" in message and "Convert the data to HSDS 3.0 first" in message
    assert directory_state() == before


def test_a_package_that_says_it_is_11_is_refused(db, tmp_path):
    folder = tmp_path / "package"
    shutil.copytree(EXAMPLES / "csv", folder)
    (folder / "datapackage.json").unlink()
    (folder / "datapackage.json").write_text(json.dumps({"version": "1.1", "resources": [{"path": "services.csv"}]}))
    with pytest.raises(HSDSError, match=r"datapackage.json, -, field 'version': is 1.1: HSDS 1.1 is not supported"):
        import_path(folder)


def test_an_api_page_of_another_version_is_refused(db, tmp_path):
    page = json.loads((EXAMPLES / "service_list.json").read_text())
    (tmp_path / "services.json").write_text(json.dumps({**page, "version": "2.0"}))
    with pytest.raises(HSDSError, match=r"field 'version': is '2.0': HSDS 2.0 is not supported"):
        import_path(tmp_path / "services.json")
    (tmp_path / "services.json").write_text(json.dumps({**page, "version": "3.1"}))
    assert import_path(tmp_path / "services.json").counts["services"]["created"] == 1


def test_the_apis_description_is_not_data(db):
    with pytest.raises(HSDSError, match=r"base.json, \$, field '-': is an HSDS API's description"):
        import_path(EXAMPLES / "base.json")


def test_the_command_lists_what_it_did_and_did_not_keep(db, capsys):
    call_command("import_hsds", str(OTHER / "service_full_3_1.json"))
    out = capsys.readouterr().out
    assert "  phones: 1 created, 4 repeated in the file (merged)" in out
    assert "  languages: 1 created, 7 repeated in the file (merged)" in out
    assert "Not kept: Fields the directory does not keep (records carrying them): " in out
    assert "services.fees (1)" in out and "schedules.wkst (3)" not in out  # one schedule, merged
    assert "schedules.wkst (1)" in out
    assert "Imported " in out and " records read in " in out
