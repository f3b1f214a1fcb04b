"""The pages a signer reaches from their emails: confirm or discard one submission,
the thank-you page, and their own signature's page (see, change, withdraw).

Each link's token names one submission by its public id. These pages use
the session's CSRF token for their buttons (checked after the link's own
token, so a broken link gets the page that explains it rather than a CSRF
error) and are never cached.
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_wtf.csrf import validate_csrf
from sqlalchemy.exc import IntegrityError
from wtforms import ValidationError

from .. import countries, tokens
from ..database import each_statement_commits
from ..extensions import csrf, db
from ..i18n import current_language
from ..models import Lifecycle, Petition, Signature
from ..security import configured_limit
from . import bp, lifecycle, services
from .forms import ChoicesForm, ConfirmForm, FreshLinkForm, WithdrawForm

# The session remembers the signature its browser just confirmed, for the thank-you page.
_JUST_CONFIRMED = "just_confirmed"


def _link_problem(problem: str, petition: Petition | None = None, *, about: str = "confirm"):
    """A link that cannot be used: why, in words about what the link was for."""
    petition = petition or services.featured_petition()
    status = {"expired": 410, "withdrawn": 410, "gone": 410}.get(problem, 404)
    page = render_template(
        "petitions/link_problem.html", problem=problem, about=about, petition=petition
    )
    return page, status


def _session_expired():
    """The buttons need the session their page set; explain, don't fail."""
    return render_template("petitions/session_expired.html", retry_url=request.url), 400


def _csrf_ok() -> bool:
    # The confirm page's buttons carry nothing but the session's CSRF token: it is
    # checked alone, without building the form (and a fresh token) only to discard them.
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


def _country_name(code: str) -> str:
    return countries.name(code, current_language())


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@csrf.exempt
@configured_limit("CONFIRM_RATE_LIMIT")
def confirm(token: str):
    """Show one submission as it was made, and confirm or discard exactly that one."""
    each_statement_commits()  # confirming moves the signature and counts it in one statement
    max_age = current_app.config["CONFIRM_MAX_AGE_DAYS"] * 86400
    try:
        public_id = tokens.read(tokens.Purpose.CONFIRM, token, max_age)
    except tokens.TokenExpired:
        return _link_problem("expired")
    except tokens.TokenInvalid:
        return _link_problem("invalid")
    # Plain columns, not the ORM objects: the click that confirms reads nothing else.
    target = lifecycle.link_target(public_id) if isinstance(public_id, str) else None
    if target is None:
        return _link_problem("gone" if isinstance(public_id, str) else "invalid")
    if target.status == Lifecycle.WITHDRAWN:
        return _link_problem("withdrawn", db.session.get(Petition, target.petition_id))
    if target.status == Lifecycle.CONFIRMED:
        return _already_confirmed(target.petition_id, target.public_id)
    if not lifecycle.accepts_confirmations(target):
        petition = db.session.get(Petition, target.petition_id)
        return render_template("petitions/closed.html", petition=petition), 409
    if request.method == "POST":
        if not _csrf_ok():
            return _session_expired()
        if request.form.get("discard"):
            return _discard(target)
        return _confirm(target)
    return render_template(
        "petitions/confirm.html",
        petition=db.session.get(Petition, target.petition_id),
        submission=target,
        country_name=_country_name(target.country),
        form=ConfirmForm(),
    )


def _confirm(target: lifecycle.LinkTarget):
    try:
        lifecycle.confirm(target)
        db.session.commit()
    except IntegrityError:
        # Another submission of this mailbox was confirmed a moment earlier: that one stands.
        db.session.rollback()
        lifecycle.discard(target)
        db.session.commit()
        return _already_confirmed(target.petition_id, None)
    session[_JUST_CONFIRMED] = {"call": target.slug, "signature": target.public_id}
    return redirect(url_for(".thank_you", slug=target.slug), code=303)


def _discard(target: lifecycle.LinkTarget):
    lifecycle.discard(target)
    db.session.commit()
    petition = db.session.get(Petition, target.petition_id)
    return render_template("petitions/discarded.html", petition=petition)


