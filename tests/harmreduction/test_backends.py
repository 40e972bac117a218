"""Permissions in one query (harmreduction/backends.py), with ModelBackend's answers."""

from django.contrib.auth.models import Group, Permission

from harmreduction.models import User


def test_it_reads_a_users_own_and_their_groups_permissions_in_one_query(peer, django_assert_num_queries):
    peer.user_permissions.add(Permission.objects.get(codename="verify_service"))
    peer = User.objects.get(pk=peer.pk)
    with django_assert_num_queries(1):
        permissions = peer.get_all_permissions()
    assert "resources.verify_service" in permissions  # the user's own
    assert "sessions_app.add_checkin" in permissions  # from the Peer specialist group
    assert peer.has_perm("resources.view_service") and not peer.has_perm("resources.change_service")


def test_it_forgets_a_revoked_permission_on_the_next_request(client, peer):
    client.force_login(peer)
    assert client.get("/directory/").status_code == 200
    group = peer.groups.get()
    group.permissions.remove(Permission.objects.get(codename="view_service"))
    assert client.get("/directory/").status_code == 403


def test_it_gives_an_inactive_user_nothing(peer):
    peer.is_active = False
    assert peer.get_all_permissions() == set()


def test_it_gives_a_superuser_everything(admin):
    assert admin.get_all_permissions() == {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")
    }


def test_it_knows_a_user_in_no_group_has_no_permissions(db):
    loner = User.objects.create_user("loner", password="x" * 20)
    assert loner.get_all_permissions() == set()
    assert not Group.objects.filter(user=loner).exists()
