"""bench_languages: each page asked for in English and in Spanish, shown to be Spanish, as ratios."""

import io
import re

import pytest
from django.core.management import call_command

from perf.management.commands.bench_languages import Command

pytestmark = [pytest.mark.urls("perf.urls"), pytest.mark.django_db]


@pytest.fixture
def small_demo():
    call_command("demo_data", checkins=30, directory_size=5, force=True, stdout=io.StringIO())


def bench_languages(**options) -> str:
    # perf is installed only under perf.settings (tests/perf/test_production.py): the command itself.
    out = io.StringIO()
    call_command(Command(), requests=1, only="home", stdout=out, **options)
    return out.getvalue()


def test_it_compares_each_page_in_both_languages(small_demo):
    printed = bench_languages()
    row = re.search(r"^home\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$", printed, re.M)
    assert row, printed
    en_per_hello, es_per_hello, es_per_en, seen = row.groups()
    assert float(en_per_hello) > 0 and float(es_per_hello) > 0 and float(es_per_en) > 0
    # The Spanish client got a Spanish page, not an English one it only asked for.
    assert seen == "yes"
    assert "Spanish against English, median over 1 pages" in printed


def test_it_says_no_when_the_page_is_not_in_spanish(small_demo, settings):
    # With Spanish gone from LANGUAGES, the Spanish client gets English: the table says so.
    settings.LANGUAGES = [("en", "English")]
    printed = bench_languages()
    assert re.search(r"^home\s.*\sNO$", printed, re.M), printed
