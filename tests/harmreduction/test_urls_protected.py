"""Deny by default: every URL sends an anonymous visitor to sign in.

Walks the whole URLconf, so a view added without protection fails here.
"""

import pytest
from django.urls import reverse

from tests.urlwalk import url_patterns

# The only pages a person who has not signed in may reach.
PUBLIC = {"login/", "healthz", "admin/login/", "sw.js", "manifest.webmanifest", "offline/"}


def _ends_at_login(client, path):
    response = client.get(path)
    for _ in range(3):
        if response.status_code != 302:
            break
        location = response["Location"]
        if location.startswith(reverse("login")):
            return True
        response = client.get(location)
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("pattern,name,path", list(url_patterns()), ids=lambda v: str(v))
def test_it_sends_anonymous_users_to_login(client, pattern, name, path):
    if pattern in PUBLIC:
        response = client.get(path)
        assert response.status_code in (200, 302), pattern
        return
    assert _ends_at_login(client, path), f"{pattern} ({name}) is reachable without signing in"


def test_it_knows_every_public_pattern():
    # A public entry that no longer exists would silently widen the list.
    patterns = {pattern for pattern, _, _ in url_patterns()}
    assert PUBLIC <= patterns
