"""What the check-in form needs for saving without signal (docs/offline.md)."""

from django import template

from sessions_app.models import ReturnedCheckIn
from sessions_app.sealed import current_key

register = template.Library()


@register.simple_tag
def offline_key():
    """The public half of the current key, to seal check-ins in the browser; None if none is set."""
    return current_key()


@register.simple_tag(takes_context=True)
def returned_checkins(context):
    """Check-ins this person sent without signal that wait for another look."""
    return list(ReturnedCheckIn.objects.waiting_for(context["request"].user))
