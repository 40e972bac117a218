from django.apps import AppConfig


class DemoConfig(AppConfig):
    # Installed with DEBUG on (harmreduction.settings) and by perf.settings: see docs/architecture.md.
    name = "demo"
    verbose_name = "Demo data"
