"""Every URL pattern × every role, with the outcome each should get.

Generated from the URLconf: a URL added without a line here fails
`test_it_has_an_entry_for_every_url`. Outcomes: 200 (or 302 where the page
redirects), 403 for a missing permission, 404 for someone else's record (no
existence leak), 405 for GET on anything that changes data, "login" for a
redirect to sign in.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from harmreduction.roles import PEER
from resources.models import Card
from sessions_app.models import CheckIn, ContactMethod, Participant, Referral, ReturnedCheckIn
from tests.resources.conftest import make_service
from tests.urlwalk import url_patterns

ROLES = ["anonymous", "peer", "peer2", "supervisor", "content_admin", "admin"]

# pattern: outcome for a GET by (anonymous, peer, peer2, supervisor, content admin, superuser).
# Records in the paths belong to `peer` (team Outreach East, led by `supervisor`).
GET = {
    "": ("login", 200, 200, 200, 200, 200),
    "healthz": (200, 200, 200, 200, 200, 200),
    # The installable app (docs/offline.md): the worker, manifest and offline page for anyone;
    # the list of pages to keep for whoever is signed in.
    "sw.js": (200, 200, 200, 200, 200, 200),
    "manifest.webmanifest": (200, 200, 200, 200, 200, 200),
    "offline/": (200, 200, 200, 200, 200, 200),
    "offline/copy.json": ("login", 200, 200, 200, 200, 200),
    "login/": (200, 302, 302, 302, 302, 302),
    "logout/": ("login", 405, 405, 405, 405, 405),
    "checkins/": ("login", 200, 200, 200, 403, 200),
    "checkins/new/": ("login", 200, 200, 200, 403, 200),
    "checkins/draft/": ("login", 405, 405, 405, 405, 405),
    "checkins/draft/discard/": ("login", 405, 405, 405, 405, 405),
    "checkins/coach/": ("login", 405, 405, 405, 405, 405),
    "checkins/referrals/search/": ("login", 200, 200, 200, 403, 200),
    "checkins/referrals/row/": ("login", 200, 200, 200, 403, 200),
    "checkins/offline/": ("login", 405, 405, 405, 405, 405),
    # Back to the check-in saved under that key, or to the form when none of theirs is.
    "checkins/saved/<uuid:key>/": ("login", 302, 302, 302, 403, 302),
    # A check-in sent without signal and returned to fix: its author's alone.
    "checkins/returned/<int:pk>/": ("login", 200, 404, 404, 403, 404),
    "checkins/<int:pk>/": ("login", 200, 404, 200, 403, 404),
    "checkins/<int:pk>/edit/": ("login", 200, 404, 403, 403, 404),
    "checkins/<int:pk>/addendum/": ("login", 405, 405, 405, 405, 405),
    "checkins/<int:pk>/reply/": ("login", 405, 405, 405, 405, 405),
    "checkins/<int:pk>/follow-up-done/": ("login", 405, 405, 405, 405, 405),
    "participants/<int:pk>/": ("login", 200, 404, 200, 403, 404),
    "referrals/<int:pk>/status/": ("login", 405, 405, 405, 405, 405),
    # Possible duplicates across every team, and merging: content admins only.
    "participants/duplicates/": ("login", 403, 403, 403, 200, 200),
    "participants/merge/": ("login", 405, 405, 405, 405, 405),
    "participants/<int:pk>/reversals/": ("login", 405, 405, 405, 405, 405),
    "review/": ("login", 403, 403, 200, 403, 200),
    "review/<int:pk>/": ("login", 403, 403, 200, 403, 404),
    "feedback/": ("login", 200, 200, 200, 200, 200),
    "follow-ups/": ("login", 200, 200, 200, 403, 200),
    "dashboard/": ("login", 403, 403, 200, 200, 200),
    "dashboard/figures.csv": ("login", 403, 403, 200, 200, 200),
    "dashboard/notes.csv": ("login", 403, 403, 403, 200, 200),
    # Counts only: supervisors for their teams, content admins for everyone, never peers.
    "reports/funders/": ("login", 403, 403, 200, 200, 200),
    "reports/funders.csv": ("login", 403, 403, 200, 200, 200),
    # Everyone's own account pages.
    "account/keep-alive/": ("login", 405, 405, 405, 405, 405),
    "account/settings/": ("login", 200, 200, 200, 200, 200),
    "account/sessions/": ("login", 200, 200, 200, 200, 200),
    "account/password/": ("login", 200, 200, 200, 200, 200),
    "account/sessions/<int:pk>/end/": ("login", 405, 405, 405, 405, 405),
    "account/sessions/end-others/": ("login", 405, 405, 405, 405, 405),
    "account/two-factor/": ("login", 200, 200, 200, 200, 200),
    "account/two-factor/verify/": ("login", 302, 302, 302, 302, 302),  # no app set up yet: to set-up
    "account/two-factor/off/": ("login", 405, 405, 405, 405, 405),
    # The directory: everyone reads it; content admins keep it true (a service in the paths).
    "directory/": ("login", 200, 200, 200, 200, 200),
    "directory/stale/": ("login", 403, 403, 403, 200, 200),
    "directory/offline/": ("login", 200, 200, 200, 200, 200),
    "directory/<int:pk>/": ("login", 200, 200, 200, 200, 200),
    "directory/<int:pk>/slip/": ("login", 200, 200, 200, 200, 200),
    "directory/<int:pk>/qr.svg": ("login", 200, 200, 200, 200, 200),
    "directory/<int:pk>/verified/": ("login", 405, 405, 405, 405, 405),
    # The library is for everyone signed in (a card fit to show a participant in the paths).
    "library/": ("login", 200, 200, 200, 200, 200),
    "library/words/": ("login", 200, 200, 200, 200, 200),
    "library/<slug:slug>/": ("login", 200, 200, 200, 200, 200),
    "library/<slug:slug>/show/": ("login", 200, 200, 200, 200, 200),
}

# What changes data, posted by each role: (pattern, data, outcomes as above).
POST = [
    ("checkins/<int:pk>/edit/", {}, ("login", 200, 404, 403, 403, 404)),
    ("checkins/<int:pk>/addendum/", {"text": "Later: they called."}, ("login", 302, 404, 403, 403, 404)),
    ("checkins/<int:pk>/reply/", {"text": "Thank you."}, ("login", 302, 404, 403, 403, 404)),
    ("checkins/<int:pk>/follow-up-done/", {}, ("login", 302, 404, 403, 403, 404)),
    ("review/<int:pk>/", {"text": "Well done."}, ("login", 403, 403, 302, 403, 404)),
    # A peer moves their own referrals on, a supervisor the team's; content admins see no check-ins.
    ("referrals/<int:pk>/status/", {"status": "accepted"}, ("login", 302, 404, 302, 403, 404)),
    # The same participant twice: "choose two different" (the happy path is in test_participant_merge).
    ("participants/merge/", {"keep": "1", "merge": "1"}, ("login", 403, 403, 403, 400, 400)),
    # A reversal told on the participant's page: whoever may see the participant (peer, their supervisor).
    ("participants/<int:pk>/reversals/", {"reversal_outcome": "alive"}, ("login", 302, 404, 302, 403, 404)),
    ("checkins/draft/", {"note": "typing"}, ("login", 200, 200, 200, 403, 200)),
    ("checkins/coach/", {"coach_field": "note", "note": "typing"}, ("login", 200, 200, 200, 403, 200)),
    ("checkins/offline/", {}, ("login", 400, 400, 400, 403, 400)),  # not a sealed check-in
    ("account/keep-alive/", {}, ("login", 204, 204, 204, 204, 204)),
    # Their own language, whoever they are (a choice not offered: the form again).
    ("account/settings/", {"language": "vi"}, ("login", 200, 200, 200, 200, 200)),
    ("directory/<int:pk>/verified/", {}, ("login", 403, 403, 403, 302, 302)),
    ("account/sessions/<int:pk>/end/", {}, ("login", 404, 404, 404, 404, 404)),  # not one of theirs
    # A wrong current password: the form again, for everyone (their own account only).
    ("account/password/", {"old_password": "not-it", "new_password1": "lantern-orchard-17",
                           "new_password2": "lantern-orchard-17"}, ("login", 200, 200, 200, 200, 200)),
    ("library/words/", {"text": "a sentence to check"}, ("login", 200, 200, 200, 200, 200)),
]


@pytest.fixture
def cast(peer, peer2, supervisor, content_admin, admin):
    return {"anonymous": None, "peer": peer, "peer2": peer2, "supervisor": supervisor,
            "content_admin": content_admin, "admin": admin}


@pytest.fixture
def record(peer):
    participant = Participant.objects.create(code="Cedar-101", created_by=peer)
    checkin = CheckIn.objects.create(peer=peer, participant=participant,
                                     method=ContactMethod.objects.first(), note="A note.")
    Referral.objects.create(checkin=checkin, service=make_service("Eastside Exchange"))
    return checkin


def _path(pattern, record):
    if pattern.startswith("participants/"):
        pk = record.participant_id
    elif pattern.startswith("checkins/returned/"):
        pk = ReturnedCheckIn.objects.get_or_create(user=record.peer, sealed_key=record.key)[0].pk
    elif pattern.startswith("referrals/"):
        pk = record.referrals.get().pk
    elif pattern.startswith("directory/"):
        pk = record.referrals.get().service_id
    else:
        pk = record.pk
    card = Card.objects.filter(audience=Card.Audience.PARTICIPANT).first()
    path = "/" + pattern.replace("<int:pk>", str(pk)).replace("<slug:slug>", card.slug)
    path = path.replace("<uuid:key>", str(record.key))
    if pattern == "checkins/referrals/row/":
        path += f"?service={record.referrals.get().service_id}"
    return path


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    return response.status_code


def test_it_has_an_entry_for_every_url():
    missing = [p for p, _, _ in url_patterns() if not p.startswith("admin/") and p not in GET]
    assert not missing, f"Add these URL patterns to the access matrix: {missing}"


@pytest.mark.parametrize("role", ROLES)
def test_it_gives_each_role_the_expected_outcome_on_get(client, cast, record, role):
    if cast[role]:
        client.force_login(cast[role])
    index = ROLES.index(role)
    got = {p: _outcome(client.get(_path(p, record))) for p in GET}
    expected = {p: outcomes[index] for p, outcomes in GET.items()}
    assert got == expected


@pytest.mark.parametrize("role", ROLES)
def test_it_gives_each_role_the_expected_outcome_on_post(client, cast, record, role):
    index = ROLES.index(role)
    for pattern, data, outcomes in POST:
        if cast[role]:
            client.force_login(cast[role])
        assert _outcome(client.post(_path(pattern, record), data)) == outcomes[index], pattern


@pytest.mark.parametrize("role", ["peer", "supervisor"])
def test_it_keeps_non_staff_out_of_the_admin(client, cast, role):
    client.force_login(cast[role])
    for pattern, _, path in url_patterns():
        if pattern.startswith("admin/"):
            response = client.get(path, follow=True)
            assert response.status_code == 403, pattern
            assert b"does not have access to the admin" in response.content


def test_it_never_errors_in_the_admin_for_staff(client, content_admin):
    client.force_login(content_admin)
    for pattern, _, path in url_patterns():
        if pattern.startswith("admin/"):
            assert client.get(path).status_code < 500, pattern


def test_it_applies_a_revoked_permission_on_the_next_request(client, peer):
    client.force_login(peer)
    assert client.get("/checkins/").status_code == 200
    Group.objects.get(name=PEER).permissions.remove(Permission.objects.get(codename="view_checkin"))
    assert client.get("/checkins/").status_code == 403
