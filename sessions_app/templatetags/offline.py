"""What the check-in form needs for saving without signal (docs/offline.md)."""

from django import template
from django.utils.translation import gettext, ngettext

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


# The words the check-in form's scripts show, in the reader's language, handed to them in the
# page as JSON (json_script): the scripts hold no words of their own, and the copy kept for use
# without signal (docs/offline.md) carries its person's language with it. "%(…)s" is filled in
# by the script.


@register.simple_tag
def checkin_form_texts() -> dict:
    """For static/js/checkin-form.js."""
    return {
        "one_fewer": gettext("One fewer %(item)s"),
        "one_more": gettext("One more %(item)s"),
        "referral_status": gettext("Where the referral to %(service)s stands"),
        "add": gettext("Add"),
        "add_service": gettext("Add %(service)s"),
        "no_copy": gettext("Referral search needs signal, and no copy of the directory is kept on this tablet yet."),
        "searching_copy": gettext("No signal: searching the directory's copy kept on this tablet."),
        "no_match": gettext("No service in the copy matches “%(query)s”."),
        "coach_off": gettext("The language coach is off without signal. It comes back with the signal."),
    }


@register.simple_tag
def offline_queue_texts() -> dict:
    """For static/js/offline-queue.js, on every page (templates/sessions_app/_offline_queue_texts.html).

    A count's sentence comes in its two English-and-Spanish forms, "one" and "other", picked by
    the browser's Intl.PluralRules for the page's language.
    """
    return {
        "queued": gettext("Not sent yet: no signal. This check-in is locked on this tablet and will be sent when "
                          "the signal is back. You can start the next one."),
        "no_signal": gettext("Not sent yet: no signal. What you typed is still on this page; Save check-in keeps "
                             "it, locked on this tablet, until the signal is back."),
        "no_signal_plain": gettext("Not sent yet: no signal. What you typed is still on this page, not kept yet; "
                                   "keep the page open and we try again when the signal is back."),
        "server_trouble": gettext("Not kept as a draft: the server did not take it. What you typed is still on "
                                  "this page."),
        "not_kept": gettext("Not saved: no signal, and this tablet could not keep it. Keep this page open and tap "
                            "Save check-in again when the signal is back."),
        "saving": gettext("Saving…"),
        "waiting": {form: ngettext(
            "%(count)s check-in waiting to send. Locked on this tablet until the signal is back; only you can "
            "send it.",
            "%(count)s check-ins waiting to send. Locked on this tablet until the signal is back; only you can "
            "send them.", n) for form, n in (("one", 1), ("other", 2))},
        "returned": gettext("A check-in you saved without signal needs another look: %(link)s."),
        "open_it": gettext("open it"),
    }
