import math

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import DatabaseError, connection
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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
