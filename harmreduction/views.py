import json
import math
from base64 import b32encode
from binascii import unhexlify
from datetime import timedelta
from urllib.parse import urlencode

import segno
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from harmreduction import app_shell
from harmreduction.client_address import client_address
from harmreduction.forms import ChangePasswordForm, CodeForm, LanguageForm
from harmreduction.middleware import TWO_FACTOR_STEP, refresh_session_clock
from harmreduction.models import AuditEvent, User, UserSession


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


# How long the home page of those who can export notes says someone else now can too.
EXPORT_ACCESS_NOTICE_DAYS = 14
CODE_MISSES_NOTICE_DAYS = 7


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    granted = []
    if request.user.has_perm("sessions_app.export_notes"):
        # Those who can export notes see who else was given that; a second pair of eyes on an admin.
        since = timezone.now() - timedelta(days=EXPORT_ACCESS_NOTICE_DAYS)
        granted = AuditEvent.objects.export_access_granted(since).exclude(user=request.user)
    code_misses = []
    if request.user.has_perm("sessions_app.review_checkin"):
        # A burst of participant codes not found, from a peer this supervisor leads (docs/security.md).
        since = timezone.now() - timedelta(days=CODE_MISSES_NOTICE_DAYS)
        code_misses = AuditEvent.objects.filter(
            action="code misses flagged", at__gte=since, user__in=User.objects.supervised_by(request.user),
        ).order_by("-at")[:20]
    return render(request, "harmreduction/home.html", {
        "export_access_granted": granted, "code_misses": code_misses,
    })


@never_cache
@require_GET
@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 200 when this app server can reach its database.

    The shared cache is reported but does not fail the check: without it the
    app serves from the database, slower (harmreduction/cache.py).
    """
    # Only the shared cache can be down; a process's own memory cannot.
    cache_state = "down" if getattr(cache, "is_down", lambda: False)() else "ok"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "database unavailable", "cache": cache_state}, status=503)
    return JsonResponse({"status": "ok", "cache": cache_state})


@require_GET
@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """One sign-in page for everyone: the admin's login sends people to ours.

    A signed-in person without admin access is told so; sending them to the
    login page would bounce straight back here.
    """
    if request.user.is_authenticated:
        raise PermissionDenied(_("Your account does not have access to the admin."))
    return redirect_to_login(request.GET.get("next", "/admin/"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
def login_locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What axes answers (AXES_LOCKOUT_CALLABLE) when a username is paused on this address.

    Our own sign-in page with a kind message and the minutes left; the username
    stays typed in. Status 200 like a wrong password (a form answered with a
    message; the audit log has "locked out"). The form is unbound so showing it
    does not try the password again.
    """
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    last_try = AccessAttempt.objects.filter(
        username=username, ip_address=client_address(request)
    ).aggregate(at=Max("attempt_time"))["at"]
    cooloff = settings.AXES_COOLOFF_TIME
    remaining = (last_try + cooloff - timezone.now()) if last_try else cooloff
    minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    return render(request, "registration/login.html", {
        "form": AuthenticationForm(request, initial={"username": username}),
        "locked_out": True,
        "minutes_left": minutes,
        "next": request.POST.get("next", ""),
    })


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
        "two_factor_on": request.session.get(TWO_FACTOR_STEP) == "verify",
    })


