import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from harmreduction.models import Team, User
from harmreduction.roles import CONTENT_ADMIN, PEER, ROLES, SUPERVISOR


def test_it_creates_the_roles_by_migration(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def test_it_lets_content_admins_read_the_audit_log(content_admin, peer, supervisor):
    assert content_admin.has_perm("harmreduction.view_auditevent")
    assert not peer.has_perm("harmreduction.view_auditevent")
    assert not supervisor.has_perm("harmreduction.view_auditevent")


def test_it_shows_admin_only_to_staff(client, peer, content_admin):
    client.force_login(peer)
    assert b">Admin<" not in client.get("/").content
    client.force_login(content_admin)
    assert b">Admin<" in client.get("/").content


def test_it_gives_the_supervisor_the_team(supervisor, peer):
    assert peer.team.supervisor == supervisor
    assert list(supervisor.supervised_teams.all()) == [peer.team]


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
    from harmreduction.management.commands.demo_data import DEMO_PASSWORD

    call_command("demo_data", force=True, verbosity=0)
    response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
