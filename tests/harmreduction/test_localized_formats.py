"""Dates, times and numbers in the reader's language: named shapes (harmreduction/formats), never spelled."""

from datetime import datetime

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from harmreduction.models import UserSession
from tests.harmreduction.test_account_sessions import TABLET, _sign_in

WHEN = datetime(2026, 12, 2, 14, 5)


def _render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


def test_it_writes_each_date_shape_in_each_language():
    when = timezone.make_aware(WHEN)
    shapes = '{{ d|date:"DATE_FORMAT" }} / {{ d|date:"MONTH_DAY_FORMAT" }} / {{ d|date:"DATETIME_FORMAT" }}'
    assert _render(shapes, "es", d=when) == "2 dic 2026 / mié 2 dic / 2 dic 2026, 14:05"
    assert _render(shapes, "en", d=when) == "Dec 2, 2026 / Wed Dec 2 / Dec 2, 2026, 14:05"


def test_it_writes_decimals_the_way_each_language_does():
    assert _render("{{ n }}", "es", n=2.5) == "2,5"
    assert _render("{{ n }}", "en", n=2.5) == "2.5"


def test_it_shows_your_sessions_with_spanish_dates_and_words(peer):
    peer.language = "es"
    peer.save()
    tablet = _sign_in("peer", TABLET, "10.0.0.5")
    UserSession.objects.update(created=timezone.make_aware(WHEN))
    page = tablet.get(reverse("account:sessions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>mié 2 dic, 14:05</td>" in page
    assert "Chrome en Android" in page
    assert "<h1>Tus sesiones</h1>" in page


def test_it_keeps_the_english_shapes_for_english(peer):
    tablet = _sign_in("peer", TABLET, "10.0.0.5")
    UserSession.objects.update(created=timezone.make_aware(WHEN))
    page = tablet.get(reverse("account:sessions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>Wed Dec 2, 14:05</td>" in page
    assert "Chrome on Android" in page
