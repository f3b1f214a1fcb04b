"""How a call is delivered: its signers named or only counted, and the fields its lists give.

One function changes them, for the back office's form and ``flask export
settings`` alike, so both check the same rules and both leave an audit
entry. Nothing here commits: the caller does.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import DeliveryMode, Organiser, Petition
from ..organisers import audit
from .delivery_options import FIELD_COLUMNS, delivery_fields

MODE_LABELS = {
    DeliveryMode.NAMES: _l("Names: the lists name each counted signer, with the fields below"),
    DeliveryMode.COUNTS_ONLY: _l(
        "Totals only: packages name nobody, for causes where naming signers to their own "
        "government would put them in danger"
    ),
}
FIELD_LABELS = {
    "name": _l("Name"),
    "country": _l("Country (code and name)"),
    "confirmed_at": _l("Date of confirmation"),
    "language": _l("Language the person signed in"),
}


class SettingsRefused(ValueError):
    """A value the settings cannot take; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def check_mode(value: str | None) -> str:
    if value not in {mode.value for mode in DeliveryMode}:
        raise SettingsRefused(_("Please choose whether packages name the signers."), "mode")
    return str(value)


def check_fields(values: list[str] | None, *, by_label: bool = False) -> list[str]:
    """The chosen fields in the lists' order; at least one, each one the lists know.

    The refusal names the fields by their codes (what the CLI takes), or by the
    labels the back office shows beside its boxes (``by_label``).
    """
    chosen = [value.strip() for value in values or [] if value and value.strip()]
    unknown = [value for value in chosen if value not in FIELD_COLUMNS]
    if unknown or not chosen:
        raise SettingsRefused(
            _(
                "The lists need at least one field: choose from %(fields)s.",
                fields=", ".join(
                    str(FIELD_LABELS[code]) if by_label else code for code in FIELD_COLUMNS
                ),
            ),
            "fields",
        )
    return [field for field in FIELD_COLUMNS if field in chosen]


def change_delivery_settings(
    petition: Petition, *, mode: str, fields: list[str] | None, actor: Organiser | None
) -> dict[str, Any]:
    """Set how ``petition`` is delivered; returns what changed (empty: nothing did).

    ``fields`` None keeps the call's fields (a call delivering totals only
    names nobody, so it need not choose any). Every value is checked before
    any is set, so a refusal changes nothing. ``actor`` None is the command
    line.
    """
    mode = check_mode(mode)
    if fields is None:
        fields = delivery_fields(petition)
    elif fields or mode == DeliveryMode.NAMES:
        fields = check_fields(fields)
    else:
        fields = delivery_fields(petition)
    before = {"delivery_mode": petition.delivery_mode, "delivery_fields": petition.delivery_fields}
    after = {"delivery_mode": mode, "delivery_fields": ",".join(fields)}
    changes = audit.diff(before, after)
    if changes:
        petition.delivery_mode = after["delivery_mode"]
        petition.delivery_fields = after["delivery_fields"]
        audit.record(actor, "edit_delivery_settings", "petition", petition.id, changes)
    return changes
