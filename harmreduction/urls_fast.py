"""reverse() for the links every page draws by the dozen.

Django's reverse() takes about a tenth of a millisecond: the top bar's
sections, the library's cards and a list of 25 check-ins each spent a few
milliseconds a request on it. A URL depends only on its name, its arguments
and the script prefix, none of which changes while a process runs.
"""

import functools

from django.urls import get_script_prefix, reverse

_MARKER = 918273645


@functools.lru_cache(maxsize=2048)
def _reverse(script_prefix: str, url_name: str, args: tuple) -> str:
    return reverse(url_name, args=args)


def reverse_once(url_name: str, *args) -> str:
    """reverse(url_name, args=args), remembered: for the few URLs drawn again and again
    (the top bar's sections, the library's cards). Not for ids: see url_for_id."""
    return _reverse(get_script_prefix(), url_name, args)


@functools.lru_cache(maxsize=64)
def _pattern(script_prefix: str, url_name: str) -> str:
    url = reverse(url_name, args=[_MARKER])
    # The marker must stand for the id alone, once, for the swap to be exact.
    assert url.count(str(_MARKER)) == 1, url
    return url


def url_for_id(url_name: str, pk: int) -> str:
    """reverse(url_name, args=[pk]), for a URL whose one argument is an integer id: reversed
    once with a marker id, which is then swapped for the real one (ids are too many to remember)."""
    return _pattern(get_script_prefix(), url_name).replace(str(_MARKER), str(int(pk)))
