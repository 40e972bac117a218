from django.core.management import call_command

from demo.sample_directory import generate_services, load_sample_directory
from resources.models import Schedule, Service, TaxonomyTerm
from resources.service_kinds import TERMS


def test_it_loads_about_forty_sample_services_idempotently(db):
    count = load_sample_directory()
    assert 35 <= count <= 45
    assert load_sample_directory() == count
    assert Service.objects.count() == count
    assert not Service.objects.filter(is_sample=False).exists()


def test_it_covers_every_kind_medication_and_payment(db):
    load_sample_directory()
    used = set(TaxonomyTerm.objects.filter(services__isnull=False).values_list("code", flat=True))
    assert {code for code, _, facet, *_ in TERMS if facet != "other"} <= used


def test_it_has_split_overnight_and_round_the_clock_hours(db):
    load_sample_directory()
    rows = list(Schedule.objects.all())
    assert any(r.closes_at < r.opens_at for r in rows), "past midnight"
    assert any(r.closes_at == r.opens_at for r in rows), "24 hours"
    per_service_day = {}
    for r in rows:
        per_service_day.setdefault((r.service_id, r.byday), []).append(r)
    assert any(len(v) > 1 for v in per_service_day.values()), "split hours"


def test_it_generates_services_for_benchmarks_idempotently(db):
    assert generate_services(120) == 120
    assert generate_services(120) == 0
    assert Service.objects.count() == 120
    assert Service.objects.search("syringe").exists()
    assert Service.objects.filter(schedules__isnull=False).distinct().count() == 120


def test_demo_data_loads_the_directory_and_takes_a_size(db):
    call_command("demo_data", force=True, verbosity=0, directory_size=15)
    assert Service.objects.filter(is_sample=True).count() == load_sample_directory() + 15
