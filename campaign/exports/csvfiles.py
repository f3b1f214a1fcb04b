"""CSV as every export writes it: UTF-8, RFC 4180 with CRLF, in chunks, formulas neutralised.

A name is whatever a signer typed, and a spreadsheet runs a cell that
starts like a formula; every CSV that leaves (press, delivery lists, the
admins' export) goes through :func:`neutralise` or its inlined form.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from .queries import STREAM_BATCH

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r")


def neutralise(value: str) -> str:
    """Make a cell a spreadsheet shows as text, never runs (OWASP's CSV injection advice)."""
    if value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


def _neutralised(row: tuple[str, ...]) -> list[str]:
    # Inlined neutralise(): this runs for every cell of a million rows.
    return [("'" + c) if c and c[0] in FORMULA_STARTS else c for c in row]


class _LineBuffer(io.StringIO):
    """A csv.writer target emptied after each batch (the writer wants a file)."""

    def take(self) -> str:
        value = self.getvalue()
        self.seek(0)
        self.truncate()
        return value


def csv_chunks(rows: Iterable[tuple[str, ...]], columns: tuple[str, ...] | None) -> Iterator[bytes]:
    """UTF-8 CSV (RFC 4180, CRLF) in chunks of a few thousand rows, formulas neutralised."""
    return csv_batches(map(_neutralised, rows), columns)


def csv_batches(
    rows: Iterable[Sequence[str]], columns: tuple[str, ...] | None = None
) -> Iterator[bytes]:
    """Rows written as they are, cells already safe: for a caller that neutralised them itself.

    A chunk of ``STREAM_BATCH`` rows at a time, so a million rows never sit
    in memory, and the header first when ``columns`` are given.
    """
    buffer = _LineBuffer()
    writer = csv.writer(buffer)
    if columns:
        writer.writerow(columns)
    remaining = iter(rows)
    while batch := list(islice(remaining, STREAM_BATCH)):
        writer.writerows(batch)
        yield buffer.take().encode("utf-8")
    if rest := buffer.take():  # the header of an empty list
        yield rest.encode("utf-8")
