"""Who is asking: the client's address, read through the proxies we trust.

gunicorn sets REMOTE_ADDR from its socket, so behind nginx every request
comes from the proxy. The proxy appends the address it saw to
X-Forwarded-For, but a client can send that header too: only the hops a
trusted proxy added mean anything. TRUSTED_PROXIES (settings, from the
environment) lists the proxies' addresses or networks; empty trusts none.

One helper for the sign-in pause (AXES_CLIENT_IP_CALLABLE), the audit log and
the sessions page, so all three always name the same address.
"""

from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = IPv4Address | IPv6Address


def client_address(request) -> str | None:
    """The client's address: the rightmost hop that is not a trusted proxy.

    REMOTE_ADDR itself when it is not a trusted proxy (a client can say
    anything in a header). Otherwise X-Forwarded-For is read from the right,
    past trusted hops; when every hop is trusted, the leftmost; when a hop is
    not an address, the last one that was (never a word the client made up).
    """
    if request is None:
        return None
    address = _parse(request.META.get("REMOTE_ADDR", ""))
    if address is None:
        return None
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if not _is_trusted(address, networks):
        return str(address)
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        forwarded = _parse(hop.strip())
        if forwarded is None:
            break
        address = forwarded
        if not _is_trusted(address, networks):
            break
    return str(address)


@lru_cache(maxsize=4)
def trusted_networks(entries: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    """TRUSTED_PROXIES as networks (an address is a network of one), parsed once per value."""
    bad = invalid_entries(entries)
    if bad:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES has entries that are not addresses or networks: {', '.join(bad)}")
    return tuple(ip_network(entry, strict=False) for entry in entries)


def invalid_entries(entries) -> list[str]:
    bad = []
    for entry in entries:
        try:
            ip_network(entry, strict=False)
        except ValueError:
            bad.append(entry)
    return bad


def _parse(value: str) -> Address | None:
    try:
        address = ip_address(value)
    except ValueError:
        return None
    # A dual-stack socket reports an IPv4 client as ::ffff:a.b.c.d; it is still that IPv4 client.
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks) -> bool:
    return any(address in network for network in networks)
