import math

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import DatabaseError, connection
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from harmreduction.middleware import refresh_session_clock
from harmreduction.models import AuditEvent, UserSession


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "harmreduction/home.html")


@never_cache
@require_GET
@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 200 when this app server can reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def login_locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What axes answers (AXES_LOCKOUT_CALLABLE) when a username is paused on this address.

    Our own sign-in page with a kind message and the minutes left, status 429;
    the username stays typed in. The form is unbound so showing it does not
    try the password again.
    """
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    last_try = AccessAttempt.objects.filter(
        username=username, ip_address=request.META.get("REMOTE_ADDR")
    ).aggregate(at=Max("attempt_time"))["at"]
    cooloff = settings.AXES_COOLOFF_TIME
    remaining = (last_try + cooloff - timezone.now()) if last_try else cooloff
    minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    return render(request, "registration/login.html", {
        "form": AuthenticationForm(request, initial={"username": username}),
        "locked_out": True,
        "minutes_left": minutes,
        "next": request.POST.get("next", ""),
    }, status=429)


@require_POST
def keep_alive(request: HtmxHttpRequest) -> HttpResponse:
    """ "Stay signed in": the idle clock starts again (session.js posts here)."""
    refresh_session_clock(request, force=True)
    return HttpResponse(status=204)


def _other_sessions(request: HtmxHttpRequest):
    return UserSession.objects.filter(user=request.user).exclude(session_key=request.session.session_key)


@require_GET
def account_sessions(request: HtmxHttpRequest) -> HttpResponse:
    """Where this person is signed in right now, this device first."""
    sessions = list(UserSession.objects.filter(user=request.user).active())
    current_key = request.session.session_key
    for session in sessions:
        session.is_current = session.session_key == current_key
    sessions.sort(key=lambda s: not s.is_current)
    return render(request, "harmreduction/account_sessions.html", {
        "sessions": sessions,
        "has_others": any(not s.is_current for s in sessions),
    })


@require_POST
def account_session_end(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    # Someone else's session (or this one: "Sign out" is for that) is a 404.
    session = get_object_or_404(_other_sessions(request), pk=pk)
    AuditEvent.record(request, "end session", request.user)
    session.end()
    messages.success(request, f"Signed out on {session.device}.")
    return redirect("account:sessions")


@require_POST
def account_sessions_end_others(request: HtmxHttpRequest) -> HttpResponse:
    ended = 0
    for session in _other_sessions(request):
        AuditEvent.record(request, "end session", request.user)
        session.end()
        ended += 1
    if ended:
        messages.success(request, f"Signed out on {ended} other device{'s' if ended != 1 else ''}.")
    else:
        messages.info(request, "You were not signed in anywhere else.")
    return redirect("account:sessions")
