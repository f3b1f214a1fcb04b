"""Personal data cut out of log text: full IP addresses, email addresses, signed tokens.

The rules of campaign/logging.py (its docstring says why): a client
address is cut to its network (IPv4 /24, IPv6 /48), email addresses are
replaced, and path segments that are signed tokens too.

Standard library only, and importing nothing of the package: gunicorn's
master process loads this file by its path for its own log lines
(``ScrubbingLogger`` in gunicorn.conf.py). Importing it as
``campaign.scrubbing`` would import the whole app into the master, and
workers forked after a reload (``kill -HUP``) would run the old code.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

_EMAIL = re.compile(r"[^\s<>\"'(),;:@]+@[^\s<>\"'(),;:@]+\.[A-Za-z0-9-]+")
_IPV4 = re.compile(r"(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
# itsdangerous tokens: base64url payload, then timestamp and signature after dots.
_TOKEN_SEGMENT = re.compile(r"/[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]{4,}){2,}")


@lru_cache(maxsize=4096)
def truncate_ip(address: str | None) -> str | None:
    """The network an address belongs to: IPv4 to /24, IPv6 to /48 (IPv4-mapped as IPv4).

    Remembered: every request logs its client's network, and a proxy's or a
    busy client's address comes back again and again.
    """
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "invalid"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


# The machine's own usual addresses are nobody's: "Running on http://127.0.0.1:5000" stays
# true. Only these two: other loopback addresses (127.0.0.3) are cut like any client's.
_OWN_V4 = ("127.0.0.1", "0.0.0.0")  # noqa: S104 - compared with text, never bound


def _truncate_v4(match: re.Match[str]) -> str:
    if any(int(part) > 255 for part in match.groups()) or match.group(0) in _OWN_V4:
        return match.group(0)
    return f"{match.group(1)}.{match.group(2)}.{match.group(3)}.0/24"


def _truncate_v6(match: re.Match[str]) -> str:
    text = match.group(0)
    try:
        address = ipaddress.IPv6Address(text)
    except ValueError:
        return text  # a time like 10:02:03, or anything else that is not an address
    if address.is_loopback or address.is_unspecified:
        return text
    return truncate_ip(text) or text


def scrub(text: str) -> str:
    """Remove email addresses and full IP addresses from free text."""
    if "@" in text:
        text = _EMAIL.sub("[email]", text)
    if "." in text:
        text = _IPV4.sub(_truncate_v4, text)
    if ":" in text:
        text = _IPV6.sub(_truncate_v6, text)
    return text


def scrub_path(path: str) -> str:
    """A path fit for a log: tokens and email addresses replaced."""
    if "." in path:
        path = _TOKEN_SEGMENT.sub("/[token]", path)
    return scrub(path)
