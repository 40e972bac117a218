"""Random and hostile input to every form and htmx endpoint: never a server error.

Each endpoint starts from data that would be accepted, then hypothesis
replaces, repeats or drops some of it with hostile values (unicode, NUL bytes,
huge strings, SQL/HTML/JS payloads, wrong types, numbers that overflow a
database integer, impossible dates, bad UUIDs, other people's record ids), as
the role that may use the endpoint. The property: the answer is below 500 and
no exception escapes the view (the test client re-raises them).

`ENDPOINTS` must name every POST URL and every GET URL that reads a query
string; `test_it_fuzzes_every_url_that_reads_input` fails when a new URL
pattern has no entry and no reason to be left out.
"""

import json
import os
import uuid

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from harmreduction.middleware import LAST_SEEN
from harmreduction.models import UserSession
from resources.models import TaxonomyTerm
from sessions_app.models import CheckIn, ContactMethod, Participant, Program, Referral, ReturnedCheckIn, SupplyItem
from tests.conftest import PASSWORD
from tests.resources.conftest import make_service
from tests.sessions_app.test_checkin_offline import seal
from tests.urlwalk import url_patterns

FUZZ = settings(
    # 30 keeps `make test` quick; FUZZ_EXAMPLES=500 for a longer hunt before a release.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),
    deadline=None,
    # The world below is made once per test; every example builds its own client.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "'; DROP TABLE sessions_app_checkin; --",
    "' OR '1'='1",
    "%00", "\x00", "a\x00b", "\u202e\u0645\u0631\u062d\u0628\u0627", "🙂" * 50, "\ufeff", "\r\n\r\n",
    # Digits int() refuses though str.isdigit() accepts them, and digits it takes from other scripts.
    "²", "²²²²²²", "١٢٣", "x" * 300,
    "{{ 7*7 }}", "{% debug %}", "${7*7}", "../../etc/passwd", "//evil.example/", "http://evil.example/", "http://[",
    "-1", "0", "-0", "1e309", "NaN", "inf", "2147483648", "9223372036854775808", "99999999999999999999999",
    "1.5", "0x10", " 7 ", "true", "null", "[]", "{}",
    "2026-02-30", "0000-00-00", "0001-01-01", "9999-12-31", "10000-01-01", "2026-13-01T25:61",
    "9999-12-31T23:59", "0001-01-01T00:00", "not-a-uuid", "00000000-0000-0000-0000-000000000000",
]


def hostile_text():
    return st.one_of(
        st.sampled_from(PAYLOADS),
        st.text(max_size=60),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=30).map(lambda s: s + "\x00"),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.sampled_from(["x", "ü", "\x00", "<b>"]).flatmap(
            lambda c: st.integers(min_value=1_000, max_value=120_000).map(lambda n: c * n)
        ),
    )


def fuzzed(base: dict, fields: list[str]):
    """`base` with some fields (and a few unknown keys) replaced, repeated or dropped."""

    def mutate(changes):
        data = {k: list(v) if isinstance(v, list) else [v] for k, v in base.items()}
        for key, change in changes.items():
            if change is None:
                data.pop(key, None)
            else:
                data[key] = change
        return data

    keys = st.sampled_from(fields) | st.text(min_size=1, max_size=12)
    change = st.none() | st.lists(hostile_text(), min_size=1, max_size=3)
    return st.dictionaries(keys, change, max_size=6).map(mutate)


@pytest.fixture
def world(peer, peer2, supervisor, content_admin, admin):
    """Records of peer (reviewable by supervisor) and of peer2 (nobody else's business)."""
    cedar = Participant.objects.create(code="Cedar-101", created_by=peer)
    birch = Participant.objects.create(code="Birch-202", created_by=peer2)
    method = ContactMethod.objects.filter(active=True).first()
    service = make_service("Eastside Exchange", terms=["PC-SSP"])
    mine = CheckIn.objects.create(peer=peer, participant=cedar, method=method, note="A note.",
                                  follow_up_on=timezone.localdate())
    theirs = CheckIn.objects.create(peer=peer2, participant=birch, method=method, note="Not yours.",
                                    follow_up_on=timezone.localdate())
    Referral.objects.create(checkin=mine, service=service)
    Client().force_login(peer2)  # a session of someone else's to try to end
    return {
        "peer": peer, "peer2": peer2, "supervisor": supervisor, "content_admin": content_admin, "admin": admin,
        "mine": mine, "theirs": theirs, "cedar": cedar, "birch": birch, "service": service, "method": method,
    }


