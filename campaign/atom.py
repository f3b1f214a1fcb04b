"""What every Atom feed of the site (RFC 4287) shares: tag URIs, times, safe text.

Ids are tag URIs (RFC 4151) made from the site's host, the day the record
was made and a name of the row's own, so they never change when a title, a
language or a path does. Text is stripped of what XML 1.0 cannot carry.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from flask import current_app

from .timezones import iso_utc

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry, even escaped.
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

ET.register_namespace("", ATOM)


def tag_uri(moment: datetime, specific: str) -> str:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"tag:{host},{moment.date().isoformat()}:{specific}"


def time_text(moment: datetime) -> str | None:
    """RFC 3339 in UTC, to the second."""
    return iso_utc(moment.replace(microsecond=0))


def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """An Atom element under ``parent``, its text made safe for XML."""
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element
