"""How an outbox row becomes what is sent over SMTP: the envelope addresses and the bytes."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, parseaddr

from flask import current_app
from flask_mail import BadHeaderError

from ..models import OutboxMessage
from .bounces import envelope_sender


@dataclass(frozen=True)
class Envelope:
    """A message ready for SMTP: the envelope addresses and the bytes of the message."""

    sender: str
    recipient: str
    data: bytes
    # An address has non-ASCII letters before the @: the server must take SMTPUTF8.
    smtputf8: bool = False


# Headers are encoded once as they are set; the modern policies would parse each one
# back through the header registry to write it, which doubled the cost of a message.
# Folding only past RFC 5322's 998-character limit: compat32 would otherwise move a long
# value (a List-Unsubscribe URL, a long subject) to a continuation line, and readers
# would see it with a leading space.
_SMTP_BYTES = policy.compat32.clone(linesep="\r\n", max_line_length=998)


def _header_value(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise BadHeaderError("line break in a header")
    return value


def _needs_smtputf8(address: str) -> bool:
    """Whether the local part has non-ASCII letters (a non-ASCII domain goes as IDNA)."""
    return not address.isascii() and not address.rpartition("@")[0].isascii()


def _smtp_address(address: str) -> str:
    """``local@domain`` with the domain in IDNA, as SMTP needs it; the local part as
    given, which must be ASCII unless the message goes with SMTPUTF8."""
    local, _, domain = _header_value(address).rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def _address(name: str, address: str) -> str:
    """``Name <local@domain>``, the name encoded if need be."""
    if _needs_smtputf8(address):
        return _utf8_address(name, address)
    address = _smtp_address(address)
    return formataddr((_header_value(name), address), charset="utf-8") if name else address


def _utf8_address(name: str, address: str) -> str:
    """``Name <local@domain>`` in UTF-8 as RFC 6532 allows (for SMTPUTF8 only), name
    quoted if need be. Held as surrogate escapes of its UTF-8 bytes: compat32 writes
    such a value byte for byte, neither encoding nor folding it (``cte_type`` 8bit)."""
    local, _, domain = _smtp_address(address).rpartition("@")
    text = str(Address(display_name=_header_value(name), username=local, domain=domain))
    return text.encode("utf-8").decode("ascii", "surrogateescape")


def _attached(attachments: list[dict[str, str]]) -> list[MIMEBase]:
    """Each stored attachment as a MIME part: text, UTF-8, offered as a file to save."""
    parts: list[MIMEBase] = []
    for attachment in attachments:
        maintype, _, subtype = attachment["content_type"].partition("/")
        part = MIMEText(attachment["content"], subtype or "plain", "utf-8")
        if maintype != "text":
            raise ValueError("only text attachments are stored in the outbox")
        filename = _header_value(attachment["filename"])
        part.add_header("Content-Disposition", "attachment", filename=filename)
        parts.append(part)
    return parts


def build_message(row: OutboxMessage) -> Envelope:
    """The message as it goes over SMTP: text and HTML alternatives, stable Message-ID."""
    sender_name, sender_address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    message = MIMEMultipart(
        "alternative",
        _subparts=[
            MIMEText(row.body_text, "plain", "utf-8"),
            MIMEText(row.body_html, "html", "utf-8"),
        ],
    )
    if row.attachments:
        message = MIMEMultipart("mixed", _subparts=[message, *_attached(row.attachments)])
    subject = _header_value(row.subject)
    message["Subject"] = (
        subject if subject.isascii() else Header(subject, "utf-8", header_name="Subject")
    )
    message["From"] = _address(sender_name, sender_address)
    message["To"] = _address(row.to_name, row.to_address)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = _header_value(row.message_id)
    message["Auto-Submitted"] = "auto-generated"
    # Per-message headers, such as List-Unsubscribe on updates to supporters.
    for name, value in (row.headers or {}).items():
        message[_header_value(name)] = _header_value(value)
    return Envelope(
        # bounces+<tag>@... with MAIL_BOUNCE_ADDRESS (VERP), so a later bounce names this row.
        sender=envelope_sender(row.message_id, _smtp_address(sender_address)),
        recipient=_smtp_address(row.to_address),
        data=message.as_bytes(policy=_SMTP_BYTES),
        smtputf8=_needs_smtputf8(row.to_address) or _needs_smtputf8(sender_address),
    )
