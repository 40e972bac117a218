"""The client's address behind the documented proxy: X-Forwarded-For is read
only from TRUSTED_PROXIES, and the sign-in pause, the audit log and the
sessions page all use that one address."""

from datetime import timedelta
from ipaddress import ip_address

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as settings_for_hypothesis
from hypothesis import strategies as st

from harmreduction.checks import check_trusted_proxies
from harmreduction.client_address import client_address
from harmreduction.models import AuditEvent, UserSession
from tests.conftest import PASSWORD

PROXY = "127.0.0.1"


def _address(remote_addr, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(RequestFactory().get("/", **headers))


def test_it_takes_a_direct_client_as_it_is():
    assert _address("203.0.113.5") == "203.0.113.5"


def test_it_ignores_the_header_when_no_proxy_is_trusted(settings):
    # The default: nothing trusted, so a header anyone can send changes nothing.
    assert settings.TRUSTED_PROXIES == []
    assert _address(PROXY, "198.51.100.7") == PROXY


def test_it_reads_the_client_behind_one_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert _address(PROXY, "203.0.113.5") == "203.0.113.5"


def test_it_ignores_a_header_forged_by_an_untrusted_client(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    # Straight to the app server, past the proxy: the header is the client's own words.
    assert _address("198.51.100.9", "10.0.0.1") == "198.51.100.9"
    # Through the proxy, which appends the real address to what the client sent.
    assert _address(PROXY, "10.0.0.1, 198.51.100.9") == "198.51.100.9"


def test_it_walks_back_through_two_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.0.0.0/8"]
    assert _address(PROXY, "203.0.113.5, 10.1.2.3") == "203.0.113.5"
    # A forged leftmost entry stays ignored: the rightmost untrusted hop is the client.
    assert _address(PROXY, "192.0.2.66, 203.0.113.5, 10.1.2.3") == "203.0.113.5"


def test_it_takes_the_leftmost_when_every_hop_is_trusted(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.0.0.0/8"]
    assert _address(PROXY, "10.9.9.9, 10.1.2.3") == "10.9.9.9"


def test_it_stops_at_garbage_in_the_header(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.0.0.0/8"]
    assert _address(PROXY, "") == PROXY
    assert _address(PROXY, "not-an-address") == PROXY
    assert _address(PROXY, "203.0.113.5:443, 10.1.2.3") == "10.1.2.3"
    assert _address(PROXY, "203.0.113.5,,10.1.2.3") == "10.1.2.3"


def test_it_reads_ipv6(settings):
    settings.TRUSTED_PROXIES = ["::1"]
    assert _address("::1", "2001:db8::5") == "2001:db8::5"
    # An IPv4 client as an IPv6 socket reports it is still an IPv4 address.
    assert _address("::ffff:203.0.113.5") == "203.0.113.5"


HOPS = ["203.0.113.5", "10.1.2.3", PROXY, "2001:db8::5", "::ffff:198.51.100.9", "", "unknown", "1.2.3.4:80", "[::1]"]


@settings_for_hypothesis(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(HOPS) | st.text(max_size=40), max_size=6).map(",".join))
def test_it_always_answers_an_address_it_was_given(forwarded_for):
    with override_settings(TRUSTED_PROXIES=[PROXY, "10.0.0.0/8"]):
        address = _address(PROXY, forwarded_for)
    # Never a word the client made up: an address, and one the proxy or the header named.
    ip_address(address)
    assert address == PROXY or address in forwarded_for


def test_it_refuses_a_malformed_setting(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/33", "proxy.internal"]
    errors = check_trusted_proxies(None)
    assert [e.id for e in errors] == ["harmreduction.E001"]
    assert "10.0.0.0/33" in errors[0].msg and "proxy.internal" in errors[0].msg
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        _address(PROXY, "203.0.113.5")
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8", "::1"]
    assert check_trusted_proxies(None) == []


# Behind the proxy, end to end.


def _via_proxy(address):
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def _try(client, password="not-the-password"):
    return client.post(reverse("login"), {"username": "peer", "password": password})


def test_it_pauses_one_client_not_everyone_behind_the_proxy(settings, peer):
    settings.TRUSTED_PROXIES = [PROXY]
    guesser = _via_proxy("198.51.100.9")
    for _ in range(5):
        _try(guesser)
    assert _try(guesser, PASSWORD).context["locked_out"] is True
    # The same person on their own phone, through the same proxy, still signs in.
    assert _try(_via_proxy("203.0.113.5"), PASSWORD).status_code == 302
    assert set(AuditEvent.objects.filter(action="login failed").values_list("ip", flat=True)) == {"198.51.100.9"}


def test_it_counts_down_the_pause_for_the_client_behind_the_proxy(settings, peer):
    settings.TRUSTED_PROXIES = [PROXY]
    guesser = _via_proxy("198.51.100.9")
    for _ in range(5):
        _try(guesser)
    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address == "198.51.100.9"
    AccessAttempt.objects.update(attempt_time=attempt.attempt_time - timedelta(minutes=11))
    assert "try again in 4 minutes" in _try(guesser).content.decode()


def test_it_lists_the_client_address_on_the_sessions_page(settings, peer):
    settings.TRUSTED_PROXIES = [PROXY]
    client = _via_proxy("203.0.113.5")
    assert _try(client, PASSWORD).status_code == 302
    assert UserSession.objects.get(user=peer).ip == "203.0.113.5"
    assert "203.0.113.5" in client.get(reverse("account:sessions")).content.decode()
    assert AuditEvent.objects.get(action="login").ip == "203.0.113.5"
