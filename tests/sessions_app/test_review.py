from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harmreduction.models import AuditEvent
from sessions_app.models import CheckIn, Feedback, OverdoseReversal

QUEUE = reverse("sessions_app:review_queue")


def test_it_queues_the_teams_unreviewed_checkins_oldest_first(client, supervisor, peer, peer2, outreach, cedar):
    first = CheckIn.objects.create(peer=peer, method=outreach)
    second = CheckIn.objects.create(peer=peer, method=outreach, participant=cedar)
    CheckIn.objects.create(peer=peer2, method=outreach)  # another team
    reviewed = CheckIn.objects.create(peer=peer, method=outreach)
    reviewed.mark_reviewed(by=supervisor)
    client.force_login(supervisor)
    response = client.get(QUEUE)
    assert list(response.context["page"].object_list) == [first, second]


def test_it_flags_what_a_supervisor_should_look_at(client, supervisor, peer, outreach):
    yesterday = timezone.localdate() - timedelta(days=1)
    flagged = CheckIn.objects.create(peer=peer, method=outreach, follow_up_on=yesterday,
                                     language_hints_shown=True, note="x" * (CheckIn.LONG_NOTE + 1))
    OverdoseReversal.objects.create(checkin=flagged, reported_by=peer, reported_on=flagged.happened_on)
    CheckIn.objects.create(peer=peer, method=outreach, note="Short and sweet.", follow_up_on=timezone.localdate())
    client.force_login(supervisor)
    body = client.get(QUEUE).content.decode()
    rows = body.split("<tr>")[2:]
    assert all(flag in rows[0] for flag in
               ["Overdose reported", "Follow-up overdue", "Language suggestions shown", "Long note"])
    assert "Follow-up due today" in rows[1]
    assert not any(flag in rows[1] for flag in ["Overdose reported", "Long note", "Language suggestions"])


def test_it_filters_the_queue_by_peer_and_program(client, supervisor, peer, outreach, east):
    from harmreduction.roles import PEER
    from sessions_app.models import Program
    from tests.conftest import make_user

    other = make_user("peer3", PEER, east, first_name="Ari")
    impact = Program.objects.get(name="OHSU Project IMPACT")
    mine = CheckIn.objects.create(peer=peer, method=outreach, program=impact)
    CheckIn.objects.create(peer=other, method=outreach)
    client.force_login(supervisor)
    assert list(client.get(QUEUE, {"peer": peer.pk}).context["page"].object_list) == [mine]
    assert list(client.get(QUEUE, {"program": impact.pk}).context["page"].object_list) == [mine]


@pytest.mark.parametrize("n", [2, 20])
def test_it_shows_the_queue_in_a_fixed_number_of_queries(client, supervisor, peer, outreach, n,
                                                          django_assert_num_queries):
    CheckIn.objects.bulk_create(CheckIn(peer=peer, method=outreach) for _ in range(n))
    client.force_login(supervisor)
    # session, user, perms (2), unread feedback, peers of the team and programs (filters), the team's
    # ids, count, the page's ids, the page's rows (ids first: index-only, see review_queue)
    # +1: Django's ModelBackend reads user and group permissions in two queries.
    with django_assert_num_queries(11):
        assert client.get(QUEUE).status_code == 200


def test_it_pages_the_queue_keeping_the_filters(client, supervisor, peer, outreach):
    CheckIn.objects.bulk_create(CheckIn(peer=peer, method=outreach) for _ in range(30))
    client.force_login(supervisor)
    body = client.get(QUEUE, {"peer": peer.pk}).content.decode()
    assert f'href="?peer={peer.pk}&amp;page=2">Next</a>' in body and "Page 1 of 2" in body
    assert len(client.get(QUEUE, {"peer": peer.pk, "page": 2}).context["page"].object_list) == 5


def test_it_is_for_supervisors_only(client, peer, content_admin):
    for user in (peer, content_admin):
        client.force_login(user)
        assert client.get(QUEUE).status_code == 403


