"""Like a clinical note: editable by its author until reviewed, then addenda only."""

from django.urls import reverse

from harmreduction.models import AuditEvent
from sessions_app.models import Addendum
from tests.sessions_app.conftest import form_data


def test_it_lets_the_author_edit_before_review(client, peer, checkin, outreach):
    client.force_login(peer)
    url = reverse("sessions_app:checkin_edit", args=[checkin.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(outreach, participant_code="Cedar-101", note="Corrected note."))
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.note == "Corrected note."
    assert AuditEvent.objects.filter(action="edit", object_id=str(checkin.pk)).exists()


def test_it_refuses_edits_after_review(client, peer, supervisor, checkin, outreach):
    checkin.mark_reviewed(by=supervisor)
    client.force_login(peer)
    url = reverse("sessions_app:checkin_edit", args=[checkin.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(outreach, note="Overwritten")).status_code == 403
    checkin.refresh_from_db()
    assert checkin.note == "Talked about the weekend."
    assert b">Edit<" not in client.get(checkin.get_absolute_url()).content


def test_it_adds_an_addendum_after_review(client, peer, supervisor, checkin):
    checkin.mark_reviewed(by=supervisor)
    client.force_login(peer)
    response = client.post(reverse("sessions_app:checkin_addendum", args=[checkin.pk]),
                           {"text": "They called back: connected with the clinic."})
    assert response.status_code == 302
    addendum = Addendum.objects.get()
    assert addendum.author == peer and addendum.checkin == checkin
    assert AuditEvent.objects.filter(action="addendum", object_id=str(checkin.pk)).exists()
    assert b"connected with the clinic" in client.get(checkin.get_absolute_url()).content


def test_it_says_when_an_addendum_is_empty(client, peer, checkin):
    client.force_login(peer)
    response = client.post(reverse("sessions_app:checkin_addendum", args=[checkin.pk]), {"text": ""})
    assert response.status_code == 400
    assert "Write what you want to add to the check-in." in response.content.decode()


def test_it_lets_only_the_author_add_addenda(client, supervisor, checkin):
    client.force_login(supervisor)
    response = client.post(reverse("sessions_app:checkin_addendum", args=[checkin.pk]), {"text": "x"})
    assert response.status_code == 403
    assert not Addendum.objects.exists()


def test_it_refuses_get_on_addendum(client, peer, checkin):
    client.force_login(peer)
    assert client.get(reverse("sessions_app:checkin_addendum", args=[checkin.pk])).status_code == 405


def test_it_lets_content_admins_delete_in_the_admin_and_audits_it(client, content_admin, checkin):
    client.force_login(content_admin)
    url = reverse("admin:sessions_app_checkin_delete", args=[checkin.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="delete", object_id=str(checkin.pk), user=content_admin).exists()


def test_it_keeps_notes_out_of_the_admin(client, content_admin, checkin):
    client.force_login(content_admin)
    response = client.get(reverse("admin:sessions_app_checkin_change", args=[checkin.pk]))
    assert response.status_code == 200
    assert b"Talked about the weekend." not in response.content


def test_it_keeps_an_over_long_edit_to_trim(client, peer, checkin, outreach):
    client.force_login(peer)
    note = "x" * 10_001
    response = client.post(reverse("sessions_app:checkin_edit", args=[checkin.pk]),
                           form_data(outreach, note=note, goals="New goal", participant_code="Cedar-101"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "This is 10001 characters long; the limit is 10000." in body
    assert note in body and "New goal" in body
    checkin.refresh_from_db()
    assert checkin.note == "Talked about the weekend."


def test_it_keeps_an_over_long_addendum_to_trim(client, peer, checkin):
    client.force_login(peer)
    text = "a" * 5001
    response = client.post(reverse("sessions_app:checkin_addendum", args=[checkin.pk]), {"text": text})
    assert response.status_code == 400
    body = response.content.decode()
    assert "This is 5001 characters long; the limit is 5000." in body
    assert f"{text}</textarea>" in body and 'maxlength="5000"' not in body
    assert not Addendum.objects.exists()
