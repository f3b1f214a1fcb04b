"""Importing a call's targets from a CSV file: all of it, or nothing.

The file has a header row naming the columns ``country,body,email,language,threshold``
(in any order), then one row per government: its ISO 3166-1 alpha-2 code,
the body addressed, its contact addresses (several separated by spaces or
semicolons), the letter's languages (space separated, the first preferred)
and the signature threshold. Every row is checked before anything is
written: a file with any bad row is refused whole, with each problem and its
line number. A row for a country the call already addresses updates that
target (its postal address, which the file does not hold, is kept). Used by
the command line and the back office's upload alike; never commits.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..models import Organiser, Petition
from ..organisers import audit
from . import targets
from .targets import TargetError, TargetValues

COLUMNS = ("country", "body", "email", "language", "threshold")
MAX_BYTES = 1 << 20
MAX_ROWS = 1000


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s", line=self.line, message=self.message)


class ImportRefused(ValueError):
    """The file cannot be imported; ``problems`` says why, line by line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportRefused([Problem(1, _("The file is over %(kb)d KB.", kb=MAX_BYTES >> 10))])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            [Problem(line, _("This is not UTF-8 text. Please save the file as CSV UTF-8."))]
        ) from None


def _header(row: list[str]) -> list[str]:
    names = [name.strip().lower() for name in row]
    if sorted(names) != sorted(COLUMNS):
        missing = [name for name in COLUMNS if name not in names]
        unknown = [name for name in names if name not in COLUMNS]
        detail = _("The first row must name the columns %(columns)s.", columns=",".join(COLUMNS))
        if missing:
            detail += " " + _("Missing: %(names)s.", names=", ".join(missing))
        if unknown:
            detail += " " + _("Not known: %(names)s.", names=", ".join(unknown))
        raise ImportRefused([Problem(1, detail)])
    return names


def _values(cells: dict[str, str]) -> tuple[TargetValues | None, list[str]]:
    """A row's values, or the messages of everything wrong with it."""
    checked: dict[str, object] = {}
    messages = []
    checks = {
        "country": targets.check_country,
        "body": targets.check_body,
        "emails": lambda _unused: targets.parse_emails(cells["email"]),
        "languages": lambda _unused: targets.parse_languages(cells["language"]),
        "threshold": targets.check_threshold,
    }
    for name, check in checks.items():
        try:
            checked[name] = check(cells.get(name, ""))
        except TargetError as error:
            messages.append(str(error))
    if messages:
        return None, messages
    return TargetValues(**checked), []  # type: ignore[arg-type]


def read_rows(data: bytes) -> list[tuple[int, TargetValues]]:
    """Every row of the file, checked, with its line number; ImportRefused otherwise."""
    reader = csv.reader(io.StringIO(_text(data), newline=""))
    rows: list[tuple[int, TargetValues]] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    header: list[str] | None = None
    line = 1
    for row in reader:
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = _header(row)
            continue
        if len(row) != len(header):
            message = _(
                "%(found)d columns where the header has %(expected)d.",
                found=len(row),
                expected=len(header),
            )
            problems.append(Problem(start, message))
            continue
        values, messages = _values(dict(zip(header, row, strict=True)))
        problems.extend(Problem(start, message) for message in messages)
        if values is not None:
            if values.country in seen:
                message = _(
                    "%(code)s is already on line %(line)d.",
                    code=values.country,
                    line=seen[values.country],
                )
                problems.append(Problem(start, message))
            seen.setdefault(values.country, start)
            rows.append((start, values))
    if header is None or (not rows and not problems):
        problems.append(Problem(1, _("The file holds no targets.")))
    elif len(rows) > MAX_ROWS:
        problems.append(Problem(1, _("At most %(max)d rows at once.", max=MAX_ROWS)))
    if problems:
        raise ImportRefused(problems)
    return rows


def import_targets(petition: Petition, data: bytes, actor: Organiser | None) -> ImportResult:
    """Add or update the targets a CSV file lists, or raise ImportRefused and change nothing.

    Everything is checked before the first change; the changes and their
    audit entries are in the session for the caller to commit.
    """
    rows = read_rows(data)
    result = ImportResult()
    for _line, values in rows:
        existing = targets.target_of(petition, values.country)
        if existing is None:
            targets.add_target(petition, values, actor)
            result.added.append(values.country)
            continue
        values.postal_address = existing.postal_address
        if targets.edit_target(existing, values, actor):
            result.updated.append(values.country)
        else:
            result.unchanged.append(values.country)
    audit.record(
        actor,
        "import_government_targets",
        "petition",
        petition.id,
        {"added": result.added, "updated": result.updated},
    )
    return result