@require_POST
def account_session_end(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    # Someone else's session (or this one: "Sign out" is for that) is a 404.
    session = get_object_or_404(_other_sessions(request), pk=pk)
    AuditEvent.record(request, "end session", request.user)
    session.end()
    messages.success(request, _("Signed out on %(device)s.") % {"device": session.device})
    return redirect("account:sessions")


@require_POST
def account_sessions_end_others(request: HtmxHttpRequest) -> HttpResponse:
    ended = 0
    for session in _other_sessions(request):
        AuditEvent.record(request, "end session", request.user)
        session.end()
        ended += 1
    if ended:
        messages.success(request, ngettext("Signed out on %(count)d other device.",
                                           "Signed out on %(count)d other devices.", ended) % {"count": ended})
    else:
        messages.info(request, _("You were not signed in anywhere else."))
    return redirect("account:sessions")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change(request: HtmxHttpRequest) -> HttpResponse:
    """Anyone changes their own password; every other device is signed out at once."""
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        old_session_key = request.session.session_key
        form.save()
        # Keeps this device signed in (a new session key); other sessions no longer match.
        update_session_auth_hash(request, form.user)
        ended = UserSession.password_changed(request, form.user, old_session_key)
        AuditEvent.record(request, "password changed", request.user)
        text = _("Your password is changed.")
        if ended:
            text += " " + ngettext("You were signed out on %(count)d other device.",
                                   "You were signed out on %(count)d other devices.", ended) % {"count": ended}
        messages.success(request, text)
        return redirect("account:sessions")
    return render(request, "harmreduction/password_change.html", {
        "form": form, "hints": password_validators_help_texts(),
    })


@require_http_methods(["GET", "POST"])
def account_settings(request: HtmxHttpRequest) -> HttpResponse:
    """The person's own settings: for now, the interface's language."""
    form = LanguageForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        if "language" in form.changed_data:
            form.save()
            AuditEvent.record(request, "language changed", request.user,
                              detail=request.user.language or "browser")
        # Said in the language chosen, as every page will be from now on.
        translation.activate(request.user.language or translation.get_language_from_request(request))
        messages.success(request, _("Saved. Pages now show in the language you chose."))
        return redirect("account:settings")
    return render(request, "harmreduction/account_settings.html", {"form": form})


def _safe_next(request: HtmxHttpRequest) -> str:
    """Where to go after the code step: ?next= if it stays on this site, else home. Always a URL."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _code_accepted(request: HtmxHttpRequest, device: TOTPDevice) -> None:
    """The session is signed in with both steps from now on, under a new key."""
    otp_login(request, device)
    UserSession.cycle_key(request)


# The secret being set up lives in the session until the first code proves the
# app has it: no half-made device in the database, and a reload shows the same QR.
PENDING_KEY = "_hr_totp_pending"


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HtmxHttpRequest) -> HttpResponse:
    """Set up an authenticator app (or a new phone): scan, then type one code."""
    user = request.user
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if has_device and not user.is_verified():
        # Replacing the app needs the current one first.
        return redirect(f"{reverse('account:two_factor_verify')}?{urlencode({'next': request.path})}")
    key = request.session.setdefault(PENDING_KEY, random_hex(20))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        totp = TOTP(unhexlify(key.encode()))
        if totp.verify(int(form.cleaned_data["code"]), tolerance=1):
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", key=key,  # i18n: not shown
                                               confirmed=True, last_t=totp.t())
            del request.session[PENDING_KEY]
            request.session[TWO_FACTOR_STEP] = "verify"
            _code_accepted(request, device)
            AuditEvent.record(request, "two-factor set up", user)
            messages.success(request, _("Two-step sign-in is on. Next time, have your phone with you."))
            return HttpResponseRedirect(_safe_next(request))
        form.add_error("code", _(
            "That code did not match. Check the app shows Peer companion and try the newest code."))
    device = TOTPDevice(user=user, key=key)
    secret = b32encode(device.bin_key).decode()
    return render(request, "harmreduction/two_factor_setup.html", {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "has_device": has_device,
        "required": user.requires_two_factor(),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    })


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HtmxHttpRequest) -> HttpResponse:
    """The step after the password: a code from the app set up earlier."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('account:two_factor_setup')}?{urlencode({'next': _safe_next(request)})}")
    if request.user.is_verified():
        return HttpResponseRedirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # One code at a time per device: simultaneous guesses wait for this
            # row, then see the miss counted before them (django-otp reads and
            # writes the throttle without a lock; 40 at once had 3 checked).
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            allowed, _reason = device.verify_is_allowed()
            accepted = allowed and device.verify_token(form.cleaned_data["code"])
        if not allowed:
            # django-otp slows guessing down: 1, 2, 4, 8 ... seconds after each miss.
            form.add_error("code", _(
                "Several codes did not match. Please wait a few seconds, then try the newest one."))
        elif accepted:
            _code_accepted(request, device)
            AuditEvent.record(request, "two-factor verified", request.user)
            return HttpResponseRedirect(_safe_next(request))
        else:
            AuditEvent.record(request, "two-factor failed", request.user)
            form.add_error("code", _("That code did not match. Codes change every 30 seconds: try the newest one."))
    return render(request, "harmreduction/two_factor_verify.html", {
        "form": form, "next": request.POST.get("next") or request.GET.get("next", ""),
    })


