"""The cast every test knows: peer and peer2 on different teams, supervisor
leading peer's team, admin (content admin and superuser), content_admin (the
role without superuser)."""

import pytest
from django.contrib.auth.models import Group

from harmreduction.models import Team, User
from harmreduction.roles import CONTENT_ADMIN, PEER, SUPERVISOR
from sessions_app.sealed import new_private_pem

# The files that take most of the suite's time (fuzzing, every URL as every role,
# open-now every half hour, HSDS files): `make test-quick` leaves them out for a
# fast inner loop; `make test` and CI run them.
SLOW_FILES = {
    "test_bad_input.py", "test_access_matrix.py", "test_open_now.py",
    "test_hsds.py", "test_hsds_errors.py", "test_hsds_scale.py", "test_hsds_sources.py",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_between_tests():
    # A request in Spanish leaves its thread in Spanish (LocaleMiddleware activates,
    # nothing deactivates): each test starts, and ends, in the default language.
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    # LocMem, or with CACHE_URL the Redis database it names: FLUSHDB empties that
    # database only, never the other databases of the same Redis.
    cache.clear()


@pytest.fixture(autouse=True)
def _sessions_in_the_database_where_queries_are_counted(request, settings):
    """The pinned query counts include reading the session from the database. With
    CACHE_URL the session comes from Redis (cached_db), one query fewer; those tests
    keep the database engine so a count means the same either way. Every other test
    runs with the engine the settings chose (tests/harmreduction/test_cache.py and
    test_two_servers.py test cached_db itself)."""
    if {"django_assert_num_queries", "django_assert_max_num_queries"} & set(request.fixturenames):
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture(autouse=True)
def _two_factor_off(request, settings):
    """Supervisors and admins sign in with force_login or sign_in() in most tests:
    two-step sign-in is off unless a test is marked @pytest.mark.two_factor
    (which sets production's default: Supervisor and Content admin)."""
    if request.node.get_closest_marker("two_factor") is None:
        settings.TWO_FACTOR_REQUIRED_ROLES = []
    else:
        # Production's default (development's is off, for the demo).
        settings.TWO_FACTOR_REQUIRED_ROLES = [SUPERVISOR, CONTENT_ADMIN]


PASSWORD = "a-long-test-password"


def make_user(username, role, team=None, **extra):
    user = User.objects.create_user(username=username, password=PASSWORD, team=team, **extra)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def east(db):
    return Team.objects.create(name="Outreach East")


@pytest.fixture
def west(db):
    return Team.objects.create(name="Drop-in West")


@pytest.fixture
def peer(east):
    return make_user("peer", PEER, east, first_name="Jordan")


@pytest.fixture
def peer2(west):
    return make_user("peer2", PEER, west, first_name="Sam")


@pytest.fixture
def supervisor(east):
    user = make_user("supervisor", SUPERVISOR, east, first_name="Alex")
    east.supervisor = user
    east.save()
    return user


@pytest.fixture
def content_admin(db):
    return make_user("content", CONTENT_ADMIN, is_staff=True, first_name="Kai")


@pytest.fixture
def admin(db):
    return make_user("admin", CONTENT_ADMIN, is_staff=True, is_superuser=True, first_name="Robin")


@pytest.fixture(scope="session")
def offline_pems():
    """Two fresh RSA keys for sealed check-ins (docs/offline.md): the current one and
    an older one still accepted during a rotation. 2048 bits: quick to make."""
    return [new_private_pem(bits=2048).decode() for _ in range(2)]


@pytest.fixture(autouse=True)
def _offline_keys(settings, offline_pems):
    """Tests seal to a key made for the session, never to a development key file."""
    settings.OFFLINE_PRIVATE_KEYS = offline_pems[:1]
    settings.OFFLINE_DEV_KEY_FILE = None
