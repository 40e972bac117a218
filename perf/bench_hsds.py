"""HSDS import at scale: a generated tabular package of N services, imported with the real code.

    python -m perf.bench_hsds 20000          # into the database DATABASE_URL names (migrated)
    python -m perf.bench_hsds 5000 20000     # one process per size, so each peak is its own
    python -m perf.bench_hsds --trace 5000   # and a second, traced import for Python's own peak

Prints the file size, records, elapsed time and peak memory of each import: the
process's peak resident size (resource.getrusage) above what it held before the
import, and the peak of Python's own allocations (tracemalloc, which slows the
run: its time is printed apart). CSV is streamed, so memory should grow with the
number of records only through the import's index of ids, not with the file.
Run it with DEBUG off, as `make bench` does: with DEBUG on, Django keeps the SQL
of the last 9,000 queries (bulk inserts of 500 rows), which doubles the growth.
Every run writes new ids (seeded by the size and the clock), so it creates
rather than updates; run it on a throwaway database.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

PER_ORGANIZATION = 10
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
HEADERS = {
    "organizations": "id name description email website",
    "services": "id organization_id name description status eligibility_description minimum_age",
    "locations": "id organization_id location_type name latitude longitude",
    "addresses": "id location_id address_1 city state_province postal_code country address_type",
    "service_at_location": "id service_id location_id",
    "phones": "id service_id number type",
    "schedules": "id service_id freq byday opens_at closes_at",
    "languages": "id service_id name code",
    "attributes": "id link_id link_entity link_type taxonomy_term_id",
}


def write_package(folder: Path, services: int, seed: str = "bench") -> int:
    """A tabular HSDS 3.0 package of `services` services (with a location, address, phone, two
    schedules, a language and a tag each) in `folder`. Returns the records written."""
    from resources.service_kinds import term_id

    folder.mkdir(parents=True, exist_ok=True)
    syringe_services = str(term_id("PC-SSP"))
    ids = uuid.uuid5(uuid.NAMESPACE_URL, f"peer-companion-bench:{seed}")

    def new_id(kind: str, i: int) -> str:
        return str(uuid.uuid5(ids, f"{kind}:{i}"))

    files = {table: (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") for table in HEADERS}
    writers = {table: csv.writer(files[table]) for table in HEADERS}
    for table, header in HEADERS.items():
        writers[table].writerow(header.split())
    records = 0

    def row(table, *values):
        nonlocal records
        writers[table].writerow(values)
        records += 1

    for o in range((services + PER_ORGANIZATION - 1) // PER_ORGANIZATION):
        row("organizations", new_id("org", o), f"Outreach Collective {o}", "Harm reduction supplies and support.",
            f"team{o}@example.org", f"https://example.org/{o}")  # fmt: skip
    for i in range(services):
        sid, lid, org = new_id("service", i), new_id("location", i), new_id("org", i // PER_ORGANIZATION)
        row("services", sid, org, f"Syringe services {i}", "Supplies, naloxone and referrals. " * 4, "active",
            "Anyone who uses drugs.", 16)  # fmt: skip
        row("locations", lid, org, "physical", f"Site {i}", f"{45 + i % 100 / 1000:.6f}", f"{-122 - i % 97 / 1000:.6f}")
        row("addresses", new_id("address", i), lid, f"{100 + i % 900} SE Example St", "Portland", "OR", "97214", "US",
            "physical")  # fmt: skip
        row("service_at_location", new_id("sal", i), sid, lid)
        row("phones", new_id("phone", i), sid, f"503-555-{i % 10000:04d}", "voice")
        row("schedules", new_id("schedule-a", i), sid, "WEEKLY", "MO,TU,WE,TH,FR", "09:00", "17:00")
        row("schedules", new_id("schedule-b", i), sid, "WEEKLY", DAYS[i % 7], "18:00", "22:00")
        row("languages", new_id("language", i), sid, "Spanish", "es")
        row("attributes", new_id("attribute", i), sid, "service", "kind", syringe_services)
    for file in files.values():
        file.close()
    package = {
        "name": "generated-directory",
        "profile": "tabular-data-package",
        "version": "3.0.0",
        "resources": [{"name": t, "path": f"{t}.csv", "format": "csv"} for t in HEADERS],
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2))
    return records


def _megabytes_rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def bench(services: int, trace: bool = False) -> dict:
    """Generate, import, measure. Django must be set up and the database migrated."""
    from resources.hsds import import_path

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "package"
        records = write_package(folder, services, seed=f"{services}:{time.time_ns()}")
        size = sum(f.stat().st_size for f in folder.iterdir())
        before = _megabytes_rss()
        started = time.monotonic()
        report = import_path(folder, max_megabytes=None)
        seconds = time.monotonic() - started
        result = {
            "services": services,
            "records": records,
            "file_mb": size / 1e6,
            "seconds": seconds,
            "rss_growth_mb": _megabytes_rss() - before,
            "created": sum(c["created"] for c in report.counts.values()),
        }
        if trace:
            # A second package of the same size, traced: tracemalloc slows Python several times.
            again = Path(tmp) / "again"
            write_package(again, services, seed=f"{services}:{time.time_ns()}:traced")
            tracemalloc.start()
            started = time.monotonic()
            import_path(again, max_megabytes=None)
            result["traced_seconds"] = time.monotonic() - started
            result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
    return result


def report_line(r: dict) -> str:
    line = (
        f"{r['services']:,} services: {r['records']:,} records, {r['file_mb']:.1f} MB of CSV, imported in "
        f"{r['seconds']:.1f} s ({r['records'] / r['seconds']:,.0f} records/s), {r['created']:,} created; "
        f"peak resident size grew {r['rss_growth_mb']:.0f} MB"
    )
    if "traced_peak_mb" in r:
        line += f"; Python allocations peaked at {r['traced_peak_mb']:.0f} MB (traced run, {r['traced_seconds']:.0f} s)"
    return line


def main(argv: list[str]) -> None:
    trace = "--trace" in argv
    sizes = [int(a.replace(",", "").replace("_", "")) for a in argv if a != "--trace"] or [20_000]
    if len(sizes) > 1:
        # One process a size: a process's peak resident size never goes down.
        for size in sizes:
            subprocess.run([sys.executable, __file__, *(["--trace"] if trace else []), str(size)], check=True)
        return
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmreduction.settings")
    django.setup()
    print(f"HSDS import ({os.environ.get('DATABASE_URL', 'default database')}): " + report_line(bench(sizes[0], trace)))


if __name__ == "__main__":
    main(sys.argv[1:])
