"""A generated package (perf/bench_hsds.py, small here): every record written, progress told, repeatable."""

from io import StringIO

import pytest
from django.core.management import call_command

from perf.bench_hsds import write_package
from resources.hsds import import_path
from resources.models import Language, Schedule, Service, WeeklyOpening

SERVICES = 300


@pytest.fixture
def package(tmp_path):
    folder = tmp_path / "package"
    records = write_package(folder, SERVICES)
    return folder, records


def test_it_writes_every_record_of_a_generated_package(db, package):
    folder, records = package
    seen = []
    report = import_path(folder, progress=seen.append)
    assert sum(seen) == report.records == records
    assert report.counts["services"]["created"] == SERVICES == Service.objects.filter(is_sample=False).count()
    assert report.counts["schedules"]["created"] == 2 * SERVICES == Schedule.objects.count()
    # Written in bulk, so without signals: the import rebuilds what they would have.
    assert WeeklyOpening.objects.filter(service__in=Service.objects.all()).count() >= 2 * SERVICES
    assert Service.objects.filter(terms__code="PC-SSP").count() == SERVICES
    assert Service.objects.filter(search_document__contains="spanish").count() == SERVICES
    assert Language.objects.count() == SERVICES


def test_a_second_import_of_the_package_changes_nothing(db, package):
    folder, _ = package
    import_path(folder)
    report = import_path(folder)
    assert {table: count["created"] + count["updated"] for table, count in report.counts.items()} == dict.fromkeys(
        report.counts, 0
    )
    assert report.counts["services"]["unchanged"] == SERVICES
    assert report.counts["attributes"]["unchanged"] == SERVICES


def test_the_command_prints_a_line_every_thousand_records_off_a_terminal(db, package):
    folder, records = package
    out = StringIO()
    call_command("import_hsds", str(folder), stdout=out)
    lines = out.getvalue().splitlines()
    assert [line for line in lines if line.endswith("records read")] == [
        f"{n:,} records read" for n in range(1000, records + 1, 1000)
    ]
    assert f"  services: {SERVICES} created" in lines
    assert lines[-1].startswith(f"Imported {folder}: {records:,} records read in ")