def checkin_fields(world) -> tuple[dict, list[str]]:
    supply = SupplyItem.objects.filter(active=True).first()
    collected = SupplyItem.objects.filter(collected=True).first()
    service = world["service"]
    base = {
        "key": str(uuid.uuid4()), "happened_at": "2026-11-20T14:30", "method": str(world["method"].pk),
        "program": str(Program.objects.first().pk), "duration_minutes": "20", "topics": ["principles"],
        "goals": "Stay warm.", f"collected_{collected.pk}": "20",
        "reversal_happened_on": "2026-11-19", "reversal_area": "97214", "reversal_naloxone_doses": "2",
        "reversal_ems": "no", "reversal_outcome": "alive",
        "follow_up_on": "2026-11-27", "follow_up_note": "Bring socks.", "note": "Talked a while.",
        "participant_code": "Cedar-101", "preferred_name": "", f"supply_{supply.pk}": "2",
        "referral_service": str(service.pk), f"referral_status_{service.pk}": "offered",
        "language_hints_shown": "1",
    }
    extra = ["new_participant", "referral_remove", "referral_service", "coach_field",
             f"referral_status_{world['service'].pk}", "supply_999999999999", "csrfmiddlewaretoken"]
    return base, [*base, *extra]


def pk_for(world, own: str, other: str):
    """Mostly the caller's own record, sometimes someone else's, a missing one, or one past any integer."""
    return st.sampled_from([world[own].pk] * 4 + [world[other].pk, 0, 2**31, 2**63, 10**30])


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def send(client, method: str, path: str, data: dict, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "GET":
        response = client.get(path, data, headers=headers)
    else:
        response = client.post(path, data, headers=headers)
    assert response.status_code < 500, (method, path, data)
    return response


# pattern -> why it needs no fuzzing (no query string read, no POST body read).
NOT_FUZZED = {
    "": "reads no input",
    "healthz": "reads no input",
    "sw.js": "reads no input",
    "manifest.webmanifest": "reads no input",
    "offline/": "reads no input",
    "offline/copy.json": "reads no input",
    "directory/offline/": "reads no query string (searched in the browser)",
    "logout/": "POST logs out; the body is not read",
    "checkins/draft/discard/": "the body is not read",
    "checkins/saved/<uuid:key>/": "reads no query string; the key is matched by the URL pattern",
    "checkins/<int:pk>/": "reads no query string; ids are fuzzed on its POST siblings",
    "participants/<int:pk>/": "reads no query string",
    "participants/duplicates/": "reads no input",
    "feedback/": "reads no input",
    "follow-ups/": "reads no input",
    "account/keep-alive/": "the body is not read",
    "account/sessions/": "reads no input",
    "account/sessions/end-others/": "the body is not read",
    "account/two-factor/off/": "the body is not read",
    "directory/<int:pk>/": "reads no query string",
    "directory/<int:pk>/slip/": "reads no query string",
    "directory/<int:pk>/qr.svg": "reads no query string",
    "library/<slug:slug>/": "the slug is matched by the URL pattern",
    "library/<slug:slug>/show/": "the slug is matched by the URL pattern",
}
FUZZED = {
    "login/", "checkins/", "checkins/new/", "checkins/draft/", "checkins/coach/", "checkins/referrals/search/",
    "checkins/referrals/row/", "checkins/<int:pk>/edit/", "checkins/<int:pk>/addendum/", "checkins/<int:pk>/reply/",
    "checkins/<int:pk>/follow-up-done/", "review/", "review/<int:pk>/", "dashboard/", "dashboard/figures.csv",
    "dashboard/notes.csv", "account/sessions/<int:pk>/end/", "account/password/", "account/two-factor/",
    "account/two-factor/verify/", "account/settings/",
    "directory/", "directory/stale/", "directory/<int:pk>/verified/", "library/", "library/words/",
    "checkins/offline/", "checkins/returned/<int:pk>/",
    "referrals/<int:pk>/status/", "participants/merge/",
    "participants/<int:pk>/reversals/", "reports/funders/", "reports/funders.csv",
}


def test_it_fuzzes_every_url_that_reads_input():
    patterns = {p for p, _, _ in url_patterns() if not p.startswith("admin/")}
    assert patterns - FUZZED - set(NOT_FUZZED) == set(), "Add the new URL to test_bad_input.py"
    assert FUZZED | set(NOT_FUZZED) == patterns


# Check-ins -------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_new_checkins(world, data):
    base, fields = checkin_fields(world)
    client = client_for(world["peer"])
    send(client, "POST", "/checkins/new/", data.draw(fuzzed(base, fields)))


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_sealed_checkins(world, data):
    # Sealed properly (only the server's key opens it), so what is fuzzed is what is inside.
    base, fields = checkin_fields(world)
    client = client_for(world["peer"])
    form = data.draw(fuzzed(base, fields))
    pairs = [[name, value] for name, values in form.items() for value in values]
    author = data.draw(st.sampled_from([world["peer"].pk] * 3 + [world["peer2"].pk, 0]))
    response = client.post("/checkins/offline/", json.dumps(seal(pairs, author)), content_type="application/json")
    assert response.status_code < 500


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_fixes_of_returned_checkins(world, data):
    base, fields = checkin_fields(world)
    returned = ReturnedCheckIn.objects.get_or_create(user=world["peer"], sealed_key=world["mine"].key)[0]
    client = client_for(world["peer"])
    send(client, "POST", returned.get_absolute_url(), data.draw(fuzzed(base, fields)))


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_edits(world, data):
    base, fields = checkin_fields(world)
    base.pop("key")
    client = client_for(world["peer"])
    pk = data.draw(pk_for(world, "mine", "theirs"))
    send(client, "POST", f"/checkins/{pk}/edit/", data.draw(fuzzed(base, fields)))


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_drafts_and_brings_them_back(world, data):
    base, fields = checkin_fields(world)
    client = client_for(world["peer"])
    send(client, "POST", "/checkins/draft/", data.draw(fuzzed(base, fields)), htmx=True)
    # The draft comes back into the form on the next visit, whatever it holds.
    send(client, "GET", "/checkins/new/", data.draw(fuzzed({}, ["referral"])))


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_coaching(world, data):
    client = client_for(world["peer"])
    base = {"coach_field": "note", "note": "They are an addict", "goals": "get clean"}
    send(client, "POST", "/checkins/coach/", data.draw(fuzzed(base, list(base))), htmx=True)


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_referral_searches(world, data):
    client = client_for(world["peer"])
    send(client, "GET", "/checkins/referrals/search/", data.draw(fuzzed({"q": "eastside"}, ["q"])), htmx=True)
    send(client, "GET", "/checkins/referrals/row/",
         data.draw(fuzzed({"service": str(world["service"].pk)}, ["service"])), htmx=True)


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_addenda_replies_and_follow_ups(world, data):
    client = client_for(world["peer"])
    pk = data.draw(pk_for(world, "mine", "theirs"))
    send(client, "POST", f"/checkins/{pk}/addendum/", data.draw(fuzzed({"text": "They called."}, ["text"])))
    send(client, "POST", f"/checkins/{pk}/reply/", data.draw(fuzzed({"text": "Thanks."}, ["text"])))
    send(client, "POST", f"/checkins/{pk}/follow-up-done/",
         data.draw(fuzzed({"next": "/follow-ups/"}, ["next"])))


@FUZZ
@given(data=st.data(), user=st.sampled_from(["peer", "supervisor"]), htmx=st.booleans())
def test_it_survives_hostile_referral_status_moves(world, data, user, htmx):
    client = client_for(world[user])
    referral = world["mine"].referrals.get()
    pk = data.draw(st.sampled_from([referral.pk] * 4 + [0, 2**31, 2**63, 10**30]))
    base = {"status": "not_connected", "reason": "waitlist", "next": "/follow-ups/"}
    send(client, "POST", f"/referrals/{pk}/status/", data.draw(fuzzed(base, list(base))), htmx=htmx)


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_merges(world, data):
    client = client_for(world["content_admin"])
    base = {"keep": str(world["cedar"].pk), "merge": f"0{world['cedar'].pk}", "confirm": "yes"}
    send(client, "POST", "/participants/merge/", data.draw(fuzzed(base, list(base))))


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_checkin_list_filters(world, data):
    client = client_for(world["peer"])
    base = {"participant": "Cedar-101", "method": str(world["method"].pk), "program": "1",
            "start": "2026-01-01", "end": "2026-12-31", "page": "1"}
    send(client, "GET", "/checkins/", data.draw(fuzzed(base, list(base))))


# Review and figures ------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_review(world, data):
    client = client_for(world["supervisor"])
    base = {"peer": str(world["peer"].pk), "program": "1", "start": "2026-01-01", "end": "2026-12-31", "page": "2"}
    send(client, "GET", "/review/", data.draw(fuzzed(base, list(base))))
    pk = data.draw(pk_for(world, "mine", "theirs"))
    send(client, "POST", f"/review/{pk}/",
         data.draw(fuzzed({"text": "Well done.", "mark_reviewed": ""}, ["text", "mark_reviewed"])))


@FUZZ
@given(data=st.data(), user=st.sampled_from(["supervisor", "admin"]),
       path=st.sampled_from(["/dashboard/", "/dashboard/figures.csv", "/dashboard/notes.csv",
                             "/reports/funders/", "/reports/funders.csv"]))
def test_it_survives_hostile_dashboard_filters(world, data, user, path):
    client = client_for(world[user])
    base = {"start": "2026-01-01", "end": "2026-12-31", "program": "1", "team": str(world["peer"].team_id),
            "quarter": "2026-Q3", "leave_out": ["1", "2"]}
    send(client, "GET", path, data.draw(fuzzed(base, list(base))))


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_reversals_on_a_participant_page(world, data):
    client = client_for(world["peer"])
    base = {"reversal_happened_on": "2026-11-19", "reversal_area": "Old Town", "reversal_naloxone_doses": "2",
            "reversal_ems": "yes", "reversal_outcome": "hospital"}
    participant = data.draw(st.sampled_from([world["cedar"].pk, world["birch"].pk, 0, 2**31]))
    send(client, "POST", f"/participants/{participant}/reversals/", data.draw(fuzzed(base, list(base))))


# Library and directory -----------------------------------------------------------


@FUZZ
@given(data=st.data(), htmx=st.booleans())
def test_it_survives_hostile_library_searches(world, data, htmx):
    client = client_for(world["peer"])
    send(client, "GET", "/library/", data.draw(fuzzed({"q": "naloxone", "category": "principles"},
                                                       ["q", "category"])), htmx=htmx)
    send(client, "POST", "/library/words/", data.draw(fuzzed({"text": "a clean test"}, ["text"])))


@FUZZ
@given(data=st.data(), htmx=st.booleans())
def test_it_survives_hostile_directory_searches(world, data, htmx):
    client = client_for(world["peer"])
    kind = TaxonomyTerm.objects.filter(facet="kind", is_filter=True).values_list("code", flat=True).first()
    base = {"q": "eastside", "kind": kind, "medication": "", "pay": "", "lang": "en", "open": "1",
            "walkin": "1", "page": "1"}
    send(client, "GET", "/directory/", data.draw(fuzzed(base, list(base))), htmx=htmx)


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_directory_upkeep(world, data):
    client = client_for(world["content_admin"])
    send(client, "GET", "/directory/stale/", data.draw(fuzzed({"page": "1"}, ["page"])))
    pk = data.draw(st.sampled_from([world["service"].pk, 0, 2**63, 10**30]))
    send(client, "POST", f"/directory/{pk}/verified/", data.draw(fuzzed({"next": "/directory/"}, ["next"])))


# Signing in and one's account ------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_sign_ins(world, data):
    client = client_for(None)
    base = {"username": "peer", "password": PASSWORD + "-wrong", "next": "/checkins/"}
    send(client, "POST", "/login/", data.draw(fuzzed(base, list(base))))
    send(client, "GET", "/login/", data.draw(fuzzed({"next": "/checkins/"}, ["next"])))


@FUZZ
@given(data=st.data())
def test_it_survives_hostile_account_forms(world, data):
    client = client_for(world["peer"])
    send(client, "POST", "/account/two-factor/", data.draw(fuzzed({"code": "123 456", "next": "/"}, ["code", "next"])))
    send(client, "GET", "/account/two-factor/", data.draw(fuzzed({"next": "/"}, ["next"])))
    # The current password is wrong in the base: a fuzzed form never changes it.
    base = {"old_password": PASSWORD + "-wrong", "new_password1": "lantern-orchard-17",
            "new_password2": "lantern-orchard-17"}
    send(client, "POST", "/account/password/", data.draw(fuzzed(base, list(base))))
    send(client, "POST", "/account/settings/", data.draw(fuzzed({"language": "es"}, ["language"])))
    send(client, "POST", "/account/two-factor/verify/",
         data.draw(fuzzed({"code": "123456", "next": "/"}, ["code", "next"])))
    theirs = UserSession.objects.filter(user=world["peer2"]).values_list("pk", flat=True).get()
    pk = data.draw(st.sampled_from([theirs, 0, 2**63, 10**30]))
    send(client, "POST", f"/account/sessions/{pk}/end/", data.draw(fuzzed({}, ["next"])))

# URLs that urlsplit() refuses or that point elsewhere.
BROKEN_URLS = ["http://[", "http://[::1", "//[", "http://]/", "http://evil.example/checkins/", "javascript:alert(1)"]


@FUZZ
@given(headers=st.fixed_dictionaries({}, optional={
    name: st.sampled_from(BROKEN_URLS) | hostile_text()
    for name in ("User-Agent", "Referer", "HX-Current-URL", "HX-Target", "HX-Trigger")
}))
# The two that were 500s, tried on every run.
@example(headers={"HX-Current-URL": "http://[", "User-Agent": "Mozilla\x00/5.0"})
def test_it_survives_hostile_headers(world, headers):
    """Headers reach the session list (User-Agent) and the sign-in-again path (HX-Current-URL, Referer)."""
    client = Client(headers=headers)
    response = client.post("/login/", {"username": "peer", "password": PASSWORD})
    assert response.status_code < 500
    # The session runs out, then an htmx autosave arrives from the same headers.
    session = client.session
    session[LAST_SEEN] -= 60 * 60
    session.save()
    response = client.post("/checkins/draft/", {"note": "typing"}, headers={"HX-Request": "true", **headers})
    assert response.status_code < 500
