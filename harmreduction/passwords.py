"""Password rules of our own, next to Django's in AUTH_PASSWORD_VALIDATORS.

A probe got "victim-victim" and "Victim1234567" past Django's
UserAttributeSimilarityValidator for the user "victim": it compares how
similar the whole password is to the username (0.63 and 0.7 here, under its
0.7 threshold), not whether the username is inside it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The demo's one password, printed by the demo_data command and in the README.
# Kept as text here, not imported from the command: the demo is not part of the
# product, and this rule must hold even where the demo is not installed.
DEMO_PASSWORD = "where-theyre-at"

# Shorter usernames ("al", "jo") are inside too many good passphrases to forbid;
# Django's similarity rule still catches "al" alone.
MIN_USERNAME_LENGTH = 3


class NotTheUsernameValidator:
    """Refuse a password that contains the username, in any case."""

    def validate(self, password: str, user=None) -> None:
        username = (user.get_username() if user is not None else "") or ""
        if len(username) >= MIN_USERNAME_LENGTH and username.casefold() in password.casefold():
            raise ValidationError(_("Your password can’t contain your username."), code="password_has_username")

    def get_help_text(self) -> str:
        return _("Your password can’t contain your username.")


class NotTheDemoPasswordValidator:
    """Refuse the demo's published password unless DEBUG is on (a laptop running the demo)."""

    def validate(self, password: str, user=None) -> None:
        if not settings.DEBUG and password.casefold() == DEMO_PASSWORD.casefold():
            raise ValidationError(
                _("This is the demo’s published password, so anyone could guess it. Please choose another."),
                code="password_is_demo",
            )

    def get_help_text(self) -> str:
        return _("Your password can’t be the demo’s published password.")
