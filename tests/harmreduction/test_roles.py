from django.contrib.auth.models import Group

from harmreduction.roles import ROLES


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


def test_it_words_the_home_tiles_for_who_reads_them(client, peer, supervisor):
    # A supervisor's lists hold the team's check-ins too (issue 14, item 13).
    client.force_login(peer)
    body = client.get("/").content.decode()
    assert "The check-ins you have logged, newest first." in body
    assert "your team" not in body.replace("Your team&#x27;s", "")
    client.force_login(supervisor)
    body = client.get("/").content.decode()
    assert "The check-ins you have logged" not in body
    assert "Check-ins by you and your team, newest first." in body
    assert "Who you and your team said you would check back with" in body
    assert "Feedback and questions on your check-ins and your team&#x27;s." in body
