import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from harmreduction.client_address import client_address
from harmreduction.models import AuditEvent, UserSession
from sessions_app.models import Draft

# Session keys of the two clocks (Unix seconds: the session store keeps JSON).
STARTED = "_hr_started"
LAST_SEEN = "_hr_last_seen"
# A request refreshes the idle clock (a session write and a UserSession update)
# only when the last refresh is at least this old: no database write per request.
# So the idle logout comes between TIMEOUT - 60 s and TIMEOUT after the last request.
ACTIVITY_RESOLUTION = 60


class NoStoreMiddleware:
    """Pages shown to a signed-in user never land in a browser or proxy cache.

    A shared tablet's back button must not bring up someone's notes after
    logout, so every authenticated response is `no-store`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


def start_session_clock(request) -> None:
    """Called at login: both clocks start now."""
    now = time.time()
    request.session[STARTED] = now
    request.session[LAST_SEEN] = now


def refresh_session_clock(request, *, force: bool = False) -> None:
    """Count this request as activity (at most one write a minute unless forced)."""
    now = time.time()
    session = request.session
    if not force and now - session.get(LAST_SEEN, 0) < ACTIVITY_RESOLUTION:
        return
    session[LAST_SEEN] = now
    if session.session_key:
        UserSession.touch(request, session.session_key, ip=client_address(request))


def session_expiry_reason(session, now: float) -> str | None:
    started = session.get(STARTED)
    last_seen = session.get(LAST_SEEN)
    if started is not None and now - started > settings.SESSION_ABSOLUTE_LIFETIME:
        return "lifetime"
    if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
        return "idle"
    return None


def duration(seconds: int) -> str:
    """ "15 minutes", "12 hours", "1 minute": the largest whole unit, in the active language."""
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}


def _is_htmx(request) -> bool:
    # HtmxMiddleware runs after this one, so request.htmx is not there yet.
    return request.headers.get("HX-Request") == "true"


def _next_path(request) -> str:
    """Where to come back to after signing in again: a page, never a POST-only endpoint."""
    if request.method == "GET" and not _is_htmx(request):
        return request.get_full_path()
    current = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
    try:
        parts = urlsplit(current)
    except ValueError:  # a header no browser sends, such as "http://["
        return ""
    if not parts.path or (parts.netloc and parts.netloc != request.get_host()):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


class LanguagePreferenceMiddleware:
    """The signed-in person's own language wins over the browser's (User.language).

    After AuthenticationMiddleware (it needs the user). LocaleMiddleware, earlier
    (before CommonMiddleware, as Django asks), has already chosen from
    Accept-Language, which stays the answer for the sign-in page and for anyone
    whose preference is blank. A shared tablet's
    browser says one language; the person holding it may read another.
    LocaleMiddleware's response step still adds `Vary: Accept-Language` and
    `Content-Language` (from the language active here), and a signed-in
    person's pages are never stored by a cache (NoStoreMiddleware).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Sign out after SESSION_IDLE_TIMEOUT without a request, and after
    SESSION_ABSOLUTE_LIFETIME in any case, on the server.

    Shared tablets: the next person must not find the last one's notes. The
    cookie alone cannot do this (a browser keeps what it is given), so the
    clocks live in the session. HTMX requests (autosave) count as activity.
    Templates read `request.session_clock` to warn a minute ahead (session.js).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            # A session from before this middleware starts its clocks now.
            session.setdefault(STARTED, now)
            session.setdefault(LAST_SEEN, now)
            reason = session_expiry_reason(session, now)
            if reason is not None:
                return self._sign_out(request, reason)
            refresh_session_clock(request)
            request.session_clock = {
                "idle_timeout": settings.SESSION_IDLE_TIMEOUT,
                "idle_left": max(0, int(session[LAST_SEEN] + settings.SESSION_IDLE_TIMEOUT - now)),
                "lifetime_left": max(0, int(session[STARTED] + settings.SESSION_ABSOLUTE_LIFETIME - now)),
                "lifetime": duration(settings.SESSION_ABSOLUTE_LIFETIME),
            }
        return self.get_response(request)

    def _sign_out(self, request, reason: str):
        user = request.user
        has_draft = Draft.objects.filter(user=user).exists()
        next_path = _next_path(request)
        # The audit line says why this logout happened (signals.audit_logout reads it).
        request.logout_action = f"logout ({reason})"
        logout(request)
        if reason == "idle":
            text = _("You were signed out after %(duration)s without activity.") % {
                "duration": duration(settings.SESSION_IDLE_TIMEOUT)}
        else:
            text = _("For safety, every sign-in ends after %(duration)s. Please sign in again.") % {
                "duration": duration(settings.SESSION_ABSOLUTE_LIFETIME)}
        if has_draft:
            text += " " + _("Your check-in draft is kept.")
        messages.info(request, text)
        url = resolve_url(settings.LOGIN_URL)
        if next_path:
            url += "?" + urlencode({"next": next_path})
        return HttpResponseClientRedirect(url) if _is_htmx(request) else redirect(url)