def test_it_reviews_with_feedback_that_reaches_the_peer_only(client, supervisor, peer, peer2, checkin):
    client.force_login(supervisor)
    url = reverse("sessions_app:review_checkin", args=[checkin.pk])
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="view from review", object_id=str(checkin.pk), user=supervisor).exists()
    response = client.post(url, {"text": "Lovely how you followed their lead on the ride.", "mark_reviewed": "on"})
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.reviewed_by == supervisor and checkin.is_reviewed

    client.force_login(peer2)
    assert b"Lovely how you followed" not in client.get(reverse("sessions_app:feedback_inbox")).content
    assert b'class="count"' not in client.get("/").content

    client.force_login(peer)
    assert b'<span class="count">1<' in client.get("/").content
    assert b"Lovely how you followed" in client.get(reverse("sessions_app:feedback_inbox")).content
    client.get(checkin.get_absolute_url())  # reading the check-in reads its feedback
    assert Feedback.objects.get().read_at is not None
    assert b'class="count"' not in client.get("/").content


def test_it_keeps_a_question_thread_with_the_peer(client, supervisor, peer, checkin):
    client.force_login(supervisor)
    url = reverse("sessions_app:review_checkin", args=[checkin.pk])
    client.post(url, {"text": "Did they get to the clinic?"})
    checkin.refresh_from_db()
    assert not checkin.is_reviewed
    client.force_login(peer)
    response = client.post(reverse("sessions_app:checkin_reply", args=[checkin.pk]), {"text": "Yes, Tuesday."})
    assert response.status_code == 302
    client.force_login(supervisor)
    assert b'<span class="count">1<' in client.get("/").content
    body = client.get(url).content.decode()
    assert "Did they get to the clinic?" in body and "Yes, Tuesday." in body


def test_it_asks_for_feedback_or_a_tick(client, supervisor, checkin):
    client.force_login(supervisor)
    response = client.post(reverse("sessions_app:review_checkin", args=[checkin.pk]), {"text": ""})
    assert response.status_code == 400
    assert "Write some feedback or a question" in response.content.decode()


def test_it_hides_other_teams_checkins_from_review(client, supervisor, peer2, outreach):
    other = CheckIn.objects.create(peer=peer2, method=outreach)
    client.force_login(supervisor)
    assert client.get(reverse("sessions_app:review_checkin", args=[other.pk])).status_code == 404
    response = client.post(reverse("sessions_app:review_checkin", args=[other.pk]), {"mark_reviewed": "on"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert not other.is_reviewed


def test_it_lets_only_the_author_reply(client, supervisor, checkin):
    client.force_login(supervisor)
    assert client.post(reverse("sessions_app:checkin_reply", args=[checkin.pk]), {"text": "x"}).status_code == 403


def test_it_closes_a_follow_up(client, peer, supervisor, checkin):
    checkin.follow_up_on = timezone.localdate() - timedelta(days=2)
    checkin.save()
    client.force_login(supervisor)
    page = client.get(reverse("sessions_app:follow_ups"))
    assert page.context["groups"]["overdue"] == [checkin]
    assert list(page.context["by_peer"].values()) == [{"overdue": 1, "due": 0, "upcoming": 0}]
    assert client.post(reverse("sessions_app:follow_up_done", args=[checkin.pk])).status_code == 403
    client.force_login(peer)
    assert client.get(reverse("sessions_app:follow_up_done", args=[checkin.pk])).status_code == 405
    client.post(reverse("sessions_app:follow_up_done", args=[checkin.pk]))
    checkin.refresh_from_db()
    assert checkin.follow_up_done_at is not None
    assert client.get(reverse("sessions_app:follow_ups")).context["groups"]["done"] == [checkin]


def test_it_goes_back_to_a_next_url_that_is_a_bare_word(client, peer, checkin):
    # redirect() once read "follow-ups" as a view name and raised NoReverseMatch (a 500).
    checkin.follow_up_on = timezone.localdate()
    checkin.save()
    client.force_login(peer)
    response = client.post(reverse("sessions_app:follow_up_done", args=[checkin.pk]), {"next": "follow-ups"})
    assert response.status_code == 302 and response["Location"] == "follow-ups"
    checkin.refresh_from_db()
    assert checkin.follow_up_done_at is not None


def test_it_keeps_over_long_feedback_to_trim(client, supervisor, checkin):
    client.force_login(supervisor)
    text = "f" * 4001
    response = client.post(reverse("sessions_app:review_checkin", args=[checkin.pk]), {"text": text})
    assert response.status_code == 400
    body = response.content.decode()
    assert "This is 4001 characters long; the limit is 4000." in body and f">{text}</textarea>" in body
    assert not Feedback.objects.exists()
    checkin.refresh_from_db()
    assert checkin.reviewed_at is None
