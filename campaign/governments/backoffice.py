"""The organisers' pages for a call's governments: targets and recorded deliveries.

Routes on the back office's blueprint (``organisers.access.bp``), so their
endpoints are ``organisers.*``; editors and administrators use them
(moderators do not). Contact addresses are shown here only, never publicly.
Every change goes through :mod:`.targets`, :mod:`.importing` or
:mod:`.deliveries`, which add their audit entries; the view commits.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import countries
from ..exports.delivery_options import CHANNEL_LABELS, LANGUAGES
from ..extensions import db
from ..i18n import current_language
from ..models import DeliveryChannel, DeliveryPackage, GovernmentTarget, Petition
from ..organisers.access import EDITOR, actor, bp, role_required
from ..timezones import local_time
from . import deliveries, importing, links, targets
from .forms import ChooseCountryForm, RecordDeliveryForm, TargetForm, TargetImportForm


def _country_name(code: str) -> str:
    return countries.name(code, current_language())


def _target(petition: Petition, target_id: int) -> GovernmentTarget:
    target = db.session.get(GovernmentTarget, target_id)
    if target is None or target.petition_id != petition.id:
        abort(404)
    return target


@bp.get("/calls/<int:petition_id>/governments")
@role_required(EDITOR)
def government_targets(petition_id: int):
    """The call's targets with the counted signatures of each country."""
    petition = db.get_or_404(Petition, petition_id)
    listed = targets.targets_of(petition)
    counts = targets.country_counts(petition)
    addressed = {target.country for target in listed}
    others = sorted(
        ((code, n) for code, n in counts.items() if code not in addressed),
        key=lambda item: (-item[1], item[0]),
    )
    return render_template(
        "governments/targets.html",
        petition=petition,
        targets=listed,
        counts=counts,
        others=others,
        country_name=_country_name,
    )


def _target_form_page(petition: Petition, form: TargetForm, target: GovernmentTarget | None):
    return render_template(
        "governments/target_form.html",
        petition=petition,
        form=form,
        target=target,
        country_name=_country_name,
    ), (422 if form.errors else 200)


def _save_target(form: TargetForm, save) -> bool:
    """Run ``save(values)``; a refusal becomes the named field's error."""
    try:
        save(form.values())
    except targets.TargetError as error:
        field = getattr(form, error.field or "", None)
        (field.errors if field is not None else form.form_errors).append(str(error))
        return False
    return True


