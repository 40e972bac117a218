"""Two app servers, one PostgreSQL database and one Redis (docs/deploy.md, "Scaling out").

Two gunicorns with production settings on two loopback ports, sharing the
test database and a private Redis as CACHE_URL: a person signed in on one is
signed in on the other, signed out on one is signed out on both, and an
admin's edit through one is on the other's directory at its next request.
"""

import http.client
import os
import re
import subprocess
import sys
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import override_settings

from harmreduction.models import User
from harmreduction.roles import CONTENT_ADMIN, PEER
from perf.server import HOST, gunicorn, signed_in_session
from resources.models import Organization, Service
from tests.redis_server import free_port, needs_redis_server, private_redis

pytestmark = [pytest.mark.slow, needs_redis_server]

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-test-password"


class Visitor:
    """One browser: its cookies, sent to whichever server it is pointed at. No redirects followed."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value:
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return response.status, response.getheader("Location", ""), text
        finally:
            conn.close()

    def csrf_token(self, port: int, path: str) -> str:
        status, _, page = self.request(port, "GET", path)
        assert status == 200, (path, status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.fixture
def servers(transactional_db, tmp_path):
    """Ports of two gunicorns sharing this test's database and one Redis."""
    if connection.vendor != "postgresql":
        pytest.skip("two app servers share one database: needs PostgreSQL (set DATABASE_URL)")
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    # With DEBUG off the pages name hashed static files: collectstatic's manifest, in a
    # folder of this test's own (the checkout's staticfiles/ may be in use by another run).
    static_root = str(tmp_path / "static")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, check=True,
                   env={**os.environ, "DEBUG": "0", "SECRET_KEY": settings.SECRET_KEY, "STATIC_ROOT": static_root})
    with private_redis() as redis:
        env = {"DATABASE_URL": database_url, "CACHE_URL": redis.url, "CONN_MAX_AGE": "0", "STATIC_ROOT": static_root}
        with (gunicorn(free_port(), 1, settings_module="harmreduction.settings", env=env) as one,
              gunicorn(free_port(), 1, settings_module="harmreduction.settings", env=env) as two):
            yield [int(server.url.rsplit(":", 1)[1]) for server in (one, two)]


def make_user(username: str, role: str, **extra) -> User:
    # The servers check passwords with the production hashers, not the tests' fast one.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_it_shares_sign_in_sign_out_and_directory_edits_between_two_servers(servers):
    one, two = servers
    make_user("peer", PEER, first_name="Jordan")
    admin = make_user("admin", CONTENT_ADMIN, is_staff=True, is_superuser=True)
    organization = Organization.objects.create(name="Harbor Light Collective")
    service = Service.objects.create(organization=organization, name="Harbor Light Syringe Services",
                                     status="active", time_zone="America/Los_Angeles")
    service.refresh_search_document()

    # Signed in on one, signed in on the other.
    peer = Visitor()
    token = peer.csrf_token(one, "/login/")
    status, location, _ = peer.request(one, "POST", "/login/",
                                       {"csrfmiddlewaretoken": token, "username": "peer", "password": PASSWORD})
    assert (status, location) == (302, "/")
    status, _, home = peer.request(two, "GET", "/")
    assert status == 200 and "Jordan" in home

    # Both servers have drawn the directory (its rows and language list now in the cache).
    for port in (one, two):
        status, _, page = peer.request(port, "GET", "/directory/?q=harbor")
        assert status == 200 and "Harbor Light Syringe Services" in page
        assert "Vietnamese" not in page

    # A content admin renames the service and adds a language, through server one's admin.
    staff = Visitor()
    staff.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(admin)
    change = f"/admin/resources/service/{service.pk}/change/"
    data = {
        "csrfmiddlewaretoken": staff.csrf_token(one, change),
        "name": "Harbor Light Harm Reduction", "organization": organization.pk, "status": "active",
        "time_zone": "America/Los_Angeles",
        "languages-TOTAL_FORMS": 1, "languages-INITIAL_FORMS": 0,
        "languages-0-language": "vi",  # picked from the list (resources/forms.py LanguageAdminForm)
    }
    for inline in ("service_at_locations", "schedules", "phones", "cost_options"):
        data |= {f"{inline}-TOTAL_FORMS": 0, f"{inline}-INITIAL_FORMS": 0}
    status, _, page = staff.request(one, "POST", change, data)
    assert status == 302, page[:2000]

    # The next request on server two shows both.
    status, _, page = peer.request(two, "GET", "/directory/?q=harbor")
    assert status == 200
    assert "Harbor Light Harm Reduction" in page and "Harbor Light Syringe Services" not in page
    assert re.search(r'name="lang" value="vi"[^>]*> Vietnamese', page)  # the language filter

    # Signed out on one, refused on the other: the same cookie now leads to the sign-in page.
    cookie = peer.cookies[settings.SESSION_COOKIE_NAME]
    token = peer.csrf_token(one, "/")
    status, _, _ = peer.request(one, "POST", "/logout/", {"csrfmiddlewaretoken": token})
    assert status == 302
    stale = Visitor()
    stale.cookies[settings.SESSION_COOKIE_NAME] = cookie
    status, location, _ = stale.request(two, "GET", "/")
    assert status == 302 and location.startswith("/login/")
