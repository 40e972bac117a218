"""Settings for the benchmarks and the load test: the product's settings plus the perf and demo apps.

`make bench` and `make loadtest` select this module (DJANGO_SETTINGS_MODULE);
production never does. It changes nothing else: the same middleware, the
same hardening with DEBUG off. Its URLconf adds two bench-only URLs.
"""

from harmreduction.settings import *  # noqa: F403
from harmreduction.settings import INSTALLED_APPS

# demo: the benchmarks load their data through demo_data --force, with DEBUG off,
# when harmreduction.settings leaves the demo out.
INSTALLED_APPS = [*INSTALLED_APPS, *(app for app in ("demo", "perf") if app not in INSTALLED_APPS)]

ROOT_URLCONF = "perf.urls"
