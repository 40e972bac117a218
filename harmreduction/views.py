from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
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


@require_GET
@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """One sign-in page for everyone: the admin's login sends people to ours.

    A signed-in person without admin access is told so; sending them to the
    login page would bounce straight back here.
    """
    if request.user.is_authenticated:
        raise PermissionDenied("Your account does not have access to the admin.")
    return redirect_to_login(request.GET.get("next", "/admin/"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