# Every powerful feature off; a view that needs one says so with a decorator.
PERMISSIONS_POLICY = {
    "accelerometer": "()", "autoplay": "()", "camera": "()", "display-capture": "()",
    "encrypted-media": "()", "fullscreen": "()", "geolocation": "()", "gyroscope": "()",
    "hid": "()", "idle-detection": "()", "magnetometer": "()", "microphone": "()", "midi": "()",
    "payment": "()", "picture-in-picture": "()", "publickey-credentials-get": "()",
    "screen-wake-lock": "()", "serial": "()", "usb": "()", "xr-spatial-tracking": "()",
}


def allows_geolocation(view):
    """Let this view's page ask for the device's location (the directory's "near me").

    Every other response says geolocation=(): a person's location is as
    sensitive as their notes.
    """
    view.allows_geolocation = True
    return view


def permissions_policy(*, geolocation: bool = False) -> str:
    policy = {**PERMISSIONS_POLICY, "geolocation": "(self)" if geolocation else "()"}
    return ", ".join(f"{feature}={allow}" for feature, allow in policy.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy(
                geolocation=getattr(request, "allows_geolocation", False))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # functools.wraps copies the mark through the decorators stacked on the view.
        if getattr(view_func, "allows_geolocation", False):
            request.allows_geolocation = True


def _guessed_id(request) -> str | None:
    """The record id in the URL of the view that answered, if it takes one."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    for name, value in match.kwargs.items():
        if name == "pk" or name.endswith(("_pk", "_id")) or isinstance(value, int):
            return str(value)[:40]
    return None


class AuditRefusedMiddleware:
    """Audit every refused access: each 403, and each 404 for a record id (a guessed id).

    Outside every view and most middleware, so a PermissionDenied raised
    anywhere (a view, the admin, CSRF) is seen here as a 403. Records who, the
    path and the id tried; never a query string or a form's content.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        record_id = None
        if response.status_code == 404:
            record_id = _guessed_id(request)
        if response.status_code == 403 or record_id is not None:
            AuditEvent.record_refused(request, record_id or "")
        return response


# What the code step still asks of this session: "verify" (has an app) or "enrol"
# (must set one up). Decided once at login, so ordinary requests need no query.
TWO_FACTOR_STEP = "_hr_two_factor"
TWO_FACTOR_OPEN_VIEWS = {
    "account:two_factor_verify", "account:two_factor_setup", "account:keep_alive", "logout",
}


def decide_two_factor_step(request, user) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        request.session[TWO_FACTOR_STEP] = "verify"
    elif user.requires_two_factor():
        request.session[TWO_FACTOR_STEP] = "enrol"
    else:
        request.session.pop(TWO_FACTOR_STEP, None)


class TwoFactorMiddleware:
    """After the password, the code: nothing else opens until it is given.

    Whoever has an authenticator app set up is asked for a code; whoever must
    use one (TWO_FACTOR_REQUIRED_ROLES) and has none is sent to set it up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = request.session.get(TWO_FACTOR_STEP) if request.user.is_authenticated else None
        if step is None or request.user.is_verified():
            return None
        if request.resolver_match.view_name in TWO_FACTOR_OPEN_VIEWS:
            return None
        url = reverse("account:two_factor_verify" if step == "verify" else "account:two_factor_setup")
        next_path = _next_path(request)
        if next_path:
            url += "?" + urlencode({"next": next_path})
        return HttpResponseClientRedirect(url) if _is_htmx(request) else redirect(url)
