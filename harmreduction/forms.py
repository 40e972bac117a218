from django import forms


class CodeForm(forms.Form):
    """The six digits from an authenticator app (spaces allowed, as apps show them)."""

    code = forms.CharField(
        label="Code from your app",
        max_length=12,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none",
            "autofocus": True,
        }),
        error_messages={"required": "Type the 6 digits your app shows."},
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "").replace("-", "")
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("The code is 6 digits, like 123 456.")
        return code
