from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, apps=None, **kwargs):
    from django.apps import apps as global_apps

    from harmreduction.roles import sync_roles

    # migrate passes the migrated app registry; flush passes none.
    sync_roles(apps or global_apps)


class HarmreductionConfig(AppConfig):
    name = "harmreduction"
    verbose_name = "People and audit"

    def ready(self):
        from django import forms

        from harmreduction import checks, signals  # noqa: F401  (registers the checks, connects the receivers)
        from harmreduction.forms import FILL_THIS_IN

        # Every form field's "required" message, unless the field names its own
        # (most of ours do): never Django's bare "This field is required."
        forms.Field.default_error_messages["required"] = FILL_THIS_IN

        # Keeps role permissions in step with ROLE_PERMISSIONS after every migrate
        # (and after a test flush empties the tables).
        post_migrate.connect(_sync_roles, sender=self)
