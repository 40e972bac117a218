import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.management.commands.demo_data import DEMO_PASSWORD
from harmreduction.models import Team, User
from harmreduction.roles import CONTENT_ADMIN, PEER, SUPERVISOR


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


def test_it_gives_every_demo_referral_a_dated_history(db):
    from django.utils import timezone

    from sessions_app.models import Referral

    call_command("demo_data", force=True, verbosity=0)
    referrals = list(Referral.objects.prefetch_related("changes").select_related("checkin"))
    assert len(referrals) > 20
    seen = set()
    for referral in referrals:
        changes = list(referral.changes.all())
        assert changes[0].status == "offered" and changes[0].at == referral.checkin.happened_at
        assert changes[-1].status == referral.status and changes[-1].at <= timezone.now()
        assert [c.at for c in changes] == sorted(c.at for c in changes)
        assert (referral.check_back_on is not None) == (referral.status in Referral.OPEN)
        assert (referral.days_to_connect is not None) == any(c.status == "connected" for c in changes)
        assert (referral.reason != "") == (referral.status == "not_connected")
        seen.add(referral.status)
    assert {"offered", "accepted", "connected", "engaged"} <= seen
