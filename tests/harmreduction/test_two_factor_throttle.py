"""The two-step code throttle holds when many codes arrive at the same moment.

Each guess runs in its own thread with its own database connection, as in
gunicorn's workers; only PostgreSQL lets them run side by side.
"""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = [pytest.mark.two_factor, pytest.mark.django_db(transaction=True)]

GUESSES = 20


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections: SQLite runs one writer at a time (run with DATABASE_URL=postgres://…)")


def test_it_checks_one_of_many_simultaneous_wrong_codes(postgresql, supervisor, settings, monkeypatch):
    # A minute's wait after the first miss, so a slow machine cannot make a
    # second check legitimately allowed while the threads are still starting.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = TOTPDevice.objects.create(user=supervisor, name="Authenticator app", confirmed=True)
    clients = [Client() for _ in range(GUESSES)]
    for client in clients:
        client.force_login(supervisor)

    checked = []
    verify = TOTP.verify

    def slow_verify(totp, *args, **kwargs):
        # Counts the codes that reached the real check. The pause widens the
        # window between checking and counting a miss, as a loaded server would.
        checked.append(1)
        time.sleep(0.05)
        return verify(totp, *args, **kwargs)

    monkeypatch.setattr(TOTP, "verify", slow_verify)
    start = threading.Barrier(GUESSES)
    statuses, errors = [], []

    def guess(client):
        try:
            start.wait()
            statuses.append(client.post(reverse("account:two_factor_verify"), {"code": "000000"}).status_code)
        except Exception as error:  # reported below, with the thread's own traceback
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert statuses == [200] * GUESSES
    assert len(checked) == 1
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
