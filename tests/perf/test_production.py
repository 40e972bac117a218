"""A production install has no benchmark, load-test or demo tool: nothing that drops a database
or makes accounts with a published password."""

import os
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "t3st-" + "k9Qz7vX2pL" * 6,
    "ALLOWED_HOSTS": "companion.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}
TOOLS = ["bench", "bench_browser", "bench_languages", "bench_lighthouse", "bench_throughput", "loadtest", "demo_data"]


def _run(*args, env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")}
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env={**environment, **env},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _commands(env) -> set[str]:
    return set(_run("manage.py", "help", "--commands", env=env).split())


def test_it_lists_no_tool_in_a_production_manage_py():
    assert not _commands(PRODUCTION_ENV) & set(TOOLS)


def test_it_lists_every_tool_under_the_perf_settings():
    # The same listing, where they are installed: the test above would see them.
    assert _commands({**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "perf.settings"}) >= set(TOOLS)


def test_it_installs_neither_perf_nor_demo_in_production():
    printed = _run("-c", "from harmreduction import settings; print(' '.join(settings.INSTALLED_APPS))",
                   env=PRODUCTION_ENV).split()
    assert "harmreduction" in printed
    assert "perf" not in printed and "demo" not in printed


def test_it_leaves_perf_and_demo_out_of_the_package():
    # The top-level packages setuptools' find would take, matched as it matches them (fnmatch).
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    packaged = {path.parent.name for path in ROOT.glob("*/__init__.py")
                if any(fnmatch(path.parent.name, pattern) for pattern in patterns["include"])}
    assert {"harmreduction", "resources", "sessions_app"} <= packaged
    assert not packaged & {"perf", "demo"}
