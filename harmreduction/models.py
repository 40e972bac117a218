from datetime import timedelta

from django.contrib.auth import models as auth_models
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models


class Team(models.Model):
    """A group of peer specialists and the supervisor who supports them."""

    name = models.CharField(max_length=100, unique=True)
    supervisor = models.ForeignKey(
        "harmreduction.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_teams",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet):
    def supervised_by(self, user):
        """The peers on the teams this user supervises: whose check-ins they read and review."""
        return self.filter(team__supervisor=user)


class UserManager(auth_models.UserManager.from_queryset(UserQuerySet)):
    """Django's user manager (create_user, natural keys) with our queries on it."""


class User(AbstractUser):
    """One account per person: tablets are shared, logins are not.

    A custom model from day one so that fields such as the team can live on
    the user without a profile table (swapping later is costly).
    """

    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )

    objects = UserManager()

    def has_role(self, role: str) -> bool:
        return any(group.name == role for group in self.groups.all())

    def requires_two_factor(self) -> bool:
        """Whether this person must use two-step sign-in (TWO_FACTOR_REQUIRED_ROLES)."""
        from django.conf import settings

        roles = settings.TWO_FACTOR_REQUIRED_ROLES
        if roles == "all":
            return True
        if not roles:
            return False
        return self.is_superuser or any(self.has_role(role) for role in roles)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The audit log is append-only.")

    def delete(self):
        raise PermissionDenied("The audit log is append-only.")


class AuditEvent(models.Model):
    """One line of the append-only audit log: who did what, to what, when, from where.

    Never holds a note's text: only the kind and id of the object touched.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the line still says who once the account is gone.
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        who = self.username or "-"
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The audit log is append-only.")

    @classmethod
    def record(cls, request, action: str, obj=None, *, user=None, username="") -> "AuditEvent":
        """Append a line for this request.

        `user` overrides request.user (a login happens before request.user is
        set); `username` names who was tried when there is no user (a failed login).
        """
        actor = user if user is not None else getattr(request, "user", None)
        if actor is not None and not actor.is_authenticated:
            actor = None
        return cls.objects.create(
            user=actor,
            username=actor.get_username() if actor else username[:150],
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            ip=client_ip(request),
            path=request.path[:300] if request is not None else "",
        )


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless the proxy
    # overwrites it, so deploy.md has the proxy pass the real address through.
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


class UserSessionQuerySet(models.QuerySet):
    def active(self):
        """Sessions not yet past the idle timeout or the absolute lifetime."""
        from django.conf import settings
        from django.utils import timezone

        now = timezone.now()
        return self.filter(
            last_seen__gte=now - timedelta(seconds=settings.SESSION_IDLE_TIMEOUT),
            created__gte=now - timedelta(seconds=settings.SESSION_ABSOLUTE_LIFETIME),
        )


class UserSession(models.Model):
    """One signed-in device, so a person can see where they are signed in and end it.

    Written at login, touched at most once a minute by SessionTimeoutMiddleware,
    deleted at logout or when ended. The session itself stays in Django's store;
    this row only describes it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now_add=True)

    objects = UserSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"Session of user {self.user_id} since {self.created:%Y-%m-%d %H:%M}"

    @classmethod
    def start(cls, request, user) -> "UserSession":
        if request.session.session_key is None:
            # login() flushed another person's session: the new one needs its key now.
            request.session.save()
        return cls.objects.update_or_create(
            session_key=request.session.session_key,
            # A NUL cannot go into a PostgreSQL text column; no browser sends one.
            defaults={"user": user, "user_agent": request.META.get("HTTP_USER_AGENT", "").replace("\x00", "")[:300],
                      "ip": client_ip(request)},
        )[0]

    @classmethod
    def touch(cls, request, session_key: str, ip: str | None) -> None:
        from django.utils import timezone

        updated = cls.objects.filter(session_key=session_key).update(last_seen=timezone.now(), ip=ip)
        # A session from before this table existed: describe it from now on (unless
        # it was ended while this request was on its way).
        if not updated and session_store().exists(session_key):
            cls.start(request, request.user)

    @property
    def device(self) -> str:
        """A short, readable name for the browser and system in the user agent."""
        return describe_user_agent(self.user_agent)

    def end(self) -> None:
        """Sign this device out: its session is gone, so its next request goes to the login page."""
        session_store(self.session_key).delete()
        self.delete()


def session_store(session_key: str | None = None):
    from importlib import import_module

    from django.conf import settings

    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


_BROWSERS = [("Edg/", "Edge"), ("SamsungBrowser", "Samsung Internet"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari")]
_SYSTEMS = [("iPad", "iPad"), ("iPhone", "iPhone"), ("Android", "Android"), ("CrOS", "ChromeOS"),
            ("Windows", "Windows"), ("Mac OS X", "macOS"), ("Linux", "Linux")]


def describe_user_agent(user_agent: str) -> str:
    # Enough to tell "the office tablet" from "my phone"; no parsing library needed.
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"
