"""Scoping: a peer sees their own notes, a supervisor their team's; anything else is a 404."""

import pytest
from django.urls import reverse
from django.utils import timezone

from harmreduction.models import AuditEvent
from sessions_app.models import CheckIn, SupplyGiven


def test_it_shows_a_peer_their_own_checkin_and_audits_it(client, peer, checkin):
    client.force_login(peer)
    response = client.get(checkin.get_absolute_url(), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    assert b"Talked about the weekend." in response.content
    event = AuditEvent.objects.get(action="view", object_id=str(checkin.pk))
    assert (event.user, event.object_type, event.ip) == (peer, "sessions_app.checkin", "10.9.8.7")


@pytest.mark.parametrize("name", ["checkin_detail", "checkin_edit"])
def test_it_hides_another_peers_checkin(client, peer2, checkin, name):
    client.force_login(peer2)
    assert client.get(reverse(f"sessions_app:{name}", args=[checkin.pk])).status_code == 404
    response = client.post(reverse("sessions_app:checkin_addendum", args=[checkin.pk]), {"text": "x"})
    assert response.status_code == 404
    assert client.get(reverse("sessions_app:participant_detail", args=[checkin.participant_id])).status_code == 404


def test_it_shows_the_team_supervisor_but_not_for_editing(client, supervisor, checkin):
    client.force_login(supervisor)
    assert client.get(checkin.get_absolute_url()).status_code == 200
    assert client.get(reverse("sessions_app:checkin_edit", args=[checkin.pk])).status_code == 403
    assert client.get(reverse("sessions_app:participant_detail", args=[checkin.participant_id])).status_code == 200


def test_it_lists_only_what_the_user_may_see(client, peer, peer2, supervisor, checkin, outreach):
    other = CheckIn.objects.create(peer=peer2, method=outreach, note="Someone else's.")
    client.force_login(peer2)
    response = client.get(reverse("sessions_app:checkin_list"))
    assert list(response.context["page"].object_list) == [other]
    client.force_login(supervisor)
    response = client.get(reverse("sessions_app:checkin_list"))
    assert list(response.context["page"].object_list) == [checkin]


def test_it_filters_by_participant_and_dates(client, peer, checkin, outreach):
    CheckIn.objects.create(peer=peer, method=outreach, happened_at=timezone.now() - timezone.timedelta(days=30))
    client.force_login(peer)
    response = client.get(reverse("sessions_app:checkin_list"), {"participant": "cedar-101"})
    assert list(response.context["page"].object_list) == [checkin]
    start = (timezone.localdate() - timezone.timedelta(days=1)).isoformat()
    response = client.get(reverse("sessions_app:checkin_list"), {"start": start})
    assert list(response.context["page"].object_list) == [checkin]


def _many(peer, cedar, outreach, naloxone, n):
    made = CheckIn.objects.bulk_create(
        CheckIn(peer=peer, participant=cedar if i % 2 else None, method=outreach) for i in range(n)
    )
    SupplyGiven.objects.bulk_create(SupplyGiven(checkin=c, item=naloxone, count=1) for c in made)


def test_it_pages_the_list_keeping_the_filters(client, peer, cedar, outreach, naloxone):
    _many(peer, cedar, outreach, naloxone, 30)
    client.force_login(peer)
    url = reverse("sessions_app:checkin_list")
    first = client.get(url, {"method": outreach.pk}).content.decode()
    assert f'href="?method={outreach.pk}&amp;page=2">Next</a>' in first and "Page 1 of 2" in first
    second = client.get(url, {"method": outreach.pk, "page": 2}).content.decode()
    assert f'href="?method={outreach.pk}&amp;page=1">Previous</a>' in second and "Page 2 of 2" in second
    # One page needs no pager.
    assert 'class="pager"' not in client.get(url, {"participant": "cedar-101"}).content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_it_lists_in_a_fixed_number_of_queries(client, peer, cedar, outreach, naloxone, n,
                                               django_assert_num_queries):
    _many(peer, cedar, outreach, naloxone, n)
    client.force_login(peer)
    # session, user, permissions, unread feedback, count, page, filter choices (how, program)
    # +1: Django's ModelBackend reads user and group permissions in two queries.
    with django_assert_num_queries(9):
        response = client.get(reverse("sessions_app:checkin_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_it_shows_a_participant_in_a_fixed_number_of_queries(client, peer, cedar, outreach, naloxone, n,
                                                             django_assert_num_queries):
    _many(peer, cedar, outreach, naloxone, n)
    client.force_login(peer)
    # session, user, permissions, unread feedback, participant, audit line, check-ins, referrals,
    # overdose reversals; +1: Django's ModelBackend reads user and group permissions in two queries.
    with django_assert_num_queries(10):
        response = client.get(reverse("sessions_app:participant_detail", args=[cedar.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="view", object_type="sessions_app.participant").count() == 1


def _title_and_main(html: str) -> tuple[str, str]:
    title = html[html.index("<title>") + 7:html.index("</title>")]
    return title, html[html.index('<main id="main"'):html.index("</main>")]


def test_it_prints_the_part2_notice_with_every_note(client, peer, supervisor, checkin):
    """In the page's body, where it prints; the tab title stays short (it once held the whole notice)."""
    pages = []
    client.force_login(peer)
    for url in (checkin.get_absolute_url(), checkin.participant.get_absolute_url()):
        pages.append(client.get(url).content.decode())
    client.force_login(supervisor)
    pages.append(client.get(reverse("sessions_app:review_checkin", args=[checkin.pk])).content.decode())
    for html in pages:
        title, main = _title_and_main(html)
        assert len(title) < 80 and "<" not in title and "confidentiality" not in title, title
        assert 'class="notice print-only part2-notice"' in main
        assert "protected by Federal confidentiality rules" in main
