"""The admin as a content admin meets it: the app's name, and only what they look after (issue 14, item 13)."""

import pytest
from django.contrib.auth.models import Group

from harmreduction.roles import CONTENT_ADMIN

pytestmark = pytest.mark.django_db


def test_it_names_the_admin_after_the_app(client, content_admin):
    client.force_login(content_admin)
    page = client.get("/admin/").content.decode()
    assert "Django administration" not in page and "Django site admin" not in page
    assert "Peer companion: admin" in page
    assert "<title>What you look after | Peer companion admin</title>" in page


def test_it_shows_a_content_admin_no_sign_in_pauses_or_two_step_devices(client, content_admin):
    client.force_login(content_admin)
    page = client.get("/admin/").content.decode()
    for section in ["Library and directory", "Check-ins and review", "People and audit"]:
        assert section in page
    for raw in ['href="/admin/axes/"', 'href="/admin/otp_totp/"', "Axes", "OTP_TOTP", "TOTP"]:
        assert raw not in page
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 403


def test_it_gives_the_content_admin_group_no_permission_on_those_apps():
    codenames = Group.objects.get(name=CONTENT_ADMIN).permissions.values_list("content_type__app_label", flat=True)
    assert not {"axes", "otp_totp", "otp_static", "sessions", "contenttypes", "auth"} & set(codenames)


def test_it_still_shows_them_to_a_superuser(client, admin):
    client.force_login(admin)
    page = client.get("/admin/").content.decode()
    assert 'href="/admin/axes/"' in page and 'href="/admin/otp_totp/"' in page
