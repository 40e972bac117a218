"""The installable app: what the service worker keeps, and for whom (docs/offline.md).

Two caches in the browser, both named with the release's version:

- the shell (`pc-shell-<version>`): CSS, JavaScript, icons and the offline
  page, the same for everyone, fetched without cookies;
- the person's copy (`pc-user-<user id>-<version>`): the pages of
  `copy_urls(user)`, fetched after sign-in with the `X-Offline-Copy` header.

The worker keeps a page only when the answer says `X-Offline-Copy: 1`, which
only the views marked `@offline_copy` send. None of them shows participant
data: check-ins, participants, review, the dashboard, follow-ups and feedback
are never kept, whatever the list says.
"""

import functools
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

HEADER = "X-Offline-Copy"
# Fetched without cookies, the same for every visitor: kept at install.
SHELL_STATIC = (
    "css/app.css",
    "vendor/htmx-2.0.10.min.js",
    "js/session.js",
    "js/offline-queue.js",
    "js/checkin-form.js",
    "js/print-button.js",
    "js/app.js",
    "js/offline-page.js",
    "js/offline-directory.js",
    "icon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
)
WORKER_SOURCE = "js/sw.js"
# Where js/offline-queue.js keeps the sealed check-ins; the worker reads the same (Background Sync).
QUEUE_DB = "peer-companion"
QUEUE_STORE = "sealed-checkins"
# The worker and the scripts that only matter without signal: 12 KB compressed at most
# together, counted apart from the pages' scripts (25 KB; bench_offline prints both).
OFFLINE_SCRIPTS = ("js/sw.js", "js/app.js", "js/offline-queue.js", "js/offline-directory.js", "js/offline-page.js")
# Never kept by the worker, even if a list named them (a second lock behind the header).
PRIVATE_PREFIXES = ("/participants/", "/review/", "/dashboard/", "/follow-ups/", "/feedback/", "/account/",
                    "/admin/")


def wants_copy(request) -> bool:
    """Whether the worker is asking for a page to keep (not a person looking at it)."""
    return request.headers.get(HEADER) == "1"


def offline_copy(view: Callable) -> Callable:
    """Mark a view's 200 answer as fit to keep on the tablet when the worker asks for it.

    Only for views that show no participant data, and only when the request asked
    (`X-Offline-Copy: 1`): a page the person opens is not marked, so the worker
    never keeps what it did not fetch itself.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if wants_copy(request) and response.status_code == 200:
            response[HEADER] = "1"
        return response

    return wrapper


@functools.lru_cache(maxsize=1)
def _release_version() -> str:
    digest = hashlib.sha256(settings.RELEASE.encode())
    for name in (WORKER_SOURCE, *SHELL_STATIC):
        path = finders.find(name)
        digest.update(name.encode() + b"\0")
        if path:
            with open(path, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:12]


def worker_version() -> str:
    """A digest of the worker and every file of the shell (and RELEASE, when set).

    A release that changes any of them is a new cache: the worker installs again
    and deletes the old caches. In development, worked out on every request so
    an edited file is a new version at once.
    """
    if settings.DEBUG:
        _release_version.cache_clear()
    return _release_version()


def shell_urls() -> list[str]:
    return [static(name) for name in SHELL_STATIC] + [reverse("manifest"), reverse("offline")]


def copy_urls(user) -> list[str]:
    """The pages this person may open, to keep for use without signal.

    Asked of the same permissions the views check, so the worker never asks
    for a page that would answer 403 (a content admin who is not a peer gets
    no check-in form).
    """
    from resources.models import Card

    urls = []
    if user.has_perm("resources.view_card"):
        urls.append(reverse("resources:library"))
        showable = set(Card.objects.showable().values_list("pk", flat=True))
        for pk, slug in Card.objects.in_reading_order().values_list("pk", "slug"):
            urls.append(reverse("resources:card_detail", args=[slug]))
            if pk in showable:
                # The show screen as it opens, and in each language its switch offers
                # (?lang=), so "Español" works without signal too (docs/offline.md).
                show = reverse("resources:card_show", args=[slug])
                urls += [show, *(f"{show}?lang={code}" for code, _ in settings.LANGUAGES)]
    if user.has_perm("resources.view_term"):
        urls.append(reverse("resources:terms"))
    if user.has_perm("resources.view_service"):
        urls.append(reverse("resources:directory_offline"))
    if user.has_perm("sessions_app.add_checkin"):
        urls.append(reverse("sessions_app:checkin_new"))
    return urls
