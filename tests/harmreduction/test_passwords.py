"""Password rules: no username inside, no published demo password outside DEBUG."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from harmreduction.models import User
from harmreduction.passwords import DEMO_PASSWORD


def _add_person(client, username, password):
    return client.post("/admin/harmreduction/user/add/", {
        "username": username, "password1": password, "password2": password, "usable_password": "true",
    })


@pytest.mark.parametrize(("username", "password", "message"), [
    ("victim", "victim-victim", "Your password can’t contain your username."),
    ("victim", "Victim1234567", "Your password can’t contain your username."),
    ("victim", DEMO_PASSWORD, "This is the demo’s published password"),
])
def test_it_refuses_weak_passwords_when_an_admin_adds_a_person(client, admin, username, password, message):
    client.force_login(admin)
    response = _add_person(client, username, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username=username).exists()


@pytest.mark.parametrize(("password", "message"), [
    ("peer-peer-peer", "Your password can’t contain your username."),
    ("PEER1234567890", "Your password can’t contain your username."),
    (DEMO_PASSWORD, "This is the demo’s published password"),
])
def test_it_refuses_weak_passwords_when_an_admin_sets_one(client, admin, peer, password, message):
    client.force_login(admin)
    before = User.objects.get(pk=peer.pk).password
    response = client.post(f"/admin/harmreduction/user/{peer.pk}/password/", {
        "password1": password, "password2": password, "usable_password": "true",
    })
    assert response.status_code == 200
    assert message in response.content.decode()
    peer.refresh_from_db()
    assert peer.password == before


def test_it_accepts_a_good_password_in_the_admin(client, admin):
    client.force_login(admin)
    response = _add_person(client, "dee", "lantern-orchard-seventeen")
    assert response.status_code == 302
    assert User.objects.get(username="dee").check_password("lantern-orchard-seventeen")


def test_it_accepts_the_demo_password_with_debug_on(settings, peer):
    # The demo on a laptop keeps its one published password (demo_data sets it).
    settings.DEBUG = True
    validate_password(DEMO_PASSWORD, peer)
    settings.DEBUG = False
    with pytest.raises(ValidationError):
        validate_password(DEMO_PASSWORD, peer)


def test_it_leaves_very_short_usernames_to_the_similarity_rule(db):
    # "al" is inside too many good passwords to forbid it; Django's similarity check still applies.
    validate_password("calm-balloon-walk", User(username="al"))
