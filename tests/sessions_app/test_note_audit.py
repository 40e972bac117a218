"""Every page that shows what a peer wrote about a person writes an audit line
(issue 13, item 8: the edit page showed the whole note and wrote none).

The walk covers every URL pattern, so a page added later that shows a note is
held to the same rule without anyone remembering this test."""

import pytest
from django.utils import timezone

from harmreduction.models import AuditEvent
from sessions_app.models import Addendum
from tests.urlwalk import url_patterns

NOTE = "Marker-note-5e1d: talked about a warm place to sleep."
GOALS = "Marker-goal-5e1d: see the dentist."
FOLLOW_UP = "Marker-follow-5e1d: bring socks."
ADDENDUM = "Marker-addendum-5e1d: they found a bed."
MARKERS = (NOTE, GOALS, FOLLOW_UP, ADDENDUM)


def path_for(pattern: str, sample: str, checkin) -> str:
    if pattern.startswith(("checkins/<int:pk>", "review/<int:pk>")):
        return sample.replace("/1/", f"/{checkin.pk}/", 1)
    if pattern.startswith("participants/<int:pk>"):
        return sample.replace("/1/", f"/{checkin.participant_id}/", 1)
    return sample


@pytest.fixture
def written(checkin, peer):
    checkin.note, checkin.goals = NOTE, GOALS
    checkin.follow_up_on, checkin.follow_up_note = timezone.localdate(), FOLLOW_UP
    checkin.save()
    Addendum.objects.create(checkin=checkin, author=peer, text=ADDENDUM)
    return checkin


@pytest.mark.parametrize("role", ["peer", "peer2", "supervisor", "content_admin", "admin"])
def test_it_audits_every_page_that_shows_a_note(client, request, written, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    today = timezone.localdate().isoformat()
    shown = set()
    for pattern, name, sample in url_patterns():
        if pattern.startswith("admin/") or name in {"logout"}:
            continue
        path = path_for(pattern, sample, written)
        query = {"start": today, "end": today} if pattern.startswith("dashboard/") else {}
        before = AuditEvent.objects.count()
        response = client.get(path, query)
        body = b"".join(response) if response.streaming else response.content
        if response.status_code == 200 and any(marker.encode() in body for marker in MARKERS):
            shown.add(name)
            assert AuditEvent.objects.count() > before, f"{path} shows a note to {role} and writes no audit line"
    # The walk really reached the pages that show notes (it cannot pass by finding none).
    expected = {
        "peer": {"sessions_app:checkin_detail", "sessions_app:checkin_edit", "sessions_app:participant_detail",
                 "sessions_app:follow_ups"},
        "supervisor": {"sessions_app:checkin_detail", "sessions_app:review_checkin", "sessions_app:follow_ups",
                       "sessions_app:participant_detail"},
        # Content admins may export notes (docs/security.md), audited; nothing else shows them one.
        "content_admin": {"sessions_app:notes_csv"},
        "admin": {"sessions_app:notes_csv"},
    }.get(role, set())
    assert expected <= shown, shown
    if role in ("peer2", "content_admin"):
        assert shown == expected
