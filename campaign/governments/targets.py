"""A call's targets: the governments it addresses, one per country.

Each target names the body written to (``Federal Department of Foreign
Affairs``), its contact addresses (never public), a postal address, the
letter's languages (site letter languages, the first preferred) and the
signature threshold at which the call is ready to hand over. The checks
here are the one set of rules the back-office form, the CSV import and the
command line share. Every change is in the audit log with the country and
the names of the fields changed, never their values. Functions never read
the request and never commit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import countries, emails
from ..exports.delivery_options import LANGUAGES
from ..extensions import db
from ..forms import clean_text
from ..i18n import current_language
from ..models import CountryCount, Delivery, GovernmentTarget, Organiser, Petition
from ..organisers import audit

# The languages a letter can be written in (those of the delivery package's cover letter).
LETTER_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)
BODY_MAX = 300
POSTAL_MAX = 1000
EMAILS_MAX = 20
THRESHOLD_MAX = 2_000_000_000
_EMAIL_SEPARATORS = re.compile(r"[\s;,]+")


class TargetError(ValueError):
    """A value a target cannot take; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class TargetValues:
    """A target's editable values, checked (see :func:`check_values`)."""

    country: str
    body: str
    emails: list[str] = field(default_factory=list)
    postal_address: str = ""
    languages: list[str] = field(default_factory=lambda: ["en"])
    threshold: int = 0


def check_country(text: str | None) -> str:
    code = (text or "").strip().upper()
    if not code:
        raise TargetError(_("Please give the country's two-letter code."), "country")
    if code not in countries.codes():
        raise TargetError(
            _("“%(code)s” is not a country code (ISO 3166-1 alpha-2, such as CH).", code=code),
            "country",
        )
    return code


def _country(code: str) -> str:
    """A country's name in the language messages are written in."""
    return countries.name(code, current_language())


def _has_control_characters(text: str, allowed: str = "") -> bool:
    return any(
        unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in allowed for c in text
    )


def check_body(text: str | None) -> str:
    body = clean_text(text) or ""
    if not body:
        raise TargetError(_("Please name the body the letter is addressed to."), "body")
    if len(body) > BODY_MAX:
        raise TargetError(
            _("Please keep the body's name to %(max)d characters at most.", max=BODY_MAX), "body"
        )
    if _has_control_characters(body):
        raise TargetError(
            _("Please use letters, spaces and punctuation only, on one line."), "body"
        )
    return body


def parse_emails(text: str | None) -> list[str]:
    """Contact addresses, separated by new lines, spaces, commas or semicolons; each checked."""
    found: list[str] = []
    smtputf8 = current_app.config["MAIL_SMTPUTF8"]
    for address in _EMAIL_SEPARATORS.split(text or ""):
        if not address:
            continue
        try:
            normalised = emails.normalise(address, allow_smtputf8=smtputf8)
        except ValueError:
            raise TargetError(
                _("“%(address)s” is not a valid email address.", address=address), "emails"
            ) from None
        if normalised.lower() not in (known.lower() for known in found):
            found.append(normalised)
    if len(found) > EMAILS_MAX:
        raise TargetError(
            _("Please give at most %(max)d contact addresses.", max=EMAILS_MAX), "emails"
        )
    return found


def parse_languages(text: str | None) -> list[str]:
    """Space-separated letter languages, the first preferred: ``fr en``."""
    chosen: list[str] = []
    for code in (text or "").lower().split():
        if code not in LETTER_LANGUAGES:
            raise TargetError(
                _(
                    "“%(code)s” is not a language the letter can be written in: use %(known)s.",
                    code=code,
                    known=" ".join(LETTER_LANGUAGES),
                ),
                "languages",
            )
        if code not in chosen:
            chosen.append(code)
    if not chosen:
        raise TargetError(
            _("Please give the letter's language (%(known)s).", known=" ".join(LETTER_LANGUAGES)),
            "languages",
        )
    return chosen


