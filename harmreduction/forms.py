from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from harmreduction.models import User

# The words for an empty required field when the field has none of its own
# (set on every form field by HarmreductionConfig.ready).
FILL_THIS_IN = _("Please fill this in. Everything else you typed is still here.")


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the username's length actually checked.

    AuthenticationForm sets `max_length` after the field is built, so no
    validator enforces it: a pasted page of text went on to authenticate(),
    and axes' attempt log (255 characters) failed on PostgreSQL.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length or 150))
        field.error_messages["required"] = _("Type your username.")
        self.fields["password"].error_messages["required"] = _("Type your password.")


class ChangePasswordForm(PasswordChangeForm):
    """Django's password change, with words that say what to type."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].error_messages["required"] = _("Type the password you use now.")
        self.fields["new_password1"].error_messages["required"] = _("Type a new password.")
        self.fields["new_password2"].error_messages["required"] = _("Type the new password again, to be sure.")


class LanguageForm(forms.ModelForm):
    """The person's interface language: their browser's, or one we serve."""

    language = forms.ChoiceField(
        label=_("Language"),
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = User
        fields = ["language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language named in itself, so a person finds theirs whatever the page is in.
        self.fields["language"].choices = [("", _("From this device’s browser")), *settings.LANGUAGES]


class CodeForm(forms.Form):
    """The six digits from an authenticator app (spaces allowed, as apps show them)."""

    code = forms.CharField(
        label=_("Code from your app"),
        max_length=12,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none",
            "autofocus": True,
        }),
        error_messages={"required": _("Type the 6 digits your app shows.")},
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "").replace("-", "")
        # ASCII digits: "²".isdigit() is true, but no app shows it and int() refuses it.
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("The code is 6 digits, like 123 456."))
        return code
