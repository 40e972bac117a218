"""Benchmark settings: production settings plus one trivial signed-in view.

The baseline endpoint exists only here: it runs behind the same middleware
and session lookup as every page, so search throughput can be given as a
fraction of the fastest page this stack can serve.
"""

from harmreduction.settings import *  # noqa: F403

ROOT_URLCONF = "harmreduction.urls_bench"
