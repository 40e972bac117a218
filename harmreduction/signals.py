from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from harmreduction.middleware import decide_two_factor_step, start_session_clock
from harmreduction.models import AuditEvent, UserSession


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    AuditEvent.record(request, "login", user=user)


@receiver(user_logged_in)
def start_user_session(sender, request, user, **kwargs):
    start_session_clock(request)
    # Rows of sessions that ran out unseen (a tablet left alone) go now.
    UserSession.objects.filter(user=user).exclude(pk__in=UserSession.objects.active()).delete()
    UserSession.start(request, user)
    decide_two_factor_step(request, user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        # SessionTimeoutMiddleware says when a logout was the idle timeout or the lifetime.
        AuditEvent.record(request, getattr(request, "logout_action", "logout"), user=user)


@receiver(user_logged_out)
def end_user_session(sender, request, user, **kwargs):
    if request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    AuditEvent.record(request, "login failed", username=credentials.get("username", ""))


@receiver(user_locked_out)
def audit_locked_out(sender, request, username, **kwargs):
    # When the pause begins and for every try refused during it (each is also a "login failed").
    AuditEvent.record(request, "locked out", username=username or "")
