"""Settings for the peer-support companion.

One module, read from the environment. The defaults make a fresh clone run on
SQLite with DEBUG on; with DEBUG off every production hardening switch is on
and SECRET_KEY must be given.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fixed key so sessions survive a restart of runserver.
    SECRET_KEY = "dev-insecure-" + "x" * 50

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The reverse proxies in front of the app (addresses or CIDR networks): only
# they may say who the client is, in X-Forwarded-For. Empty trusts none and
# every client is REMOTE_ADDR (harmreduction/client_address.py, docs/deploy.md).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "harmreduction",
    "resources",
    "sessions_app",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # SearchVectorField for the directory's stored tsvector (harmless on SQLite).
    "django.contrib.postgres",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]
# The demo (demo_data: accounts with a published password, sample services and
# check-ins) exists in development only: with DEBUG off there is no such command.
# perf.settings adds it for the benchmarks, which run with DEBUG off.
if DEBUG:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # camera=(), microphone=(), geolocation=() ... unless a view is @allows_geolocation.
    # Outermost with SecurityMiddleware, so even a redirect made early carries it.
    "harmreduction.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language from Accept-Language (and the language cookie); after
    # sessions, before common. A signed-in person's own choice is applied later.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a one-time code from this device.
    "django_otp.middleware.OTPMiddleware",
    # The signed-in person's own language (User.language) wins over Accept-Language.
    "harmreduction.middleware.LanguagePreferenceMiddleware",
    # Sees every response on its way out, so a 403 raised anywhere inside is audited.
    "harmreduction.middleware.AuditRefusedMiddleware",
    # Deny by default: every view needs a login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (it leaves a note for the login page), before any view runs.
    "harmreduction.middleware.SessionTimeoutMiddleware",
    # Holds back every page until the code step is done, for those who need it.
    "harmreduction.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "harmreduction.middleware.NoStoreMiddleware",
    # Records who made each change in the library's version history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as axes asks: turns a locked-out login into our styled sign-in page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "harmreduction.urls"
WSGI_APPLICATION = "harmreduction.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "harmreduction.roles.navigation",
                "sessions_app.context_processors.part2_notice",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
        # Behind PgBouncer in transaction pooling mode a server-side cursor cannot
        # outlive its transaction: docs/deploy.md, "PostgreSQL with PgBouncer".
        disable_server_side_cursors=env_bool("DISABLE_SERVER_SIDE_CURSORS", False),
    )
}

# One process's memory by default, so `make run` needs nothing more. With
# several app servers CACHE_URL names a Redis database they share
# (redis://host:6379/1, that database for the cache alone: docs/deploy.md), so
# a sign-out, a changed service and the dashboard's figures hold on every server.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            # Django's RedisCache that answers a miss while Redis is unreachable (harmreduction/cache.py).
            "BACKEND": "harmreduction.cache.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            # On a private network Redis answers in a millisecond: wait little for a dead one.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    # Sessions read from the shared cache, written through to the database: a
    # sign-out deletes both, and a Redis outage loses no one's sign-in.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Room for every directory result row (resources/listing.py, under 1 KB each) at
    # 10,000 services; LocMem's default of 300 entries would keep about 15 pages.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "60"))
# Exports show counts from 1 to 10 as "<11" (a common public-health rule):
# counts above 0 and under the threshold are hidden. Off, or a threshold of 0, shows every count.
SMALL_COUNT_SUPPRESSION = env_bool("SMALL_COUNT_SUPPRESSION", True)
# A referral offered today is on the follow-ups list to check back on this many days later.
REFERRAL_CHECK_BACK_DAYS = int(os.environ.get("REFERRAL_CHECK_BACK_DAYS", "7"))
# The stable facts a participant code can be rebuilt from, in order (docs/checkins.md,
# "Codes a participant can rebuild"); empty: random codes only. Off unless the
# organization turns it on, e.g. PARTICIPANT_CODE_RECIPE=last_name_2,mother_initial,birth_day
PARTICIPANT_CODE_RECIPE = env_list("PARTICIPANT_CODE_RECIPE")
REPORT_SMALL_CELL_THRESHOLD = int(os.environ.get("REPORT_SMALL_CELL_THRESHOLD", "11"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "harmreduction.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Similarity misses "victim-victim" for "victim"; containment does not (harmreduction/passwords.py).
    {"NAME": "harmreduction.passwords.NotTheUsernameValidator"},
    # The demo's password is in the README: refused unless DEBUG is on.
    {"NAME": "harmreduction.passwords.NotTheDemoPasswordValidator"},
]

# axes first: it refuses a locked-out login before the password is even checked.
# It has no get_user(), so sessions (and the tests' force_login) use ModelBackend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lock a username on one address only, for a while: a whole outreach team often
# shares one carrier IP, and a lock by IP alone (axes' default) or forever
# would stop everyone's work because of one person's typo or one attacker.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# A try during the pause does not restart it, so "try again in N minutes" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# Our sign-in page with a kind message, not axes' bare text.
AXES_LOCKOUT_CALLABLE = "harmreduction.views.login_locked_out"
# The same address the audit log records, read through TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "harmreduction.client_address.client_address"
# Our AuditEvent already records every sign-in; no second log with its own retention.
AXES_DISABLE_ACCESS_LOG = True

# Shared tablets: signed out after this long without a request, and after this
# long in any case (NIST 800-63B AAL2 allows at most 30 minutes and 12 hours).
# Seconds; enforced by harmreduction.middleware.SessionTimeoutMiddleware.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(15 * 60)))
SESSION_ABSOLUTE_LIFETIME = int(os.environ.get("SESSION_ABSOLUTE_LIFETIME", str(12 * 60 * 60)))
# The cookie and the stored session die with the absolute lifetime too (clearsessions removes them).
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME

# Two-step sign-in (TOTP, django-otp): required for these roles (group names),
# "all" for everyone; anyone else may turn it on. Superusers need it whenever
# any role does. Required by default in production; off by default in
# development so every demo login works without an authenticator app (set
# TWO_FACTOR_REQUIRED_ROLES to try it). Tests set it themselves (tests/conftest.py).
_two_factor_roles = os.environ.get("TWO_FACTOR_REQUIRED_ROLES", "" if DEBUG else "Supervisor,Content admin")
TWO_FACTOR_REQUIRED_ROLES: list[str] | str = (
    "all" if _two_factor_roles.strip().lower() == "all"
    else [role.strip() for role in _two_factor_roles.split(",") if role.strip()]
)
OTP_TOTP_ISSUER = "Peer companion"
# Admins reset a lost phone (delete the device in the admin); they never see a secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
# The interface's languages (docs/i18n.md says how to add one): a person's own
# choice (User.language) wins, then the browser's Accept-Language, then English.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own names for the few date shapes the pages use (DATE_FORMAT, MONTH_DAY_FORMAT,
# SHORT_DATETIME_FORMAT, DATETIME_FORMAT), per language: harmreduction/formats/<lang>/formats.py.
FORMAT_MODULE_PATH = ["harmreduction.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# A release's name (a tag or commit), if the deploy sets one: part of the service worker's
# version, with a digest of the files it keeps, so each release replaces the tablets' copies.
RELEASE = os.environ.get("RELEASE", "")
# collectstatic's output; elsewhere when the checkout is read-only, or for a test's own servers.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# A strict policy: nothing inline, nothing from another host. htmx is told
# (in base.html's htmx-config) not to inject its indicator <style> and never
# to eval, so it runs under this policy unchanged.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    # The installable app: its service worker (/sw.js) and manifest, from this site only.
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
}

SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# htmx sends the token from <body hx-headers>, so no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "harmreduction.views.csrf_failure"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Behind a reverse proxy that terminates TLS (docs/deploy.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# The referral directory lists a service as stale when nobody has verified its
# details for this many days (docs/directory.md).
DIRECTORY_STALE_AFTER_DAYS = int(os.environ.get("DIRECTORY_STALE_AFTER_DAYS", "90"))
# Who a printed referral slip is from, and how the person reaches us again: the
# organization's name and one way to reach it (a phone, a drop-in address).
# Empty: the slip names only the peer and their team.
ORGANIZATION_NAME = os.environ.get("ORGANIZATION_NAME", "")
ORGANIZATION_CONTACT = os.environ.get("ORGANIZATION_CONTACT", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Check-ins saved without signal are sealed in the browser to the first of these
# RSA keys (PEM text, or paths to PEM files, comma-separated); the others are
# still opened, for a rotation (docs/offline.md). Unset with DEBUG off: no
# offline capture, Save works as a plain form post.
_offline_keys = os.environ.get("OFFLINE_PRIVATE_KEYS", "")
OFFLINE_PRIVATE_KEYS = (
    ["-----BEGIN" + block for block in _offline_keys.split("-----BEGIN")[1:]]
    if "-----BEGIN" in _offline_keys else env_list("OFFLINE_PRIVATE_KEYS")
)
# Development only: a key made on first use in this gitignored file, so `make run` needs no set-up.
OFFLINE_DEV_KEY_FILE = BASE_DIR / ".offline-key.pem" if DEBUG else None
# Sealed check-ins a person may send per window (seconds) before a 429; a day's queue drains in minutes.
OFFLINE_SYNC_LIMIT = int(os.environ.get("OFFLINE_SYNC_LIMIT", "60"))
OFFLINE_SYNC_WINDOW = int(os.environ.get("OFFLINE_SYNC_WINDOW", "600"))
# Check-ins sent without signal that wait for their author to fix them, at most, per person.
OFFLINE_RETURNED_MAX = 50
# The offline copy of the directory (docs/offline.md): at most this many services,
# about 300 KB compressed. Every syringe and MAT/MOUD service first, then the most referred.
OFFLINE_DIRECTORY_MAX = int(os.environ.get("OFFLINE_DIRECTORY_MAX", "1000"))
