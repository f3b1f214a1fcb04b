"""The organisers' pages that deliver a package by email, and send a fresh link.

Routes on the back office's blueprint (``organisers.access.bp``), for editors
and administrators, as recording a delivery is. The confirmation page shows
exactly what will go (the addresses, the subject, the email's text in the
letter's language, how long the link works); its button records the
delivery and queues the messages in one transaction (:mod:`.email_delivery`,
which also audits). A refusal is explained on the page and writes nothing.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import countries
from ..extensions import db
from ..i18n import current_language
from ..models import Delivery, DeliveryPackage, Petition
from ..organisers.access import EDITOR, actor, bp, role_required
from . import email_delivery, links
from .deliveries import DeliveryRefused
from .forms import EmailDeliveryForm
from .scoreboard import today_for


def _country_name(code: str) -> str:
    return countries.name(code, current_language())


def _deliveries_page(petition: Petition, anchor: str | None = None):
    url = url_for(".government_deliveries", petition_id=petition.id, _anchor=anchor)
    return redirect(url, code=303)


def _refused(petition: Petition, package: DeliveryPackage | None, reason: str, status: int):
    return render_template(
        "governments/email_delivery.html",
        petition=petition,
        package=package,
        refused=reason,
        country_name=_country_name,
    ), status


@bp.route("/calls/<int:petition_id>/deliveries/email/<int:package_id>", methods=["GET", "POST"])
@role_required(EDITOR)
def government_delivery_email(petition_id: int, package_id: int):
    """What delivering this package by email would send; the button sends it and records
    the delivery."""
    petition = db.get_or_404(Petition, petition_id)
    package = db.session.get(DeliveryPackage, package_id)
    if package is None or package.petition_id != petition.id:
        return _refused(petition, None, _("This package was built for another call."), 404)
    try:
        checked = email_delivery.plan(petition, package)
    except DeliveryRefused as refused:
        return _refused(petition, package, str(refused), 409)
    form = EmailDeliveryForm()
    if request.method == "GET":
        form.handed_over_by.data = petition.organisation
    if form.validate_on_submit():
        try:
            email_delivery.deliver_by_email(
                petition, package, handed_over_by=form.handed_over_by.data, actor=actor()
            )
        except DeliveryRefused as refused:
            db.session.rollback()
            return _refused(petition, package, str(refused), 409)
        db.session.commit()
        flash(_sent_message(package.recipient_country, len(checked.addresses)), "success")
        return _deliveries_page(petition)
    subject, text = email_delivery.preview(
        checked, form.handed_over_by.data or petition.organisation
    )
    return render_template(
        "governments/email_delivery.html",
        petition=petition,
        package=package,
        checked=checked,
        form=form,
        subject=subject,
        text=text,
        link_days=links.max_age_days(),
        today=today_for(petition),
        country_name=_country_name,
    ), (422 if form.errors else 200)


def _sent_message(country: str, addresses: int) -> str:
    return ngettext(
        "The delivery to %(country)s is recorded; the package is on its way to %(num)d address.",
        "The delivery to %(country)s is recorded; the package is on its way to %(num)d addresses.",
        addresses,
        country=_country_name(country),
    )


@bp.post("/calls/<int:petition_id>/deliveries/<int:delivery_id>/fresh-link")
@role_required(EDITOR)
def government_delivery_fresh_link(petition_id: int, delivery_id: int):
    """Email the government a fresh download link for a delivery made by email."""
    petition = db.get_or_404(Petition, petition_id)
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None or delivery.petition_id != petition.id:
        abort(404)
    try:
        count = email_delivery.send_fresh_link(delivery, actor())
    except DeliveryRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(
            ngettext(
                "A fresh link is on its way to %(num)d address of %(country)s.",
                "A fresh link is on its way to %(num)d addresses of %(country)s.",
                count,
                country=_country_name(delivery.country),
            ),
            "success",
        )
    return _deliveries_page(petition, f"email-{delivery.id}")
