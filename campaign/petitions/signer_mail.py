"""The emails a signer receives about their own signature, as outbox rows' values.

Each is written by its caller in the same transaction as what it is about
(see ``signing.sign``). Every one carries the link to the signer's own page
(see, change, withdraw); only the confirmation request carries the link that
confirms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import tokens
from ..i18n import public_url
from ..mail.services import compose
from ..models import Petition
from .services import call_text


@dataclass(frozen=True)
class Signer:
    """Whom an email about a signature goes to, and which signature it is about."""

    public_id: str
    address: str
    name: str
    language: str


def signature_page_url(public_id: str, language: str) -> str:
    """The signer's own page (see, change, withdraw), as an absolute link for an email."""
    token = tokens.make(tokens.Purpose.SIGNATURE, public_id)
    return public_url("petitions.signature", language, token=token)


def confirmation_request(petition: Petition, signer: Signer) -> dict[str, Any]:
    """The email that confirms this one submission, and no other."""
    confirm_url = public_url(
        "petitions.confirm",
        signer.language,
        token=tokens.make(tokens.Purpose.CONFIRM, signer.public_id),
    )
    title = call_text(petition, signer.language).title
    return _compose(
        petition,
        signer,
        kind="confirm",
        title=title,
        subject=_l("Please confirm your signature: %(title)s", title=title),
        confirm_url=confirm_url,
    )


def already_signed_note(petition: Petition, signer: Signer) -> dict[str, Any]:
    """To a mailbox that has confirmed already: a note with its signature's own page.

    Never an answer on screen, so the sign page cannot tell anyone whether an
    address has signed; and ``signer`` is the confirmed signature, whatever
    the new submission typed.
    """
    title = call_text(petition, signer.language).title
    return _compose(
        petition,
        signer,
        kind="already_signed",
        title=title,
        subject=_l("You have already signed: %(title)s", title=title),
    )


def fresh_link(petition: Petition, signer: Signer) -> dict[str, Any]:
    """A new link to the signer's own page, asked for from an expired one."""
    title = call_text(petition, signer.language).title
    return _compose(
        petition,
        signer,
        kind="signature_link",
        title=title,
        subject=_l("Your signature on “%(title)s”", title=title),
    )


def _compose(
    petition: Petition, signer: Signer, *, kind: str, title: str, subject: Any, **links: str
) -> dict[str, Any]:
    """An email about ``signer``'s signature; the subject names the call as their pages do."""
    context = {
        "petition": petition,
        "name": signer.name,
        "signature_url": signature_page_url(signer.public_id, signer.language),
        "petition_url": public_url("petitions.show", signer.language, slug=petition.slug),
        "max_age_days": current_app.config["CONFIRM_MAX_AGE_DAYS"],
        **links,
    }
    return compose(
        kind=kind,
        to_address=signer.address,
        to_name=signer.name,
        template=kind,
        subject=subject,
        language=signer.language,
        context=context,
        petition_id=petition.id,
        # Rendered once per call text and language, then filled in (mail.services._fill_in).
        personal=("name", "signature_url", *links),
        shared_key=(
            petition.id,
            title,
            petition.organisation,
            context["petition_url"],
            context["max_age_days"],
        ),
    )