@require_POST
def two_factor_off(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.requires_two_factor():
        raise PermissionDenied(_("Two-step sign-in is required for this role."))
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session.pop(TWO_FACTOR_STEP, None)
    AuditEvent.record(request, "two-factor off", request.user)
    messages.success(request, _("Two-step sign-in is off. You can turn it on again any time."))
    return redirect("account:sessions")


# The installable app (docs/offline.md) ----------------------------------------


@require_GET
@login_not_required
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site's root so its scope is the whole site.

    The file lives in static/js/sw.js; the version (a digest of the worker and
    the shell's files) and the shell's URLs are written into it here, so a new
    release is a new worker and a new cache.
    """
    path = finders.find(app_shell.WORKER_SOURCE)
    with open(path, encoding="utf-8") as file:
        source = file.read()
    for placeholder, value in (
        ('"__VERSION__"', app_shell.worker_version()),
        ('["__SHELL__"]', app_shell.shell_urls()),
        ('"__OFFLINE__"', reverse("offline")),
        ('"__DIRECTORY__"', reverse("resources:directory_offline")),
        # Background Sync: where the page keeps the sealed check-ins, and where they go.
        ('"__QUEUE_DB__"', app_shell.QUEUE_DB),
        ('"__QUEUE_STORE__"', app_shell.QUEUE_STORE),
        ('"__SYNC__"', reverse("sessions_app:checkin_offline")),
    ):
        source = source.replace(placeholder, json.dumps(value))
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # The browser checks for a new worker on every navigation; never an old one from a cache.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@login_not_required
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: what "Add to home screen" installs."""
    data = {
        # The app's name stays a name; a language may still spell it its own way (context in the po).
        "name": pgettext("the app's name", "Peer companion"),
        "short_name": pgettext("the app's name", "Peer companion"),
        "description": _("Check-ins, the library and the directory for peer support, with or without signal."),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d5b",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static("icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return HttpResponse(json.dumps(data), content_type="application/manifest+json")


@require_GET
@login_not_required
def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows for a page not kept on the tablet, when there is no signal.

    Fetched by the worker without cookies, so the kept copy carries nobody's name.
    """
    return render(request, "harmreduction/offline.html")


@require_GET
def offline_copy_list(request: HttpRequest) -> HttpResponse:
    """The pages the signed-in person may keep on the tablet (the worker fetches them).

    Also who is signed in and a CSRF token, for the worker's Background Sync of
    sealed check-ins (the CSRF cookie is HttpOnly); the worker keeps neither.
    """
    return JsonResponse({
        "user": request.user.pk,
        "version": app_shell.worker_version(),
        "taken": timezone.now().isoformat(),
        "urls": app_shell.copy_urls(request.user),
        "csrf": get_token(request),
    })


_logout_view = auth_views.LogoutView.as_view()


def logout(request: HttpRequest) -> HttpResponse:
    """Django's sign-out, which also asks the browser to drop its cached copies of this site.

    The service worker deletes the person's kept pages itself when it sees the
    sign-out (static/js/sw.js); the sealed check-ins in IndexedDB stay until sent.
    """
    response = _logout_view(request)
    response["Clear-Site-Data"] = '"cache"'
    return response