def _already_confirmed(petition_id: int, public_id: str | None):
    """The mailbox has a confirmed signature here; its page is linked when this link is its own."""
    petition = db.session.get(Petition, petition_id)
    signature_url = None
    if public_id is not None:
        token = tokens.make(tokens.Purpose.SIGNATURE, public_id)
        signature_url = url_for(".signature", token=token)
    return render_template(
        "petitions/already_confirmed.html", petition=petition, signature_url=signature_url
    )


@bp.get("/<slug:slug>/thank-you")
def thank_you(slug: str):
    """Only for the browser that has just confirmed here; anyone else is sent to the call."""
    petition = services.get_public_petition(slug)
    just_confirmed = session.get(_JUST_CONFIRMED) or {}
    if petition is None or just_confirmed.get("call") != slug:
        return redirect(url_for(".show", slug=slug), code=303)
    # Its receipt is shown (campaign.receipts, through a template global).
    return render_template(
        "petitions/thank_you.html",
        petition=petition,
        signature_public_id=just_confirmed.get("signature"),
    )


# The signer's own page. /withdraw/ is the address withdraw links had before the page
# did more than withdraw: links already in people's mailboxes open it.
@bp.route("/withdraw/<token>", methods=["GET", "POST"])
@bp.route("/signature/<token>", methods=["GET", "POST"])
@csrf.exempt
@configured_limit("CONFIRM_RATE_LIMIT")
def signature(token: str):
    """See a signature as it stands, change how it appears, or withdraw it."""
    days = current_app.config["SIGNATURE_LINK_MAX_AGE_DAYS"]
    try:
        public_id = tokens.read(tokens.Purpose.SIGNATURE, token, days * 86400 or None)
    except tokens.TokenExpired as expired:
        return _expired_signature_link(expired.payload)
    except tokens.TokenInvalid:
        return _link_problem("invalid", about="signature")
    if not isinstance(public_id, str):
        return _link_problem("invalid", about="signature")
    found = lifecycle.signature_by_public_id(public_id)
    if found is None:
        return _link_problem("gone", about="signature")
    if found.status == Lifecycle.WITHDRAWN:
        return render_template("petitions/withdrawn.html", petition=found.petition)
    choices = ChoicesForm(obj=found)
    withdrawal = WithdrawForm()
    if request.method == "POST":
        if withdrawal.submit.data and withdrawal.validate():
            return _withdraw(found)
        if choices.save.data and found.status == Lifecycle.CONFIRMED and choices.validate():
            lifecycle.change_choices(
                found,
                public=choices.public.data,
                updates=choices.updates.data,
                government_news=choices.government_news.data,
            )
            db.session.commit()
            return _signature_page(found, choices, withdrawal, saved=True)
        return _session_expired()
    return _signature_page(found, choices, withdrawal)


def _signature_page(
    found: Signature, choices: ChoicesForm, withdrawal: WithdrawForm, *, saved: bool = False
):
    return render_template(
        "petitions/signature.html",
        petition=found.petition,
        signature=found,
        country_name=_country_name(found.country),
        choices=choices,
        withdrawal=withdrawal,
        saved=saved,
    )


def _withdraw(found: Signature):
    petition = found.petition
    if found.status == Lifecycle.PENDING:
        lifecycle.discard(found)
        db.session.commit()
        return render_template("petitions/discarded.html", petition=petition)
    lifecycle.withdraw(found)
    db.session.commit()
    return render_template("petitions/withdrawn.html", petition=petition)


def _expired_signature_link(public_id: object):
    """An old link to a signer's page: offer a fresh one, sent to the address that signed."""
    form = FreshLinkForm()
    if request.method == "POST":
        if not form.validate():
            return _session_expired()
        if isinstance(public_id, str):
            lifecycle.send_fresh_link(public_id)
            db.session.commit()
        return render_template("petitions/fresh_link_sent.html"), 200
    return render_template("petitions/signature_link_expired.html", form=form), 410
