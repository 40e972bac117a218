"""System checks for the account settings an operator can change from the environment."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from harmreduction.client_address import invalid_entries
from harmreduction.roles import ROLES


@register("security")
def check_account_settings(app_configs, **kwargs):
    problems = []
    # NIST 800-63B AAL2: reauthenticate after 30 minutes idle and 12 hours in all.
    if settings.SESSION_IDLE_TIMEOUT > 30 * 60:
        problems.append(Warning(
            "SESSION_IDLE_TIMEOUT is over 30 minutes (NIST 800-63B AAL2).",
            hint="Shared tablets: keep it at 15 minutes or less.", id="harmreduction.W001"))
    if settings.SESSION_ABSOLUTE_LIFETIME > 12 * 60 * 60:
        problems.append(Warning(
            "SESSION_ABSOLUTE_LIFETIME is over 12 hours (NIST 800-63B AAL2).", id="harmreduction.W002"))
    roles = settings.TWO_FACTOR_REQUIRED_ROLES
    if roles != "all":
        unknown = [role for role in roles if role not in ROLES]
        if unknown:
            problems.append(Warning(
                f"TWO_FACTOR_REQUIRED_ROLES names no such role: {', '.join(unknown)}.",
                hint=f"Use 'all' or some of: {', '.join(ROLES)}.", id="harmreduction.W003"))
    return problems


@register("security")
def check_trusted_proxies(app_configs, **kwargs):
    # Checked at start-up (runserver, migrate): a typo here would otherwise
    # surface as an error on the first request.
    bad = invalid_entries(settings.TRUSTED_PROXIES)
    if not bad:
        return []
    return [Error(
        f"TRUSTED_PROXIES has entries that are not addresses or networks: {', '.join(bad)}.",
        hint="Comma-separated addresses or CIDR networks, such as 127.0.0.1,10.0.0.0/8.",
        id="harmreduction.E001")]


@register("security")
def check_offline_keys(app_configs, **kwargs):
    """Each OFFLINE_PRIVATE_KEYS entry must be an RSA key (2048 bits or more) the server can read.

    Named by its place and, for a file, its path; never the key itself. Otherwise
    the first check-in sent from a tablet would be the first to find out.
    """
    from sessions_app.sealed import _key_from_pem

    problems = []
    for number, source in enumerate(settings.OFFLINE_PRIVATE_KEYS, start=1):
        is_pem = source.lstrip().startswith("-----BEGIN")
        name = f"entry {number} (PEM text)" if is_pem else f"entry {number} ({source})"
        try:
            pem = source.encode() if is_pem else open(source, "rb").read()
            _key_from_pem(pem)
        except OSError as error:
            problems.append(Error(
                f"OFFLINE_PRIVATE_KEYS {name} cannot be read: {error.strerror}.",
                hint="A path to a PEM file readable by the app's user, or the PEM text itself.",
                id="harmreduction.E002"))
        except (ValueError, TypeError) as error:
            problems.append(Error(
                f"OFFLINE_PRIVATE_KEYS {name} is not a usable private key: {error}",
                hint="An unencrypted RSA private key of 2048 bits or more, in PEM (docs/offline.md, Keys).",
                id="harmreduction.E002"))
    return problems