@bp.route("/calls/<int:petition_id>/governments/new", methods=["GET", "POST"])
@role_required(EDITOR)
def government_target_new(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
    form = TargetForm(language=current_language())
    if form.validate_on_submit() and _save_target(
        form, lambda values: targets.add_target(petition, values, actor())
    ):
        db.session.commit()
        flash(_("%(country)s is added.", country=_country_name(form.checked["country"])), "success")
        return redirect(url_for(".government_targets", petition_id=petition.id), code=303)
    return _target_form_page(petition, form, None)


@bp.route("/calls/<int:petition_id>/governments/<int:target_id>/edit", methods=["GET", "POST"])
@role_required(EDITOR)
def government_target_edit(petition_id: int, target_id: int):
    petition = db.get_or_404(Petition, petition_id)
    target = _target(petition, target_id)
    form = TargetForm(obj=target, language=current_language())
    if form.validate_on_submit() and _save_target(
        form, lambda values: targets.edit_target(target, values, actor())
    ):
        db.session.commit()
        flash(_("%(country)s is saved.", country=_country_name(target.country)), "success")
        return redirect(url_for(".government_targets", petition_id=petition.id), code=303)
    return _target_form_page(petition, form, target)


@bp.post("/calls/<int:petition_id>/governments/<int:target_id>/delete")
@role_required(EDITOR)
def government_target_delete(petition_id: int, target_id: int):
    petition = db.get_or_404(Petition, petition_id)
    target = _target(petition, target_id)
    name = _country_name(target.country)
    try:
        targets.delete_target(target, actor())
    except targets.TargetError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(country)s is no longer addressed.", country=name), "success")
    return redirect(url_for(".government_targets", petition_id=petition.id), code=303)


@bp.route("/calls/<int:petition_id>/governments/import", methods=["GET", "POST"])
@role_required(EDITOR)
def government_targets_import(petition_id: int):
    """Upload a CSV of targets: every row is checked, and nothing is imported if one is bad."""
    petition = db.get_or_404(Petition, petition_id)
    form = TargetImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            form.file.errors.append(_("Please choose a CSV file."))
        else:
            try:
                data = upload.stream.read(importing.MAX_BYTES + 1)
                result = importing.import_targets(petition, data, actor())
            except importing.ImportRefused as refused:
                problems = [str(problem) for problem in refused.problems]
            else:
                db.session.commit()
                flash(
                    _(
                        "Imported: %(added)d added, %(updated)d updated, %(same)d unchanged.",
                        added=len(result.added),
                        updated=len(result.updated),
                        same=len(result.unchanged),
                    ),
                    "success",
                )
                return redirect(url_for(".government_targets", petition_id=petition.id), 303)
    status = 422 if form.errors or problems else 200
    return render_template(
        "governments/targets_import.html",
        petition=petition,
        form=form,
        problems=problems,
        columns=",".join(importing.COLUMNS),
    ), status


# -- deliveries ---------------------------------------------------------------------------


@bp.get("/calls/<int:petition_id>/deliveries")
@role_required(EDITOR)
def government_deliveries(petition_id: int):
    """Recorded deliveries (public) and the packages built (drafts), with what is left to record."""
    petition = db.get_or_404(Petition, petition_id)
    packages = deliveries.packages_of(petition)
    recorded = deliveries.recorded_package_ids(petition)
    waiting = sorted({p.recipient_country for p in packages if p.id not in recorded})
    chooser = ChooseCountryForm(formdata=None)
    chooser.country.choices = [(code, _country_name(code)) for code in waiting]
    return render_template(
        "governments/deliveries.html",
        petition=petition,
        deliveries=deliveries.deliveries_of(petition),
        packages=packages,
        recorded=recorded,
        chooser=chooser,
        country_name=_country_name,
        # Delivering by email (email_backoffice): each target, and each delivery's emails.
        targets={target.country: target for target in targets.targets_of(petition)},
        sent_links=links.links_by_delivery(petition),
    )


def _package_label(petition: Petition, package: DeliveryPackage) -> str:
    return ngettext(
        "Built %(when)s · %(num)s signature · letter in %(language)s · manifest %(sha)s…",
        "Built %(when)s · %(num)s signatures · letter in %(language)s · manifest %(sha)s…",
        package.signature_count,
        when=local_time(package.created_at, petition.timezone),
        language=LANGUAGES.get(package.language, package.language),
        sha=package.manifest_sha256[:12],
    )


def _delivery_form(petition: Petition, country: str, open_packages: list[DeliveryPackage]):
    target = targets.target_of(petition, country)
    form = RecordDeliveryForm(
        package_choices=[(p.id, _package_label(petition, p)) for p in open_packages],
        channel_choices=[(c.value, str(name)) for c, name in CHANNEL_LABELS.items()],
    )
    if request.method == "GET":
        chosen = request.args.get("package", type=int)
        form.package.data = chosen if chosen else open_packages[0].id
        form.delivered_on.data = deliveries.today_for(petition)
        form.channel.data = DeliveryChannel.EMAIL.value
        form.body.data = target.body if target is not None else ""
        form.handed_over_by.data = petition.organisation
    return form


def _record(petition: Petition, form: RecordDeliveryForm) -> bool:
    """Record the delivery the form describes; a refusal becomes the named field's error."""
    package = db.session.get(DeliveryPackage, form.package.data)
    if package is None:
        abort(404)
    try:
        deliveries.record_delivery(
            petition,
            package,
            delivered_on=form.delivered_on.data,
            channel=form.channel.data,
            body=form.body.data,
            handed_over_by=form.handed_over_by.data,
            actor=actor(),
        )
    except deliveries.DeliveryRefused as refused:
        field = getattr(form, refused.field or "", None)
        (field.errors if field is not None else form.form_errors).append(str(refused))
        return False
    return True


@bp.route("/calls/<int:petition_id>/deliveries/new", methods=["GET", "POST"])
@role_required(EDITOR)
def government_delivery_new(petition_id: int):
    """Record a delivery: first the government, then the package, date, channel, body, who."""
    petition = db.get_or_404(Petition, petition_id)
    country = (request.args.get("country") or "").upper()
    if country not in countries.codes():
        # Typed or edited into the address: checked before it reaches a query.
        flash(_("Please choose a government from the list."), "error")
        return redirect(url_for(".government_deliveries", petition_id=petition.id), code=303)
    recorded = deliveries.recorded_package_ids(petition)
    open_packages = [p for p in deliveries.packages_of(petition, country) if p.id not in recorded]
    if not open_packages:
        return redirect(url_for(".government_deliveries", petition_id=petition.id), code=303)
    form = _delivery_form(petition, country, open_packages)
    if form.validate_on_submit() and _record(petition, form):
        db.session.commit()
        name = _country_name(country)
        flash(_("The delivery to %(country)s is recorded.", country=name), "success")
        return redirect(url_for(".government_deliveries", petition_id=petition.id), code=303)
    return render_template(
        "governments/delivery_form.html",
        petition=petition,
        form=form,
        country=country,
        country_name=_country_name,
        target=targets.target_of(petition, country),
    ), (422 if form.errors or form.form_errors else 200)
