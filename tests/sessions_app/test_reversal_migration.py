"""The bare reversal counters on check-ins become one record per counted reversal (migration 0013)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("sessions_app", "0014_supply_units_and_funding_sources")]
AFTER = [("sessions_app", "0015_overdose_reversal_records")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# Migrating backwards and forwards needs real transactions (SQLite alters tables outside
# one). pytest-django runs such tests after all the others; what earlier ones emptied
# (the seeded lists) this test makes for itself.
@pytest.mark.django_db(transaction=True)
def test_it_makes_one_record_per_counted_reversal(peer, cedar):
    apps = _migrate(BEFORE)
    CheckIn = apps.get_model("sessions_app", "CheckIn")
    method = apps.get_model("sessions_app", "ContactMethod").objects.get_or_create(name="Street outreach")[0]
    one = CheckIn.objects.create(peer_id=peer.pk, participant_id=cedar.pk, method=method, happened_on="2026-10-02",
                                 happened_at="2026-10-02T12:00Z", overdoses_reversed=1, naloxone_used=2)
    two = CheckIn.objects.create(peer_id=peer.pk, method=method, happened_on="2026-10-05",
                                 happened_at="2026-10-05T12:00Z", overdoses_reversed=2, naloxone_used=3)
    doses_only = CheckIn.objects.create(peer_id=peer.pk, method=method, happened_on="2026-10-06",
                                        happened_at="2026-10-06T12:00Z", naloxone_used=1)
    CheckIn.objects.create(peer_id=peer.pk, method=method, happened_on="2026-10-07", happened_at="2026-10-07T12:00Z")

    apps = _migrate(AFTER)
    OverdoseReversal = apps.get_model("sessions_app", "OverdoseReversal")
    rows = list(OverdoseReversal.objects.order_by("checkin_id", "pk").values_list(
        "checkin_id", "participant_id", "reported_by_id", "reported_on", "naloxone_doses", "outcome", "happened_on",
        "area", "ems_called"))
    unknown = ("unknown", None, "", None)
    assert [(r[0], r[1], r[2], str(r[3]), r[4], *r[5:]) for r in rows] == [
        (one.pk, cedar.pk, peer.pk, "2026-10-02", 2, *unknown),
        # Two counted on one check-in: the doses stay whole, on the first.
        (two.pk, None, peer.pk, "2026-10-05", 3, *unknown),
        (two.pk, None, peer.pk, "2026-10-05", None, *unknown),
        # Doses with no reversal counted: one response of unknown outcome, so no dose is lost.
        (doses_only.pk, None, peer.pk, "2026-10-06", 1, *unknown),
    ]

    # And back: the counters again.
    apps = _migrate(BEFORE)
    CheckIn = apps.get_model("sessions_app", "CheckIn")
    assert list(CheckIn.objects.order_by("pk").values_list("overdoses_reversed", "naloxone_used")) == [
        (1, 2), (2, 3), (1, 1), (0, 0)]
    _migrate(AFTER)
