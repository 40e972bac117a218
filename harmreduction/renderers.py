"""Django's form renderer, with plain inputs and empty error lists drawn in Python.

Django draws every widget through a template: a number field or one radio
button is three includes (number.html, input.html, attrs.html), and every
field's errors a template even when there are none. The check-in form has
about forty of them, a third of its page's time. The inputs below are drawn
exactly as Django's templates draw them (the same markup, the same
escaping); anything else still goes through the templates.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"
# Templates that are `{% include "django/forms/widgets/input.html" %}` and a newline.
TYPED_INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "text", "number", "email", "url", "password", "hidden", "search", "tel",
        "color", "date", "datetime", "time", "checkbox",
    )
}
INPUT = f"{WIDGETS}input.html"
INPUT_OPTION = f"{WIDGETS}input_option.html"
# `{% include "django/forms/widgets/input_option.html" %}` and a newline.
OPTIONS = {f"{WIDGETS}radio_option.html", f"{WIDGETS}checkbox_option.html"}
ERROR_LIST = "django/forms/errors/list/default.html"


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>\n"
    )


def _input_option(widget: dict) -> str:
    """django/forms/widgets/input_option.html."""
    if not widget.get("wrap_label"):
        return _input(widget) + "\n"
    label_for = f' for="{conditional_escape(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(widget)} {conditional_escape(widget['label'])}</label>\n"


class Renderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        # Django strips what a template draws (BaseRenderer.render); inside, the
        # newline that ends input.html stays, as it does in an include.
        if template_name in TYPED_INPUTS or template_name == INPUT:
            return _input(context["widget"]).strip()
        if template_name in OPTIONS or template_name == INPUT_OPTION:
            return _input_option(context["widget"]).strip()
        if template_name == ERROR_LIST and not context.get("errors"):
            return ""
        return super().render(template_name, context, request)
