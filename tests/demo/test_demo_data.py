import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.management.commands.demo_data import DEMO_PASSWORD
from harmreduction.models import Team, User
from harmreduction.roles import CONTENT_ADMIN, PEER, SUPERVISOR
from sessions_app.models import FundingSource, OverdoseReversal, SupplyGiven, SupplyItem


def test_it_loads_demo_data_idempotently(db):
    call_command("demo_data", force=True, verbosity=0)
    call_command("demo_data", force=True, verbosity=0)
    assert User.objects.count() == 4
    peer, peer2 = User.objects.get(username="peer"), User.objects.get(username="peer2")
    supervisor = User.objects.get(username="supervisor")
    assert peer.has_role(PEER) and peer2.has_role(PEER) and peer.team != peer2.team
    assert supervisor.has_role(SUPERVISOR) and peer.team.supervisor == supervisor
    admin = User.objects.get(username="admin")
    assert admin.has_role(CONTENT_ADMIN) and admin.is_superuser
    assert Team.objects.count() == 2


def test_it_fills_what_funders_count(db):
    call_command("demo_data", force=True, verbosity=0)
    # Every seeded item paid for by one of three made-up funders; syringes collected back;
    # overdose reversals told at some check-ins, with their short fields.
    assert FundingSource.objects.count() == 3
    assert not SupplyItem.objects.filter(funding_source__isnull=True).exists()
    assert SupplyGiven.objects.filter(item__collected=True, collected__gt=0).exists()
    assert not SupplyGiven.objects.filter(item__collected=False, collected__gt=0).exists()
    reversals = OverdoseReversal.objects.all()
    assert reversals.exists() and not reversals.filter(checkin__isnull=True).exists()
    assert reversals.exclude(area="").exists() and reversals.filter(naloxone_doses__isnull=False).exists()


@pytest.mark.parametrize("username", ["peer", "peer2", "supervisor", "admin"])
def test_it_lets_every_demo_user_sign_in(client, db, username):
    call_command("demo_data", force=True, verbosity=0)
    response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_it_refuses_to_run_with_debug_off_without_force(db, settings):
    # Production has no demo app at all (tests/perf/test_production.py); perf.settings has it
    # with DEBUG off, where this guard keeps a published password out of a database by accident.
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("demo_data", verbosity=0)
    assert not User.objects.exists()
