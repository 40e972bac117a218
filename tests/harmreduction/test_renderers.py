"""The form renderer draws plain inputs in Python: byte for byte what Django's templates draw."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict

from harmreduction.renderers import Renderer


class Everything(forms.Form):
    name = forms.CharField(max_length=20, help_text="What they like to be called", initial='"Dee" <b>&')
    count = forms.IntegerField(min_value=0, max_value=999, widget=forms.NumberInput(attrs={"class": "count"}))
    when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput, initial="k<ey>")
    agree = forms.BooleanField(required=False, initial=True)
    how = forms.ChoiceField(choices=[("1", "Street <outreach>"), ("2", "Drop-in")], widget=forms.RadioSelect)
    topics = forms.MultipleChoiceField(
        choices=[("a", "Naloxone"), ("b", "Test strips & more")], widget=forms.CheckboxSelectMultiple
    )
    site = forms.URLField(required=False)
    mail = forms.EmailField(required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)
    pick = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")])


def draw(form) -> str:
    parts = [form.as_div()]
    for field in form:
        parts.append(str(field))
        parts.append(str(field.errors))
        for option in getattr(field, "subwidgets", []):
            parts.append(option.tag())
            parts.append(option.tag(wrap_label=True))
    return "\n".join(parts)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": "x" * 30, "count": "-3", "how": "9", "topics": ["a", "zz"], "mail": "nope", "hidden": '"><script>'},
        {"name": "Dee", "count": "3", "when": "2026-12-01T10:00", "day": "2026-12-01", "secret": "s3cret<",
         "hidden": "k", "agree": "on", "how": "2", "topics": ["a", "b"], "pick": "y"},
    ],
)
def test_it_draws_what_djangos_templates_draw(data):
    ours = draw(Everything(data, renderer=Renderer()))
    djangos = draw(Everything(data, renderer=DjangoTemplates()))
    assert ours == djangos
    assert "<input" in ours


def test_it_draws_the_checkin_form_as_django_does(peer):
    from sessions_app.forms import CheckInForm

    bound = QueryDict(mutable=True)
    bound.update({"method": "", "duration_minutes": "abc", "supply_1": "-1", "note": "x", "topics": "nope"})
    for data in (None, bound):
        ours = CheckInForm(data, user=peer, renderer=Renderer())
        djangos = CheckInForm(data, user=peer, renderer=DjangoTemplates())
        assert draw(ours) == draw(djangos)
