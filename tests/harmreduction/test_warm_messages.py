"""Never Django's bare "This field is required.": each form says what to do (issue 14, item 13)."""

import pytest
from django import forms
from django.urls import reverse

from harmreduction.forms import FILL_THIS_IN
from sessions_app.models import CheckIn, ContactMethod, Feedback

pytestmark = pytest.mark.django_db

BARE = "This field is required."


def test_it_gives_every_form_field_a_warm_default():
    class AnyForm(forms.Form):
        name = forms.CharField()
        when = forms.DateField()
        which = forms.ChoiceField(choices=[("a", "A")])

    form = AnyForm({})
    assert not form.is_valid()
    for name in ["name", "when", "which"]:
        assert form.errors[name] == [str(FILL_THIS_IN)]


def test_it_says_what_to_do_on_an_empty_check_in(client, peer):
    client.force_login(peer)
    response = client.post(reverse("sessions_app:checkin_new"), {"note": "Talked by the river."})
    body = response.content.decode()
    assert BARE not in body
    assert "Choose how you met: everything you wrote is still here." in body
    assert "Say when you met: a date and a time." in body
    assert "Talked by the river." in body


def test_it_says_what_to_do_on_an_empty_addendum_or_reply(client, peer, supervisor):
    checkin = CheckIn.objects.create(peer=peer, method=ContactMethod.objects.get(name="Street outreach"))
    Feedback.objects.create(checkin=checkin, author=supervisor, text="How did the ride go?")
    client.force_login(peer)
    addendum = client.post(reverse("sessions_app:checkin_addendum", args=[checkin.pk]), {"text": ""})
    assert "Write what you want to add to the check-in." in addendum.content.decode()
    reply = client.post(reverse("sessions_app:checkin_reply", args=[checkin.pk]), {"text": ""})
    assert "Write your reply, then send it." in reply.content.decode()
    for response in (addendum, reply):
        assert BARE not in response.content.decode()


def test_it_says_what_to_do_on_an_empty_password_change(client, peer):
    client.force_login(peer)
    body = client.post(reverse("account:password_change"), {
        "old_password": "", "new_password1": "", "new_password2": "",
    }).content.decode()
    assert BARE not in body
    for message in ["Type the password you use now.", "Type a new password.",
                    "Type the new password again, to be sure."]:
        assert message in body


def test_it_says_what_to_do_on_an_empty_sign_in(client, peer):
    body = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert BARE not in body


def test_it_is_warm_in_the_admin_too(client, content_admin):
    client.force_login(content_admin)
    body = client.post(reverse("admin:sessions_app_program_add"), {}).content.decode()
    assert BARE not in body and str(FILL_THIS_IN) in body
