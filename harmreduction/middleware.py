import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, resolve_url
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django_htmx.http import HttpResponseClientRedirect

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
    from harmreduction.models import UserSession, client_ip

    now = time.time()
    session = request.session
    if not force and now - session.get(LAST_SEEN, 0) < ACTIVITY_RESOLUTION:
        return
    session[LAST_SEEN] = now
    if session.session_key:
        UserSession.touch(request, session.session_key, ip=client_ip(request))


def session_expiry_reason(session, now: float) -> str | None:
    started = session.get(STARTED)
    last_seen = session.get(LAST_SEEN)
    if started is not None and now - started > settings.SESSION_ABSOLUTE_LIFETIME:
        return "lifetime"
    if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
        return "idle"
    return None


def duration(seconds: int) -> str:
    """ "15 minutes", "12 hours", "1 minute": the largest whole unit."""
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


def _is_htmx(request) -> bool:
    # HtmxMiddleware runs after this one, so request.htmx is not there yet.
    return request.headers.get("HX-Request") == "true"


def _next_path(request) -> str:
    """Where to come back to after signing in again: a page, never a POST-only endpoint."""
    if request.method == "GET" and not _is_htmx(request):
        return request.get_full_path()
    current = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
    parts = urlsplit(current)
    if not parts.path or (parts.netloc and parts.netloc != request.get_host()):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


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
            # A session from before this middleware (or a test's force_login) starts now.
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
        from sessions_app.models import Draft

        user = request.user
        has_draft = Draft.objects.filter(user=user).exists()
        next_path = _next_path(request)
        # The audit line says why this logout happened (signals.audit_logout reads it).
        request.logout_action = f"logout ({reason})"
        logout(request)
        if reason == "idle":
            text = f"You were signed out after {duration(settings.SESSION_IDLE_TIMEOUT)} without activity."
        else:
            text = f"For safety, every sign-in ends after {duration(settings.SESSION_ABSOLUTE_LIFETIME)}. "
            text += "Please sign in again."
        if has_draft:
            text += " Your check-in draft is kept."
        messages.info(request, text)
        url = resolve_url(settings.LOGIN_URL)
        if next_path:
            url += "?" + urlencode({"next": next_path})
        return HttpResponseClientRedirect(url) if _is_htmx(request) else redirect(url)
