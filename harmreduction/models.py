from datetime import timedelta

from django.conf import settings
from django.contrib.auth import models as auth_models
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harmreduction.client_address import client_address


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
    # The interface's language for this person (LanguagePreferenceMiddleware);
    # blank follows the browser's Accept-Language. Shared tablets: the choice
    # goes with the person, not the device, so no language cookie.
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES,
        help_text=_("Blank: the language of the device's browser."),
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


# How long after a refused anonymous request the next ones from its address
# only add to its line's count (AuditEvent.record_refused).
REFUSED_BURST = timedelta(minutes=1)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The audit log is append-only.")

    def add_repeat(self) -> int:
        """The one change a line allows: one more refusal counted on the line that kept the first.

        An UPDATE that adds one in the database, so processes counting at the
        same moment lose nothing.
        """
        return super().update(repeats=models.F("repeats") + 1)

    def delete(self):
        raise PermissionDenied("The audit log is append-only.")

    def export_access_granted(self, since):
        """Since `since`: roles granted that can export notes, and superuser status (one query).

        Which roles can export is read from the groups' permissions as they are
        now (`ROLE_PERMISSIONS`), in a subquery.
        """
        from django.contrib.auth.models import Group

        exporting_roles = Group.objects.filter(
            permissions__content_type__app_label="sessions_app", permissions__codename="export_notes"
        ).values("name")
        return self.filter(
            models.Q(action="role granted", detail__in=exporting_roles) | models.Q(action="superuser granted"),
            at__gte=since,
        )


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
    # Whom a line is about, when it is a person: kept as text for when the account is gone.
    subject_username = models.CharField(max_length=150, blank=True)
    # What changed, in words ("Supervisor", "Outreach East → Drop-in West"); never a secret or a note.
    detail = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)
    # Refusals of requests from no one signed in, from the same address, in the
    # minute after this one (record_refused): counted here instead of a line each.
    repeats = models.PositiveIntegerField(default=0)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        who = self.username or "-"
        line = f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_type} {self.object_id}"
        return f"{line} (and {self.repeats} more)" if self.repeats else line

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The audit log is append-only.")

    @property
    def grants_superuser(self) -> bool:
        return self.action == "superuser granted"

    @classmethod
    def record(cls, request, action: str, obj=None, *, user=None, username="", detail="") -> "AuditEvent":
        """Append a line for this request.

        `user` overrides request.user (a login happens before request.user is
        set); `username` names who was tried when there is no user (a failed login).
        When `obj` is a person, their username is kept in `subject_username`.
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
            ip=client_address(request),
            path=request.path[:300] if request is not None else "",
            subject_username=obj.get_username() if isinstance(obj, User) else "",
            detail=detail[:200],
        )

    @classmethod
    def record_refused(cls, request, record_id: str = "") -> None:
        """A refused request (a 403, a guessed id): a line, or one more on the last line.

        A signed-in person's refusals each get a line (each names an account
        and may name a different record). Refusals from no one signed in are
        free to send by the thousand: from one address, the first writes a line
        and the others in the minute after it only add to its `repeats`. So a
        flood costs at most a line per address a minute, and the first of each
        burst is kept as it came. Two processes can both find no line at the
        same instant and both write one; that is still bounded.
        """
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        ip = client_address(request)
        if not signed_in:
            since = timezone.now() - REFUSED_BURST
            first = cls.objects.filter(action="refused", user=None, username="", ip=ip, at__gte=since)
            if cls.objects.filter(pk__in=first.order_by("at").values("pk")[:1]).add_repeat():
                return
        cls.objects.create(
            user=user if signed_in else None,
            username=user.get_username() if signed_in else "",
            action="refused",
            object_id=record_id,
            ip=ip,
            path=request.path[:300],
        )


class UserSessionQuerySet(models.QuerySet):
    def active(self):
        """Sessions not yet past the idle timeout or the absolute lifetime."""
        from django.conf import settings

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
        return f"Session of user {self.user_id} since {self.created:%Y-%m-%d %H:%M}"  # i18n: not shown

    @classmethod
    def start(cls, request, user) -> "UserSession":
        if request.session.session_key is None:
            # login() flushed another person's session: the new one needs its key now.
            request.session.save()
        return cls.objects.update_or_create(
            session_key=request.session.session_key,
            # A NUL cannot go into a PostgreSQL text column; no browser sends one.
            defaults={"user": user, "user_agent": request.META.get("HTTP_USER_AGENT", "").replace("\x00", "")[:300],
                      "ip": client_address(request)},
        )[0]

    @classmethod
    def cycle_key(cls, request) -> None:
        """A new key for this session, its row following it.

        At the code step: a cookie copied after the password alone must not
        become a fully signed-in one when the owner types the code.
        """
        old_key = request.session.session_key
        request.session.cycle_key()
        cls.objects.filter(session_key=old_key).update(session_key=request.session.session_key)

    @classmethod
    def touch(cls, request, session_key: str, ip: str | None) -> None:
        updated = cls.objects.filter(session_key=session_key).update(last_seen=timezone.now(), ip=ip)
        # A session from before this table existed: describe it from now on (unless
        # it was ended while this request was on its way).
        if not updated and session_store().exists(session_key):
            cls.start(request, request.user)

    @classmethod
    def password_changed(cls, request, user, old_session_key: str | None) -> int:
        """Sign out every other device of `user` after a new password; returns how many.

        Django already refuses those sessions at their next request (a session
        keeps a hash of the password), but until then "Your sessions" would
        still list them. When the person changed their own password, Django
        gave this session a new key (update_session_auth_hash): its row follows.
        """
        current = None
        if request is not None and request.user.pk == user.pk:
            current = request.session.session_key
            cls.objects.filter(session_key=old_session_key).update(session_key=current)
        others = list(cls.objects.filter(user=user).exclude(session_key=current))
        for session in others:
            session.end()
        return len(others)

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


# Names of products, the same in every language.
_BROWSERS = [("Edg/", "Edge"), ("SamsungBrowser", "Samsung Internet"), ("Firefox/", "Firefox"),  # i18n: not shown
             ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari")]
_SYSTEMS = [("iPad", "iPad"), ("iPhone", "iPhone"), ("Android", "Android"), ("CrOS", "ChromeOS"),
            ("Windows", "Windows"), ("Mac OS X", "macOS"), ("Linux", "Linux")]  # i18n: not shown


def describe_user_agent(user_agent: str) -> str:
    # Enough to tell "the office tablet" from "my phone"; no parsing library needed.
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or str(_("Unknown device"))
