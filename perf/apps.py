from django.apps import AppConfig


class PerfConfig(AppConfig):
    # Development only: installed by perf.settings (make bench, make loadtest), never by
    # harmreduction.settings, so a production install has no command that drops a database.
    name = "perf"
    verbose_name = "Benchmarks and load test"