def check_threshold(value: int | str | None) -> int:
    """A whole number of signatures, zero or more (blank means zero)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    try:
        number = int(value.strip()) if isinstance(value, str) else int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= THRESHOLD_MAX:
        raise TargetError(
            _("The threshold must be a whole number of signatures, 0 or more."), "threshold"
        )
    return number


def check_postal_address(text: str | None) -> str:
    lines = [clean_text(line) or "" for line in (text or "").splitlines()]
    address = "\n".join(line for line in lines if line)
    if len(address) > POSTAL_MAX:
        raise TargetError(
            _("Please keep the postal address to %(max)d characters at most.", max=POSTAL_MAX),
            "postal_address",
        )
    if _has_control_characters(address, allowed="\n"):
        raise TargetError(
            _("This text contains invisible control characters. Please remove them."),
            "postal_address",
        )
    return address


# -- reading ---------------------------------------------------------------------------


def targets_of(petition: Petition) -> list[GovernmentTarget]:
    """A call's targets, by country code."""
    return list(
        db.session.scalars(
            select(GovernmentTarget)
            .where(GovernmentTarget.petition_id == petition.id)
            .order_by(GovernmentTarget.country)
        )
    )


def target_of(petition: Petition, country: str) -> GovernmentTarget | None:
    return db.session.scalar(
        select(GovernmentTarget).where(
            GovernmentTarget.petition_id == petition.id, GovernmentTarget.country == country
        )
    )


def country_counts(petition: Petition) -> dict[str, int]:
    """Counted signatures per country (the maintained counts, never a COUNT(*))."""
    rows = db.session.execute(
        select(CountryCount.country, CountryCount.signature_count).where(
            CountryCount.petition_id == petition.id, CountryCount.signature_count > 0
        )
    )
    return {code: count for code, count in rows}


def deliveries_recorded(target: GovernmentTarget) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Delivery).where(Delivery.target_id == target.id)
    )


# -- changing ---------------------------------------------------------------------------


def _columns(values: TargetValues) -> dict[str, object]:
    columns = asdict(values)
    columns["emails"] = "\n".join(values.emails)
    columns["languages"] = " ".join(values.languages)
    return columns


def _apply(target: GovernmentTarget, values: TargetValues) -> list[str]:
    """Set ``values`` on ``target``; the names of the fields that changed."""
    changed = []
    for name, value in _columns(values).items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    return changed


def add_target(
    petition: Petition, values: TargetValues, actor: Organiser | None
) -> GovernmentTarget:
    """A new target; refused (TargetError on ``country``) when the country has one."""
    if target_of(petition, values.country) is not None:
        raise TargetError(
            _("This call already addresses %(country)s.", country=_country(values.country)),
            "country",
        )
    target = GovernmentTarget(petition_id=petition.id, **_columns(values))
    db.session.add(target)
    db.session.flush()
    audit.record(
        actor,
        "add_government_target",
        "government_target",
        target.id,
        {"petition_id": petition.id, "country": target.country, "fields": sorted(asdict(values))},
    )
    return target


def edit_target(
    target: GovernmentTarget, values: TargetValues, actor: Organiser | None
) -> list[str]:
    """Change a target; the names of the fields changed. Another target's country is
    refused (TargetError on ``country``)."""
    if values.country != target.country and deliveries_recorded(target):
        raise TargetError(
            _(
                "A delivery to %(country)s is recorded: the target's country stays.",
                country=_country(target.country),
            ),
            "country",
        )
    if values.country != target.country:
        other = target_of(db.session.get(Petition, target.petition_id), values.country)
        if other is not None:
            raise TargetError(
                _(
                    "This call already addresses %(country)s.",
                    country=_country(values.country),
                ),
                "country",
            )
    changed = _apply(target, values)
    if {"threshold", "country"} & set(changed):
        # A new bar: the team hears again when it is reached (governments.thresholds).
        target.threshold_reached_at = None
    if "emails" in changed:
        # New addresses: the bounce was the old ones' (see target_bounces).
        target.bounced_at = None
        target.bounce_reason = None
    if changed:
        audit.record(
            actor,
            "edit_government_target",
            "government_target",
            target.id,
            {"country": target.country, "fields": changed},
        )
    return changed


def delete_target(target: GovernmentTarget, actor: Organiser | None) -> None:
    """Remove a target. Refused (TargetError) once a delivery to it is recorded: the public
    record of that delivery stays whole."""
    if deliveries_recorded(target):
        raise TargetError(
            _(
                "A delivery to %(country)s is recorded: its target stays, so the record stays "
                "whole. Edit it instead.",
                country=_country(target.country),
            )
        )
    audit.record(
        actor,
        "delete_government_target",
        "government_target",
        target.id,
        {"petition_id": target.petition_id, "country": target.country},
    )
    db.session.delete(target)
