"""Checking an uploaded PDF by what it holds, never by its name or declared type.

No PDF parser is a dependency of the site (pypdf and pikepdf are the tests'
only), so the check is the format's own frame: a PDF starts with ``%PDF-``
and a version (ISO 32000-1, 7.5.2) and ends with ``%%EOF`` (7.5.5), which
writers place within the last bytes. That refuses a renamed document,
image or archive, an empty or cut-short upload; it does not prove a PDF
well formed, which nothing the site serves depends on (it is served as a
download, ``nosniff``, never rendered by the site).
"""

from __future__ import annotations

import io
import re
from typing import BinaryIO

# The header may follow a few bytes of junk (7.5.2 allows readers to look for it), but
# writers put it first; a file that does not start with it is refused.
_HEADER = re.compile(rb"%PDF-[12]\.\d")
# Where %%EOF may sit from the end: writers add a newline, some a few bytes more.
_TAIL = 1024


class PdfError(ValueError):
    """The upload cannot be used; ``reason`` is "empty", "too_big" or "not_a_pdf"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def checked_size(stream: BinaryIO, max_bytes: int) -> int:
    """The size of a PDF upload that passes the checks; PdfError otherwise. The stream
    is left at its start, to be stored."""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise PdfError("empty")
    if size > max_bytes:
        raise PdfError("too_big")
    head = stream.read(16)
    stream.seek(max(size - _TAIL, 0))
    tail = stream.read(_TAIL)
    stream.seek(0)
    if not _HEADER.match(head) or b"%%EOF" not in tail:
        raise PdfError("not_a_pdf")
    return size
