"""Production settings and the Content-Security-Policy: what check --deploy
checks, and what it does not (the CSP)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "t3st-" + "k9Qz7vX2pL" * 6,
    "ALLOWED_HOSTS": "companion.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://companion.example.org",
}


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={k: v for k, v in {**os.environ, **env}.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_with_no_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_requires_a_secret_key_when_debug_is_off():
    result = _manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("path", ["/login/", "/healthz"])
def test_it_sends_a_strict_csp(client, db, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "*" not in policy


def test_it_sends_a_strict_csp_to_signed_in_users(client, peer):
    client.force_login(peer)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    # htmx is our own copy, loaded with the nonce: nothing from another host.
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_it_sets_the_other_security_headers(client, db):
    response = client.get("/login/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_it_keeps_templates_within_the_csp(template):
    """No inline script or style, no event handler attributes, nothing htmx would eval."""
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert "<style" not in text, "inline <style>"
    assert not re.search(r"\sstyle=", text), "style attribute"
    assert not re.search(r"\son[a-z]+=", text), "event handler attribute"
    assert not re.search(r"hx-on", text), "hx-on runs inline JavaScript"
    assert not re.search(r"hx-trigger=\"[^\"]*\[", text), "trigger filters are eval'd"
    assert "js:" not in text and "javascript:" not in text
    assert not re.search(r"(src|href)=\"(https?:)?//", text), "loads from another host"


def test_it_configures_htmx_for_the_csp_and_privacy():
    base = (ROOT / "templates" / "base.html").read_text()
    for setting in ['"allowEval": false', '"includeIndicatorStyles": false',
                    '"historyCacheSize": 0', '"selfRequestsOnly": true']:
        assert setting in base


def test_it_serves_htmx_from_our_own_static_files():
    assert list((ROOT / "static" / "vendor").glob("htmx-2.*.min.js"))
    assert settings.STATICFILES_DIRS


def test_it_requires_two_step_sign_in_for_supervisors_and_admins_in_production():
    code = "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED_ROLES)"
    result = _manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "['Supervisor', 'Content admin']" in result.stdout
