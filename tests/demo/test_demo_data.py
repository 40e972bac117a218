import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.management.commands.demo_data import DEMO_PASSWORD
from harmreduction.models import Team, User
from harmreduction.roles import CONTENT_ADMIN, PEER, SUPERVISOR
from resources import content
from resources.models import Card, Service
from sessions_app.models import FundingSource, OverdoseReversal, SupplyGiven, SupplyItem


def test_it_loads_demo_data_idempotently(db):
    call_command("demo_data", force=True, verbosity=0)
    call_command("demo_data", force=True, verbosity=0)
    assert User.objects.count() == 5
    peer, peer2 = User.objects.get(username="peer"), User.objects.get(username="peer2")
    supervisor = User.objects.get(username="supervisor")
    assert peer.has_role(PEER) and peer2.has_role(PEER) and peer.team != peer2.team
    assert supervisor.has_role(SUPERVISOR) and peer.team.supervisor == supervisor
    admin = User.objects.get(username="admin")
    assert admin.has_role(CONTENT_ADMIN) and admin.is_superuser
    # A content admin as content admins are: staff, not a superuser (issue 14, item 13).
    content = User.objects.get(username="content")
    assert content.has_role(CONTENT_ADMIN) and content.is_staff and not content.is_superuser
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


@pytest.mark.parametrize("username", ["peer", "peer2", "supervisor", "content", "admin"])
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


def test_it_keeps_what_an_admin_changed_when_run_again(db):
    # `make run` calls demo_data on every start (issue 14, item 15).
    call_command("demo_data", force=True, verbosity=0)
    service = Service.objects.get(name="Division Street Syringe Exchange")
    service.description = "Moved upstairs; ring the bell."
    service.save()
    card = Card.objects.get(slug="methadone")
    card.summary = "Our clinic list changed: ask at the desk."
    card.save()
    peer = User.objects.get(username="peer")
    peer.set_password("a-password-only-jordan-knows")
    peer.save()
    services = Service.objects.count()

    out = io.StringIO()
    call_command("demo_data", force=True, stdout=out)

    assert Service.objects.get(pk=service.pk).description == "Moved upstairs; ring the bell."
    assert Card.objects.get(slug="methadone").summary == "Our clinic list changed: ask at the desk."
    assert User.objects.get(username="peer").check_password("a-password-only-jordan-knows")
    assert Service.objects.count() == services
    assert "Directory: not empty, left as it is (--reset reloads the sample services)." in out.getvalue()


def test_it_puts_the_demo_back_with_reset(db):
    call_command("demo_data", force=True, verbosity=0)
    service = Service.objects.get(name="Division Street Syringe Exchange")
    first_description = service.description
    service.description = "Moved upstairs; ring the bell."
    service.save()
    Card.objects.filter(slug="methadone").update(summary="edited")
    User.objects.filter(username="peer").update(is_active=True, first_name="Someone else")
    peer = User.objects.get(username="peer")
    peer.set_password("a-password-only-jordan-knows")
    peer.save()

    call_command("demo_data", force=True, reset=True, verbosity=0)

    assert Service.objects.get(pk=service.pk).description == first_description
    assert Card.objects.get(slug="methadone").summary != "edited"
    assert User.objects.get(username="peer").check_password(DEMO_PASSWORD)
    assert User.objects.get(username="peer").first_name == "Jordan"


def test_it_refills_an_emptied_library(db):
    Card.objects.all().delete()
    call_command("demo_data", force=True, verbosity=0)
    assert Card.objects.count() == len(content.read_cards())


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
