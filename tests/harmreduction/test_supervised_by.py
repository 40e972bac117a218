"""User.objects.supervised_by(user): the one name for "the peers this supervisor leads"."""

from harmreduction.models import Team, User
from harmreduction.roles import PEER
from tests.conftest import make_user


def test_it_lists_the_people_on_every_team_a_supervisor_leads(peer, peer2, supervisor, west):
    west.supervisor = supervisor
    west.save()
    assert set(User.objects.supervised_by(supervisor)) == {peer, peer2, supervisor}


def test_it_leaves_out_other_teams_and_people_without_one(peer, peer2, supervisor):
    make_user("newcomer", PEER)
    assert set(User.objects.supervised_by(supervisor)) == {peer, supervisor}


def test_it_is_empty_for_someone_who_leads_no_team(peer, peer2, supervisor):
    assert not User.objects.supervised_by(peer).exists()
    Team.objects.create(name="No lead yet")
    assert not User.objects.supervised_by(peer2).exists()


def test_it_keeps_create_user_working(db):
    user = User.objects.create_user(username="casey", password="a-long-test-password")
    assert user.check_password("a-long-test-password")
