"""What a delivery package may hold and whom it may go to, without loading any PDF library.

The letter's languages, the list fields a campaign can choose, and the
counted signatures per country a package is made from. Kept apart from the
package builder so that the CLI, the forms and the organisers' pages can
read them in processes that never make a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..i18n import LANGUAGE_NAMES, N_
from ..models import DeliveryChannel, Petition, Signature
from .queries import counted

# Why a package cannot be built, stored in a job's row in English (jobs.note_of translates).
NOTHING_TO_DELIVER = N_("This call has no counted signatures to deliver.")

# The languages a cover letter is written in, each with its own name (the form's labels):
# the site's six, the official languages of the United Nations.
LANGUAGES: dict[str, str] = dict(LANGUAGE_NAMES)

# How a package reached its government, as the public pages, the feed and emails name it.
CHANNEL_LABELS: dict[str, str] = {
    DeliveryChannel.EMAIL: _l("By email"),
    DeliveryChannel.BY_HAND: _l("By hand"),
    DeliveryChannel.POST: _l("By post"),
    DeliveryChannel.PORTAL: _l("Through an official portal"),
}

# Delivery fields a campaign can choose, and the CSV columns each gives, in this order.
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "country": ("country_code", "country_name"),
    "confirmed_at": ("confirmed_on",),
    "language": ("language",),
}


@dataclass(frozen=True)
class CountryStats:
    count: int
    first: datetime | None
    last: datetime | None


def delivery_fields(petition: Petition) -> list[str]:
    """The fields the call's lists give, in the order of ``FIELD_COLUMNS``."""
    chosen = [f.strip() for f in (petition.delivery_fields or "").split(",")]
    fields = [f for f in FIELD_COLUMNS if f in chosen]
    return fields or ["name", "country", "confirmed_at"]


def country_stats(petition: Petition) -> dict[str, CountryStats]:
    """Counted signatures per country with their first and last confirmation, read now."""
    rows = db.session.execute(
        select(
            Signature.country,
            func.count(),
            func.min(Signature.confirmed_at),
            func.max(Signature.confirmed_at),
        )
        .where(counted(petition.id))
        .group_by(Signature.country)
    ).all()
    return {code: CountryStats(n, first, last) for code, n, first, last in rows}


def recipients(petition: Petition) -> list[str]:
    """Countries with counted signatures: the governments a package can go to."""
    return sorted(country_stats(petition))
