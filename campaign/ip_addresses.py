"""Client IP addresses as stored: 16 bytes, IPv4 mapped into IPv6.

Stored this way, a CIDR range is a byte range, so ``BETWEEN`` finds the
addresses of a range on SQLite and PostgreSQL alike (the design decisions
ask for CIDR searches on both).
"""

from __future__ import annotations

import ipaddress


def pack_ip(ip: str | None) -> bytes | None:
    """16 bytes for an address as text, or None for a missing or unreadable one."""
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv4Address):
        address = ipaddress.IPv6Address(b"\0" * 10 + b"\xff\xff" + address.packed)
    return address.packed


def unpack_ip(packed: bytes | None) -> str:
    """The address as people write it (IPv4 without its IPv6 mapping); "" for none."""
    if not packed:
        return ""
    address = ipaddress.IPv6Address(packed)
    return str(address.ipv4_mapped or address)


def ip_range(text: str) -> tuple[bytes, bytes]:
    """The first and last packed address of an IP or CIDR range (``ValueError`` if bad)."""
    network = ipaddress.ip_network(text.strip(), strict=False)
    low = pack_ip(str(network.network_address))
    high = pack_ip(str(network.broadcast_address))
    assert low is not None and high is not None
    return low, high
