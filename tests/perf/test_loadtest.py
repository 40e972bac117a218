"""The load test's own safety and arithmetic (the run itself is `make loadtest`, not part of the suite)."""

import pytest
from django.core.management.base import CommandError

from perf.management.commands.loadtest import Command, Sample, percentile, summarize


@pytest.mark.parametrize("db", [
    {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "NAME": "companion"},
    {"ENGINE": "django.db.backends.postgresql", "HOST": "db.internal", "NAME": "companion_load"},
    {"ENGINE": "django.db.backends.sqlite3", "HOST": "", "NAME": "db_load"},
])
def test_it_refuses_to_drop_any_database_but_a_local_load_one(db):
    # It drops and recreates its database: a production name or host must never get that far.
    with pytest.raises(CommandError):
        Command()._check_database(db)


def test_it_accepts_a_loopback_database_named_for_the_load_test():
    Command()._check_database({"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1",
                               "NAME": "companion_load"})


def test_it_takes_nearest_rank_percentiles():
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 0.50), percentile(values, 0.95), percentile(values, 0.99)) == (50, 95, 99)
    assert percentile([7.0], 0.99) == 7
    assert percentile([], 0.5) == 0


def test_it_counts_errors_and_rates_per_kind_and_overall():
    samples = [Sample("a", 0, 0.010, True), Sample("a", 0, 0.030, False), Sample("b", 0, 0.020, True)]
    rows = {row["kind"]: row for row in summarize(samples, seconds=2)}
    assert rows["a"]["requests"] == 2 and rows["a"]["errors"] == 1 and rows["a"]["per_second"] == 1
    assert rows["all"]["requests"] == 3 and rows["all"]["errors"] == 1
    assert rows["all"]["p50_ms"] == pytest.approx(20)
