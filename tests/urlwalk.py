"""Walk the URLconf so tests cover every URL pattern, including ones added later."""

import re

from django.contrib.admindocs.views import simplify_regex
from django.urls import URLPattern, URLResolver, get_resolver


def url_patterns(patterns=None, prefix="", namespace=""):
    """Yield (pattern string, url name, sample path) for every URL pattern."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if entry.namespace and namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield pattern, name, sample_path(pattern)


def sample_path(pattern: str) -> str:
    """A path that matches `pattern`, with made-up values for its parameters."""
    # Regex alternatives such as the admin's (?P<app_label>auth|harmreduction) take the first.
    pattern = re.sub(r"\(\?P<(\w+)>([\w|]+)\)", lambda m: m.group(2).split("|")[0], pattern)
    path = simplify_regex(pattern)
    samples = {None: "1", "int": "1", "path": "1", "uuid": "00000000-0000-0000-0000-000000000000"}
    return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: samples.get(m.group(1), "x"), path)
