"""The sessions the benchmarks and the load test make: ones the app accepts as signed in."""

from django.conf import settings

from perf.server import login_backend, session_cookie, signed_in_session


def test_it_records_the_backend_login_would(settings):
    # axes' backend comes first and cannot load a user: the next one is what login() records.
    settings.AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend",
                                        "django.contrib.auth.backends.ModelBackend"]
    assert login_backend() == "django.contrib.auth.backends.ModelBackend"


def test_it_follows_the_settings_not_a_fixed_path(settings):
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.AllowAllUsersModelBackend"]
    assert login_backend() == "django.contrib.auth.backends.AllowAllUsersModelBackend"


def test_it_makes_a_session_the_app_takes_as_signed_in(client, peer):
    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(peer)
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user == peer


def test_it_gives_the_cookie_of_a_user_by_name(client, peer):
    name, value = session_cookie("peer")
    assert name == settings.SESSION_COOKIE_NAME
    client.cookies[name] = value
    assert client.get("/").wsgi_request.user == peer
