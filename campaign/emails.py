"""Email addresses: checked as typed, and reduced to a canonical form for duplicates."""

from __future__ import annotations

import contextlib
import re

from email_validator import EmailNotValidError, validate_email

# Providers known to ignore dots in the local part and to deliver "+tag" to the same box.
_DOTLESS_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
# Providers that deliver "local+tag" (or "local-tag") to "local".
_PLUS_TAG_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "fastmail.com",
        "yandex.ru",
        "yandex.com",
    }
)
_DOMAIN_ALIASES = {
    "googlemail.com": "gmail.com",
    "pm.me": "proton.me",
    "protonmail.com": "proton.me",
}


class NeedsSMTPUTF8(ValueError):
    """A valid address with non-ASCII letters before the @ (``jösé@example.net``): only an
    SMTP server that offers SMTPUTF8 (RFC 6531) can send to it. A non-ASCII domain alone
    needs nothing of the server: it travels as IDNA (``ada@xn--bcher-kva.example``)."""


def normalise(address: str, *, allow_smtputf8: bool) -> str:
    """Check an address's syntax and return it as it should be stored for sending.

    ``allow_smtputf8`` says whether the SMTP server can take an internationalised
    local part; without it such an address raises :class:`NeedsSMTPUTF8`. Any other
    invalid address raises ``ValueError`` with email-validator's message.
    Deliverability (DNS) is not checked during a request: it is slow and fails on
    closed networks.
    """
    address = address.strip()
    try:
        result = validate_email(address, check_deliverability=False, allow_smtputf8=allow_smtputf8)
    except EmailNotValidError as error:
        if not allow_smtputf8 and _valid_with_smtputf8(address):
            raise NeedsSMTPUTF8(str(error)) from None
        raise ValueError(str(error)) from None
    return result.normalized


def _valid_with_smtputf8(address: str) -> bool:
    """Whether an address refused without SMTPUTF8 was refused for that alone (the
    option changes only what the local part may hold)."""
    try:
        validate_email(address, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        return False
    return True


def canonical(address: str) -> str:
    """The form two addresses share when they reach the same mailbox."""
    local, _, domain = address.strip().rpartition("@")
    domain = domain.lower().rstrip(".")
    with contextlib.suppress(UnicodeError):  # keep an undecodable domain as typed
        domain = domain.encode("idna").decode("ascii")
    local = local.lower()
    if domain in _PLUS_TAG_DOMAINS:
        local = local.split("+", 1)[0]
    if domain in _DOTLESS_DOMAINS:
        local = local.replace(".", "")
    domain = _DOMAIN_ALIASES.get(domain, domain)
    return f"{local}@{domain}"


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].lower()


_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def normalise_domain(text: str) -> str:
    """A domain as canonical addresses spell it (lower case, IDNA, provider aliases).

    Raises ``ValueError`` when ``text`` is not a domain name.
    """
    domain = text.strip().lower().lstrip("@").rstrip(".")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(domain) from None
    if not _DOMAIN.match(domain):
        raise ValueError(domain)
    return canonical(f"x@{domain}").partition("@")[2]
