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
        from harmreduction import checks, signals  # noqa: F401  (registers the checks, connects the receivers)

        # Keeps role permissions in step with ROLE_PERMISSIONS after every migrate
        # (and after a test flush empties the tables).
        post_migrate.connect(_sync_roles, sender=self)
